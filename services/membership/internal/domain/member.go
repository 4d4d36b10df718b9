package domain

import (
	"errors"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Kind is what sort of member an entry of the register is.
type Kind string

const (
	// KindCity is a city government.
	KindCity Kind = "city"
	// KindCityNetwork is a network of cities that joined as one member.
	KindCityNetwork Kind = "city_network"
	// KindPartner is a partner organisation: recorded, not a member.
	KindPartner Kind = "partner"
)

// IsCity reports whether the kind is a city or a city network: the kinds a
// resident's petition can ask to join.
func (k Kind) IsCity() bool { return k == KindCity || k == KindCityNetwork }

// CityKinds are the kinds LookupCity searches.
var CityKinds = []Kind{KindCity, KindCityNetwork}

// Status is where a member is in its membership.
type Status string

const (
	StatusApplicant Status = "applicant"
	StatusMember    Status = "member"
	StatusSuspended Status = "suspended"
	StatusWithdrawn Status = "withdrawn"
)

// Errors the use cases turn into answers.
var (
	ErrMemberNotFound  = errors.New("member not found")
	ErrDuplicateMember = errors.New("a member with this name and country is already on the register")
)

// FieldError is a broken domain rule about one request field: the transport
// answers it as InvalidArgument with a field violation, like proto
// validation errors.
type FieldError struct {
	Field       string
	Reason      string
	Description string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Description }

// Member is one entry of the register: a member city or network, or a
// partner organisation. It holds public facts only, no personal data.
type Member struct {
	ID   string
	Name string
	// NameKey is NameKey(Name): with Country, what makes an entry unique.
	NameKey    string
	Kind       Kind
	Country    string
	Region     string
	Population int64
	Status     Status
	JoinedAt   time.Time
	Commitment string
	// Principles the member's policies serve (from its approved application).
	Principles []Principle
	// ApplicationID is the application that last made it a member, if any.
	ApplicationID string
	// History is how its status came to be, oldest first.
	History   []StatusChange
	CreatedAt time.Time
}

// StatusChange is one step of a member's status history.
type StatusChange struct {
	// From is "" for the first step (the entry was recorded).
	From Status `bson:"from"`
	To   Status `bson:"to"`
	// By is the caller's token subject: possibly a person's address, so
	// only coordinators are shown it.
	By     string    `bson:"by"`
	At     time.Time `bson:"at"`
	Reason string    `bson:"reason,omitempty"`
}

// Validate checks the rules beyond the contract's field bounds.
func (m Member) Validate() error {
	switch m.Kind {
	case KindCity, KindCityNetwork, KindPartner:
	default:
		return &FieldError{Field: "kind", Reason: "kind.unknown", Description: "kind must be city, city network or partner"}
	}
	switch m.Status {
	case StatusApplicant, StatusMember, StatusSuspended, StatusWithdrawn:
	default:
		return &FieldError{Field: "status", Reason: "status.unknown", Description: "status must be applicant, member, suspended or withdrawn"}
	}
	if m.Status == StatusMember && m.JoinedAt.IsZero() {
		return &FieldError{Field: "joined_at", Reason: "joined_at.required_for_member",
			Description: "a member needs the date it joined"}
	}
	if strings.TrimSpace(m.Name) == "" {
		return &FieldError{Field: "name", Reason: "name.blank", Description: "a name is required"}
	}
	if m.Kind.IsCity() && m.Country == "" {
		// Cities are matched by name and country (petitions, applications).
		return &FieldError{Field: "country", Reason: "country.required_for_city",
			Description: "a city or network of cities needs its country (ISO 3166-1 alpha-2)"}
	}
	for _, p := range m.Principles {
		if !p.Known() {
			return &FieldError{Field: "principles", Reason: "principles.unknown", Description: "unknown principle " + string(p)}
		}
	}
	return nil
}

// Joined reports whether the entry is a city (or network) that is a member:
// the fact that petitions for it wait for.
func (m Member) Joined() bool { return m.Kind.IsCity() && m.Status == StatusMember }

// NameKey is how names are matched: surrounding and repeated space removed,
// Unicode NFKC form, case-folded. "  NEW  york" and "New York" are the same
// city; so are a composed and a decomposed "Maceió".
func NameKey(name string) string {
	return cases.Fold().String(norm.NFKC.String(NormalizeSpace(name)))
}

// NormalizeSpace trims a free-text field and collapses inner runs of space.
func NormalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
