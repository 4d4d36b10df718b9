package domain

import (
	"errors"
	"testing"
	"time"
)

const (
	repAna = "0190d000-0000-7000-8000-0000000000a1"
	repRui = "0190d000-0000-7000-8000-0000000000a2"
)

// A representative named by email alone learns their id from a body's
// people; the same representative under another address is invited once.
func TestMergeInviteesByRepresentative(t *testing.T) {
	got := MergeInvitees("UTC",
		[]Invitee{{Email: "ana@example.org"}, {Email: "rui@example.org", RepresentativeID: repRui}},
		[]Invitee{{Email: "Ana@Example.org", RepresentativeID: repAna, BodyID: "b1"}, {Email: "rui.old@example.org", RepresentativeID: repRui, BodyID: "b1"}},
	)
	if len(got) != 2 || got[0].RepresentativeID != repAna || got[0].BodyID != "" || got[1].Key != "rui@example.org" {
		t.Fatalf("merged %+v", got)
	}
	a := Assembly{Invitees: got}
	if a.InviteeByRepresentative(repAna) != 0 || a.InviteeByRepresentative(repRui) != 1 || a.InviteeByRepresentative("") != -1 ||
		a.InviteeByRepresentative("0190d000-0000-7000-8000-0000000000ff") != -1 || a.KnownRepresentatives() != 2 {
		t.Errorf("lookups on %+v", got)
	}
	// An id already held by another invitee is not taken twice.
	again := MergeInvitees("UTC", got, []Invitee{{Email: "zoe@example.org", RepresentativeID: repAna}})
	if len(again) != 2 {
		t.Errorf("an invitee's representative id invited someone else: %+v", again)
	}
}

func TestAnswerRules(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	fresh := func() Assembly {
		return Assembly{Status: StatusScheduled, StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(25 * time.Hour), Capacity: 1,
			Invitees: MergeInvitees("UTC", []Invitee{{Email: "ana@example.org"}, {Email: "rui@example.org"}})}
	}
	a := fresh()
	prev, changed, err := a.Answer(0, ResponseAccepted, now)
	if err != nil || !changed || prev != ResponseNeedsAction || !a.Invitees[0].RespondedAt.Equal(now) {
		t.Fatalf("first answer: %v %v %v", prev, changed, err)
	}
	// The same answer again changes nothing, even when the place it holds is the last.
	if _, changed, err := a.Answer(0, ResponseAccepted, now.Add(time.Minute)); err != nil || changed || !a.Invitees[0].RespondedAt.Equal(now) {
		t.Errorf("same answer: changed %v, %v", changed, err)
	}
	if _, _, err := a.Answer(1, ResponseAccepted, now); !errors.Is(err, ErrFull) {
		t.Errorf("over capacity: %v", err)
	}
	if _, changed, err := a.Answer(1, ResponseTentative, now); err != nil || !changed {
		t.Errorf("tentative when full: %v", err)
	}
	cancelled := fresh()
	cancelled.Status = StatusCancelled
	if _, _, err := cancelled.Answer(0, ResponseDeclined, now); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled: %v", err)
	}
	late := fresh()
	late.RSVPDeadline = now
	if _, _, err := late.Answer(0, ResponseDeclined, now); !errors.Is(err, ErrInvitationClosed) {
		t.Errorf("at the deadline: %v", err)
	}
	over := fresh()
	if _, _, err := over.Answer(0, ResponseDeclined, over.EndsAt); !errors.Is(err, ErrInvitationClosed) {
		t.Errorf("at the end: %v", err)
	}
	if over.Invitees[0].Response != ResponseNeedsAction {
		t.Errorf("a refused answer was recorded: %+v", over.Invitees[0])
	}
}
