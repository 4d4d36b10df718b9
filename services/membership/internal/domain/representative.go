package domain

import (
	"errors"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Role is what a representative does for their member.
type Role string

const (
	RolePolitical Role = "political_representative"
	RoleTechnical Role = "technical_contact"
	RoleOther     Role = "other"
)

// Representative is a person who acts for a member or partner.
type Representative struct {
	ID       string
	MemberID string
	Name     string
	Email    string
	EmailKey string
	Role     Role
	Language string
	TimeZone string
	// Removed representatives keep only their ids (a tombstone).
	Removed   bool
	CreatedAt time.Time
}

// Errors about representatives.
var (
	ErrRepresentativeNotFound  = errors.New("representative not found")
	ErrDuplicateRepresentative = errors.New("this member already has a representative with this email address")
	// ErrNotYourMember: a representative acting for another member.
	ErrNotYourMember = errors.New("a representative may act only for their own member")
)

// Normalize tidies the free-text fields.
func (r *Representative) Normalize() {
	r.Name = NormalizeSpace(r.Name)
	r.Email = strings.TrimSpace(r.Email)
	r.EmailKey = NormalizeEmail(r.Email)
	r.TimeZone = strings.TrimSpace(r.TimeZone)
}

// Validate checks the rules beyond the contract's field bounds: the time
// zone must be in the IANA database.
func (r Representative) Validate() error {
	if r.Name == "" {
		return &FieldError{Field: "representative.name", Reason: "name.blank", Description: "a name is required"}
	}
	switch r.Role {
	case RolePolitical, RoleTechnical, RoleOther:
	default:
		return &FieldError{Field: "representative.role", Reason: "role.unknown", Description: "role must be political representative, technical contact or other"}
	}
	if err := ValidTimeZone(r.TimeZone); err != nil {
		return &FieldError{Field: "representative.time_zone", Reason: "time_zone.unknown", Description: err.Error()}
	}
	return nil
}

// ValidTimeZone accepts IANA zone names ("Europe/Lisbon", "UTC") and
// refuses "Local" and anything time.LoadLocation does not know.
func ValidTimeZone(tz string) error {
	if tz == "" || tz == "Local" {
		return errors.New("an IANA time zone such as Europe/Lisbon is required")
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return errors.New("not an IANA time zone (e.g. Europe/Lisbon, America/New_York)")
	}
	return nil
}

// NormalizeEmail is how addresses are matched: trimmed, NFKC, case-folded.
func NormalizeEmail(email string) string {
	return cases.Fold().String(norm.NFKC.String(strings.TrimSpace(email)))
}
