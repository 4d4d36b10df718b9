package domain

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func keys(list []Invitee) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.Key + "/" + p.BodyID
	}
	return out
}

func TestAddInviteesKeepsThoseInvited(t *testing.T) {
	a := Assembly{TimeZone: "Europe/Madrid", BodyIDs: []string{"b1"}}
	a.Invitees = MergeInvitees(a.TimeZone, []Invitee{{Email: "ana@example.org", Response: ResponseAccepted}})
	added := a.AddInvitees(
		[]Invitee{{Email: "ANA@example.org", Name: "Ana again", BodyID: "ignored"}, {Email: "rui@example.org"}},
		[]Invitee{{Email: "rui@example.org", BodyID: "b2"}, {Email: "zoe@example.org", BodyID: "b2"}},
		[]string{"b1", "b2"})
	if got := keys(added); !slices.Equal(got, []string{"rui@example.org/", "zoe@example.org/b2"}) {
		t.Errorf("added %v", got)
	}
	if a.Invitees[0].Response != ResponseAccepted || a.Invitees[0].Name != "" || len(a.Invitees) != 3 || a.Invitees[2].TimeZone != "Europe/Madrid" {
		t.Errorf("invitees %+v", a.Invitees)
	}
	if !slices.Equal(a.BodyIDs, []string{"b1", "b2"}) {
		t.Errorf("bodies %v", a.BodyIDs)
	}
}

func TestRemoveInviteesKeepsMembersOfRemainingBodies(t *testing.T) {
	a := Assembly{BodyIDs: []string{"b1", "b2"}, Invitees: []Invitee{
		{Key: "named"}, {Key: "ana", BodyID: "b1"}, {Key: "otto", BodyID: "b1"}, {Key: "zoe", BodyID: "b2"},
	}}
	removed := a.RemoveInvitees([]string{"zoe", "nobody"}, []string{"b1"}, map[string]string{"otto": "b2"})
	if got := keys(removed); !slices.Equal(got, []string{"ana/b1", "zoe/b2"}) {
		t.Errorf("removed %v", got)
	}
	if got := keys(a.Invitees); !slices.Equal(got, []string{"named/", "otto/b2"}) || !slices.Equal(a.BodyIDs, []string{"b2"}) {
		t.Errorf("left %v, bodies %v", got, a.BodyIDs)
	}
}

func TestCanChangeInvitees(t *testing.T) {
	now := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	a := Assembly{Status: StatusScheduled, StartsAt: now.Add(time.Hour), EndsAt: now.Add(2 * time.Hour)}
	if err := a.CanChangeInvitees(now); err != nil {
		t.Errorf("upcoming: %v", err)
	}
	if err := a.CanChangeInvitees(now.Add(3 * time.Hour)); !errors.Is(err, ErrEnded) {
		t.Errorf("ended: %v", err)
	}
	a.Status = StatusCancelled
	if err := a.CanChangeInvitees(now); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestChanged(t *testing.T) {
	before := Assembly{Title: "A", Agenda: []AgendaItem{{Title: "x"}}, HostCity: "Lisboa"}
	after := before
	if got := Changed(before, after); len(got) != 0 {
		t.Errorf("nothing changed: %v", got)
	}
	after.Agenda = []AgendaItem{{Title: "x", Minutes: 5}}
	after.Venue = "Câmara"
	after.RSVPDeadline = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := Changed(before, after); !slices.Equal(got, []string{"place", "agenda", "rsvp_deadline"}) {
		t.Errorf("changed %v", got)
	}
}

func TestTooManyInvitees(t *testing.T) {
	a := Assembly{Kind: KindOther, Title: "Big", TimeZone: "UTC", StartsAt: time.Now(), EndsAt: time.Now().Add(time.Hour)}
	for i := range MaxInvitees + 1 {
		a.Invitees = append(a.Invitees, Invitee{Key: string(rune(i)), TimeZone: "UTC"})
	}
	var fe *FieldError
	if err := a.Validate(); !errors.As(err, &fe) || fe.Field != "people" {
		t.Errorf("validate %v", err)
	}
}

// Representative ids are learned by email, never taken twice, and nobody
// is added.
func TestLearnRepresentatives(t *testing.T) {
	a := Assembly{Invitees: MergeInvitees("UTC", []Invitee{
		{Email: "ana@example.org"}, {Email: "ben@example.org", RepresentativeID: "rep-b"}, {Email: "cai@example.org"},
	})}
	n := a.LearnRepresentatives([]Invitee{
		{Email: "ANA@example.org ", RepresentativeID: "rep-a"},
		{Email: "cai@example.org", RepresentativeID: "rep-b"}, // Ben's already
		{Email: "dee@example.org", RepresentativeID: "rep-d"},
	})
	if n != 1 || len(a.Invitees) != 3 || a.Invitees[0].RepresentativeID != "rep-a" || a.Invitees[2].RepresentativeID != "" {
		t.Fatalf("learned %d: %+v", n, a.Invitees)
	}
	if n := a.LearnRepresentatives([]Invitee{{Email: "ana@example.org", RepresentativeID: "rep-a"}}); n != 0 {
		t.Fatalf("learned again: %d", n)
	}
}
