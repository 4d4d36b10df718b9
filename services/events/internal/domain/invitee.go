package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Response is an invitee's answer.
type Response string

const (
	ResponseNeedsAction Response = "needs_action"
	ResponseAccepted    Response = "accepted"
	ResponseDeclined    Response = "declined"
	ResponseTentative   Response = "tentative"
)

// Invitee is one person invited to an assembly, by name or through a body.
type Invitee struct {
	// Key is the normalised email: how a person is matched across bodies
	// and assemblies (conflicts).
	Key      string
	Name     string
	Email    string
	Language string
	TimeZone string
	// BodyID is the body they were invited through ("" when named).
	BodyID string
	// RepresentativeID is their id in the membership service when they are
	// a representative (from a body's people, or given with their name):
	// how they find and answer their invitation when signed in.
	RepresentativeID string
	// TokenHash is the SHA-256 of their RSVP token; the token itself is only
	// in the invitation sent to them.
	TokenHash   string
	Response    Response
	RespondedAt time.Time
}

// EmailKey normalises an email for matching: trimmed and lower-cased.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// MergeInvitees de-duplicates invitees by email key and by representative
// id; the first occurrence wins (named people are listed before body
// members, so a person named explicitly keeps the details given for them),
// learning the representative id of a later occurrence when it has none.
// A missing time zone is the assembly's.
func MergeInvitees(defaultZone string, lists ...[]Invitee) []Invitee {
	byKey := map[string]int{}
	byRep := map[string]int{}
	var out []Invitee
	for _, l := range lists {
		for _, p := range l {
			p.Key = EmailKey(p.Email)
			if p.Key == "" {
				continue
			}
			i, seen := byKey[p.Key]
			if !seen && p.RepresentativeID != "" {
				i, seen = byRep[p.RepresentativeID]
			}
			if seen {
				if out[i].RepresentativeID == "" && p.RepresentativeID != "" {
					if _, taken := byRep[p.RepresentativeID]; !taken {
						out[i].RepresentativeID = p.RepresentativeID
						byRep[p.RepresentativeID] = i
					}
				}
				continue
			}
			byKey[p.Key] = len(out)
			if p.RepresentativeID != "" {
				byRep[p.RepresentativeID] = len(out)
			}
			p.Name = NormalizeSpace(p.Name)
			if p.TimeZone == "" {
				p.TimeZone = defaultZone
			}
			if p.Response == "" {
				p.Response = ResponseNeedsAction
			}
			out = append(out, p)
		}
	}
	return out
}

// NewToken returns an unguessable token (256 random bits, base64url) and
// the hash under which it is stored.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is how a token is looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CanRespond reports whether answers are still taken at now: before the
// RSVP deadline (if any), before the assembly ends, and not once cancelled.
func (a Assembly) CanRespond(now time.Time) error {
	if a.Status == StatusCancelled {
		return ErrCancelled
	}
	if a.Ended(now) || (!a.RSVPDeadline.IsZero() && !now.Before(a.RSVPDeadline)) {
		return ErrInvitationClosed
	}
	return nil
}

// BodyAttendance is how one invited body is answering.
type BodyAttendance struct {
	BodyID                                 string
	Invited, Accepted, Tentative, Declined int
	// Quorum is how many must accept: ceil(fraction × invited).
	Quorum         int
	QuorumExpected bool
}

// Attendance counts the answers per body; fraction is the share of a body's
// invitees whose acceptance makes a quorum (e.g. 0.5).
func (a Assembly) Attendance(fraction float64) []BodyAttendance {
	byBody := map[string]*BodyAttendance{}
	var out []*BodyAttendance
	for _, id := range a.BodyIDs {
		b := &BodyAttendance{BodyID: id}
		byBody[id] = b
		out = append(out, b)
	}
	for _, p := range a.Invitees {
		b := byBody[p.BodyID]
		if b == nil {
			continue
		}
		b.Invited++
		switch p.Response {
		case ResponseAccepted:
			b.Accepted++
		case ResponseTentative:
			b.Tentative++
		case ResponseDeclined:
			b.Declined++
		}
	}
	res := make([]BodyAttendance, len(out))
	for i, b := range out {
		b.Quorum = QuorumOf(b.Invited, fraction)
		b.QuorumExpected = b.Invited > 0 && b.Accepted >= b.Quorum
		res[i] = *b
	}
	return res
}

// QuorumOf is ceil(fraction × n), at least 1 for a non-empty body.
func QuorumOf(n int, fraction float64) int {
	if n == 0 {
		return 0
	}
	q := int(float64(n)*fraction + 0.999999)
	return max(1, min(q, n))
}
