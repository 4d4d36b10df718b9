package domain

import (
	"slices"
	"time"
)

// InviteeByToken is the index of the invitee whose RSVP token hashes to
// hash, -1 if none.
func (a Assembly) InviteeByToken(hash string) int {
	if hash == "" {
		return -1
	}
	return slices.IndexFunc(a.Invitees, func(p Invitee) bool { return p.TokenHash == hash })
}

// InviteeByRepresentative is the index of the invitee who is representative
// repID, -1 if none.
func (a Assembly) InviteeByRepresentative(repID string) int {
	if repID == "" {
		return -1
	}
	return slices.IndexFunc(a.Invitees, func(p Invitee) bool { return p.RepresentativeID == repID })
}

// Answer records invitee i's answer r at now, however it reached us (RSVP
// link or signed in): answers are taken only while CanRespond allows, and
// with a capacity an acceptance needs a free place (declining frees one).
// It returns the previous answer; the same answer again changes nothing
// (changed is false), so a repeated request is harmless.
func (a *Assembly) Answer(i int, r Response, now time.Time) (previous Response, changed bool, err error) {
	if err := a.CanRespond(now); err != nil {
		return "", false, err
	}
	previous = a.Invitees[i].Response
	if previous == r {
		return previous, false, nil
	}
	if r == ResponseAccepted && a.Capacity > 0 && a.accepted() >= a.Capacity {
		return "", false, ErrFull
	}
	a.Invitees[i].Response = r
	a.Invitees[i].RespondedAt = now
	return previous, true, nil
}

// KnownRepresentatives counts the invitees known as representatives.
func (a Assembly) KnownRepresentatives() int {
	n := 0
	for _, p := range a.Invitees {
		if p.RepresentativeID != "" {
			n++
		}
	}
	return n
}

func (a Assembly) accepted() int {
	n := 0
	for _, p := range a.Invitees {
		if p.Response == ResponseAccepted {
			n++
		}
	}
	return n
}
