package domain

import (
	"errors"
	"strings"
	"time"
)

// Kind is what sort of assembly it is.
type Kind string

const (
	KindAnnualConference Kind = "annual_conference"
	KindLeadershipBoard  Kind = "leadership_board"
	KindCoordinationTeam Kind = "coordination_team"
	KindWorkingGroup     Kind = "working_group"
	KindOther            Kind = "other"
)

// Status is where an assembly is in its life.
type Status string

const (
	StatusScheduled Status = "scheduled"
	StatusCancelled Status = "cancelled"
)

// Errors the use cases turn into answers.
var ErrAssemblyNotFound = errors.New("assembly not found")

// FieldError is a broken domain rule about one request field: the transport
// answers it as InvalidArgument with a field violation, like proto
// validation errors.
type FieldError struct {
	Field       string
	Reason      string
	Description string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Description }

// Assembly is a meeting of the coalition: the Annual Conference, a
// Leadership Board or Coordination Team meeting, a working group.
type Assembly struct {
	ID          string
	Kind        Kind
	Title       string
	Description string
	// StartsAt and EndsAt are instants (stored in UTC); TimeZone is the IANA
	// zone the assembly is planned in, in which its wall-clock times are
	// shown by default.
	StartsAt  time.Time
	EndsAt    time.Time
	TimeZone  string
	HostCity  string
	Venue     string
	OnlineURL string
	// Public assemblies are on the public calendar and feed; the others only
	// coordinators see.
	Public    bool
	Status    Status
	CreatedAt time.Time
}

// LoadZone returns the IANA time zone called name, or a FieldError for
// time_zone. "Local" (the server's own zone, which differs per machine) and
// the empty name (UTC in Go) are refused: an assembly names its zone.
func LoadZone(name string) (*time.Location, error) {
	bad := &FieldError{Field: "time_zone", Reason: "time_zone.unknown",
		Description: "not an IANA time zone name such as Europe/Madrid or America/New_York"}
	if name == "" || name == "Local" || strings.TrimSpace(name) != name {
		return nil, bad
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, bad
	}
	return loc, nil
}

// Validate checks the rules beyond the contract's field bounds.
func (a Assembly) Validate() error {
	switch a.Kind {
	case KindAnnualConference, KindLeadershipBoard, KindCoordinationTeam, KindWorkingGroup, KindOther:
	default:
		return &FieldError{Field: "kind", Reason: "kind.unknown", Description: "not a kind of assembly"}
	}
	if strings.TrimSpace(a.Title) == "" {
		return &FieldError{Field: "title", Reason: "title.blank", Description: "a title is required"}
	}
	if a.StartsAt.IsZero() {
		return &FieldError{Field: "starts_at", Reason: "starts_at.required", Description: "a start is required"}
	}
	if !a.EndsAt.After(a.StartsAt) {
		return &FieldError{Field: "ends_at", Reason: "ends_at.before_start", Description: "ends_at must be after starts_at"}
	}
	if _, err := LoadZone(a.TimeZone); err != nil {
		return err
	}
	return nil
}

// VisibleTo reports whether a caller may see the assembly: everyone sees
// public ones, only coordinators the others.
func (a Assembly) VisibleTo(coordinator bool) bool { return a.Public || coordinator }

// LocalStart is the start as a wall-clock time in the assembly's own zone.
func (a Assembly) LocalStart() time.Time { return inZone(a.StartsAt, a.TimeZone) }

// LocalEnd is the end as a wall-clock time in the assembly's own zone.
func (a Assembly) LocalEnd() time.Time { return inZone(a.EndsAt, a.TimeZone) }

func inZone(t time.Time, zone string) time.Time {
	loc, err := LoadZone(zone)
	if err != nil {
		return t.UTC()
	}
	return t.In(loc)
}

// NormalizeSpace trims a free-text field and collapses inner runs of space.
func NormalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
