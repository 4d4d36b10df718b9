package domain

import (
	"slices"
	"time"
)

// CanChangeInvitees reports whether invitees may be added or removed at now:
// not once the assembly is cancelled or over.
func (a Assembly) CanChangeInvitees(now time.Time) error {
	if a.Status == StatusCancelled {
		return ErrCancelled
	}
	if a.Ended(now) {
		return ErrEnded
	}
	return nil
}

// AddInvitees invites people (named ones first, then body members, as at
// scheduling) and the given bodies. People already invited stay as they
// are; it returns those newly invited (without tokens: the caller gives
// them theirs) in a's invitee order.
func (a *Assembly) AddInvitees(people, members []Invitee, bodyIDs []string) []Invitee {
	for _, id := range bodyIDs {
		if !slices.Contains(a.BodyIDs, id) {
			a.BodyIDs = append(a.BodyIDs, id)
		}
	}
	before := len(a.Invitees)
	for i := range people {
		people[i].BodyID = ""
	}
	a.Invitees = MergeInvitees(a.TimeZone, a.Invitees, people, members)
	return slices.Clone(a.Invitees[before:])
}

// RemoveInvitees uninvites the people whose email key is in keys and the
// given bodies with everyone invited through them, except those who also
// sit on a body that stays invited: stayOn maps their key to that body,
// through which they are then invited. It returns those removed, with the
// answers they had given.
func (a *Assembly) RemoveInvitees(keys []string, bodyIDs []string, stayOn map[string]string) []Invitee {
	a.BodyIDs = slices.DeleteFunc(a.BodyIDs, func(id string) bool { return slices.Contains(bodyIDs, id) })
	var removed, kept []Invitee
	for _, p := range a.Invitees {
		switch {
		case slices.Contains(keys, p.Key):
			removed = append(removed, p)
		case p.BodyID != "" && slices.Contains(bodyIDs, p.BodyID):
			if other, ok := stayOn[p.Key]; ok {
				p.BodyID = other
				kept = append(kept, p)
			} else {
				removed = append(removed, p)
			}
		default:
			kept = append(kept, p)
		}
	}
	a.Invitees = kept
	return removed
}

// LearnRepresentatives gives invitees without a representative id the one
// of the person with the same email among people (a body's members, as
// membership lists them now), unless another invitee has it already. Nobody
// is added. It reports how many were learned.
func (a *Assembly) LearnRepresentatives(people []Invitee) int {
	ids := map[string]string{}
	for _, p := range people {
		if k := EmailKey(p.Email); k != "" && p.RepresentativeID != "" {
			ids[k] = p.RepresentativeID
		}
	}
	taken := map[string]bool{}
	for _, p := range a.Invitees {
		taken[p.RepresentativeID] = p.RepresentativeID != ""
	}
	learned := 0
	for i, p := range a.Invitees {
		if id := ids[p.Key]; p.RepresentativeID == "" && id != "" && !taken[id] {
			a.Invitees[i].RepresentativeID, taken[id] = id, true
			learned++
		}
	}
	return learned
}
