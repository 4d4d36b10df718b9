package domain

import (
	"errors"
	"time"
)

// SignatureStatus is where a signature is in double opt-in.
type SignatureStatus string

const (
	// SignaturePending waits for the emailed link to be followed.
	SignaturePending SignatureStatus = "pending"
	// SignatureConfirmed counts.
	SignatureConfirmed SignatureStatus = "confirmed"
)

// Errors the use cases turn into answers.
var (
	ErrPetitionNotFound  = errors.New("petition not found")
	ErrPetitionNotOpen   = errors.New("petition is not open for signatures")
	ErrTokenUnknown      = errors.New("confirmation link is not valid")
	ErrTokenExpired      = errors.New("confirmation link has expired")
	ErrSignatureNotFound = errors.New("signature not found")
	ErrConcurrentChange  = errors.New("signature changed concurrently")
)

// Signature is one person's signature on one petition: the least data the
// purpose needs.
type Signature struct {
	ID         string
	PetitionID string
	// EmailKey is NormalizeEmail(Email): one signature per person per petition.
	EmailKey string
	// Email as the signer typed it (trimmed): where the mail goes.
	Email              string
	Name               string
	ShowName           bool
	LivesOrWorksInCity bool
	NotifyOutcome      bool
	Language           string
	Status             SignatureStatus
	TokenHash          string
	TokenExpiresAt     time.Time
	CreatedAt          time.Time
	ConfirmedAt        time.Time
	// Abuse signals (ratelimit, ListSuspiciousBursts): a salted hash of the
	// network address it came from — never the address — and the domain of
	// the email.
	IPHash      string
	EmailDomain string
	// RemindedAt is when the signer was last told (SignatureAlreadyConfirmed)
	// that this confirmed signature exists; zero if never.
	RemindedAt time.Time
}

// Confirmable checks that a pending signature's link may still be used.
func (s Signature) Confirmable(now time.Time) error {
	if s.Status == SignaturePending && now.After(s.TokenExpiresAt) {
		return ErrTokenExpired
	}
	return nil
}

// DefaultLanguage is used when the signer's language is not given.
const DefaultLanguage = "en"
