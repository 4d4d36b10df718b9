package domain

import (
	"errors"
	"testing"
	"time"
)

func TestApplicationTransitions(t *testing.T) {
	all := []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationUnderReview, ApplicationApproved, ApplicationRejected}
	legal := map[[2]ApplicationStatus]bool{
		{ApplicationDraft, ApplicationSubmitted}:       true,
		{ApplicationSubmitted, ApplicationUnderReview}: true,
		{ApplicationUnderReview, ApplicationApproved}:  true,
		{ApplicationUnderReview, ApplicationRejected}:  true,
	}
	for _, from := range all {
		for _, to := range all[1:] {
			a := Application{Status: from}
			_, err := a.Move(to, "someone", time.Unix(0, 0), "why")
			var te *TransitionError
			switch {
			case legal[[2]ApplicationStatus{from, to}] && err != nil:
				t.Errorf("%s → %s refused: %v", from, to, err)
			case !legal[[2]ApplicationStatus{from, to}] && !errors.As(err, &te):
				t.Errorf("%s → %s allowed (err %v)", from, to, err)
			case err == nil && (a.Status != to || len(a.History) != 1 || a.History[0].By != "someone"):
				t.Errorf("%s → %s: %+v", from, to, a)
			}
		}
	}
}

func TestMemberLifecycle(t *testing.T) {
	cases := []struct {
		from   Status
		action MemberAction
		to     Status // "" when refused
	}{
		{StatusMember, ActionSuspend, StatusSuspended},
		{StatusSuspended, ActionSuspend, ""},
		{StatusWithdrawn, ActionSuspend, ""},
		{StatusMember, ActionWithdraw, StatusWithdrawn},
		{StatusSuspended, ActionWithdraw, StatusWithdrawn},
		{StatusWithdrawn, ActionWithdraw, ""},
		{StatusApplicant, ActionWithdraw, ""},
		{StatusSuspended, ActionReadmit, StatusMember},
		{StatusWithdrawn, ActionReadmit, StatusMember},
		{StatusMember, ActionReadmit, ""},
		{StatusApplicant, ActionReadmit, ""},
	}
	for _, c := range cases {
		got, err := Member{Name: "Porto", Status: c.from}.Lifecycle(c.action)
		if got != c.to || (c.to == "") != (err != nil) {
			t.Errorf("%s %s: %q %v, want %q", c.from, c.action, got, err, c.to)
		}
	}
}

func TestValidTimeZone(t *testing.T) {
	for _, ok := range []string{"Europe/Lisbon", "America/Maceio", "UTC", "Asia/Kolkata"} {
		if err := ValidTimeZone(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Local", "Europe/Atlantis", "GMT+25", "../../etc/passwd"} {
		if ValidTimeZone(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPrinciplesServed(t *testing.T) {
	a := Application{Policies: []Policy{
		{Principles: []Principle{PrincipleOpenStandards, PrinciplePrivacy}},
		{Principles: []Principle{PrinciplePrivacy, PrincipleUniversalAccess}},
	}}
	got := a.PrinciplesServed()
	want := []Principle{PrincipleUniversalAccess, PrinciplePrivacy, PrincipleOpenStandards}
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%v, want %v", got, want)
		}
	}
}
