package domain

import (
	"errors"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Statuses of a petition before it opens.
const (
	// PetitionProposed: a resident proposed it; not public until published.
	PetitionProposed PetitionStatus = "proposed"
	// PetitionRejected: a coordinator rejected the proposal.
	PetitionRejected PetitionStatus = "rejected"
)

// SignatureWithdrawn: the signer withdrew (or erased) the signature; the
// document keeps no personal data and no longer counts.
const SignatureWithdrawn SignatureStatus = "withdrawn"

// Lifecycle errors.
var (
	ErrCityAlreadyMember  = errors.New("this city is already a member of the coalition")
	ErrPetitionExists     = errors.New("a petition for this city already exists")
	ErrMembershipDown     = errors.New("the membership register cannot be reached")
	ErrProposalNotFound   = errors.New("proposal not found")
	ErrProposalNotPending = errors.New("proposal was already published or rejected")
)

// CityKey is how petitions are matched to cities: the city name with
// surrounding and repeated space removed, NFKC, case-folded (as membership
// matches names), and the country code. "  NEW  york"/US and "New York"/US
// are one city.
func CityKey(city, country string) string {
	name := cases.Fold().String(norm.NFKC.String(strings.Join(strings.Fields(city), " ")))
	return name + "|" + strings.ToUpper(strings.TrimSpace(country))
}

// Public reports whether the petition may be shown to everyone.
func (p Petition) Public() bool {
	return p.Status != PetitionProposed && p.Status != PetitionRejected && p.Status != ""
}

// Proposer is who proposed a petition (kept for coordinators only).
type Proposer struct {
	Name  string
	Email string
}

// EmailDomain is the normalised domain part of an address ("" if none).
func EmailDomain(email string) string {
	key := NormalizeEmail(email)
	if i := strings.LastIndexByte(key, '@'); i >= 0 {
		return key[i+1:]
	}
	return ""
}

// Burst is many signatures from one source within a window.
type Burst struct {
	Key             string
	Signatures      int64
	Petitions       int64
	FirstAt, LastAt time.Time
}
