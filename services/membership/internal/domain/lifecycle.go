package domain

import "fmt"

// MemberAction is a coordinator's change of a member's status.
type MemberAction string

const (
	ActionSuspend  MemberAction = "suspend"
	ActionWithdraw MemberAction = "withdraw"
	ActionReadmit  MemberAction = "readmit"
)

// Lifecycle returns the status an action leads to from the member's
// current status, or a TransitionError.
func (m Member) Lifecycle(a MemberAction) (Status, error) {
	switch a {
	case ActionSuspend:
		if m.Status == StatusMember {
			return StatusSuspended, nil
		}
		return "", &TransitionError{Msg: fmt.Sprintf("cannot suspend %s: it is %s, and only a member can be suspended", m.Name, m.Status)}
	case ActionWithdraw:
		if m.Status == StatusMember || m.Status == StatusSuspended {
			return StatusWithdrawn, nil
		}
		return "", &TransitionError{Msg: fmt.Sprintf("cannot withdraw %s: it is %s, and only a member or suspended member can withdraw", m.Name, m.Status)}
	case ActionReadmit:
		if m.Status == StatusSuspended || m.Status == StatusWithdrawn {
			return StatusMember, nil
		}
		return "", &TransitionError{Msg: fmt.Sprintf("cannot re-admit %s: it is %s, and only a suspended or withdrawn member can be re-admitted", m.Name, m.Status)}
	}
	return "", fmt.Errorf("unknown member action %q", a)
}
