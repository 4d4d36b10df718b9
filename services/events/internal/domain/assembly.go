package domain

import (
	"errors"
	"fmt"
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
var (
	ErrAssemblyNotFound = errors.New("assembly not found")
	// ErrCancelled: the assembly was called off; it cannot change any more.
	ErrCancelled = errors.New("assembly is cancelled")
	// ErrNotEnded: minutes are for assemblies that have taken place.
	ErrNotEnded = errors.New("assembly has not ended yet")
	// ErrInvitationNotFound: no invitation has this token (wrong token,
	// another assembly's, or an invitee removed since).
	ErrInvitationNotFound = errors.New("invitation not found")
	// ErrInvitationClosed: the RSVP deadline passed or the assembly ended.
	ErrInvitationClosed = errors.New("invitation no longer takes answers")
	// ErrMembershipDown: bodies could not be resolved into people.
	ErrMembershipDown = errors.New("membership service unavailable")
	// ErrFull: as many invitees have accepted as the assembly has places.
	ErrFull = errors.New("assembly is full")
	// ErrFeedNotFound: no personal feed has this token.
	ErrFeedNotFound = errors.New("feed not found")
	// ErrBodyNotFound: an invited body does not exist.
	ErrBodyNotFound = errors.New("body not found")
	// ErrEnded: the assembly has taken place; its invitees no longer change.
	ErrEnded = errors.New("assembly has ended")
)

// MaxInvitees bounds an assembly's invitees: the work and the email one
// change gives. Their invitations are split over as many events as NATS's
// message size needs (see the app package's fanOut), so this bound is not
// what keeps events small.
const MaxInvitees = 1000

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

	Agenda   []AgendaItem
	Capacity int
	// RSVPDeadline is when answers stop being taken (zero: until the end).
	RSVPDeadline time.Time
	// Sequence is the iCalendar SEQUENCE: 0 when scheduled, one more at each
	// reschedule, update or cancellation.
	Sequence int
	// PlannedLocalStart and PlannedLocalEnd are the wall-clock times in
	// TimeZone the assembly was planned at ("2006-01-02T15:04:05"),
	// computed when it was (re)scheduled. The instants are authoritative:
	// if the zone's rules change later (a government moves or abolishes
	// daylight saving), the instants stay and LocalStart() differs from
	// PlannedLocalStart, which coordinators can see and fix by rescheduling.
	PlannedLocalStart string
	PlannedLocalEnd   string
	BodyIDs           []string
	Invitees          []Invitee
	Minutes           *Minutes
	CancelReason      string
}

// AgendaItem is one point on an assembly's agenda.
type AgendaItem struct {
	Title       string
	Description string
	Minutes     int
}

// Minutes record what an assembly decided.
type Minutes struct {
	Text        string
	Outcomes    []string
	PublishedAt time.Time
}

// UID is the iCalendar UID of the assembly: stable across every change, so
// calendars update the meeting they have instead of adding another.
func (a Assembly) UID() string { return "assembly-" + a.ID + "@cc4dr-coalition" }

// Ended reports whether the assembly is over at now.
func (a Assembly) Ended(now time.Time) bool { return !now.Before(a.EndsAt) }

// ZoneRulesChanged reports whether the instants, seen in the planning zone
// with today's rules, no longer show the planned wall-clock times.
func (a Assembly) ZoneRulesChanged() bool {
	if a.PlannedLocalStart == "" {
		return false
	}
	return a.LocalStart().Format(LocalLayout) != a.PlannedLocalStart || a.LocalEnd().Format(LocalLayout) != a.PlannedLocalEnd
}

// SetPlanned records the planned wall-clock times from the instants with the
// zone's current rules.
func (a *Assembly) SetPlanned() {
	a.PlannedLocalStart = a.LocalStart().Format(LocalLayout)
	a.PlannedLocalEnd = a.LocalEnd().Format(LocalLayout)
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
	if a.EndsAt.Sub(a.StartsAt) > 31*24*time.Hour {
		return &FieldError{Field: "ends_at", Reason: "ends_at.too_long", Description: "an assembly lasts at most 31 days"}
	}
	if !a.RSVPDeadline.IsZero() && a.RSVPDeadline.After(a.EndsAt) {
		return &FieldError{Field: "rsvp_deadline", Reason: "rsvp_deadline.after_end", Description: "the RSVP deadline must be before the assembly ends"}
	}
	if len(a.Invitees) > MaxInvitees {
		return &FieldError{Field: "people", Reason: "invitees.too_many",
			Description: fmt.Sprintf("an assembly invites at most %d people (%d with these bodies and people)", MaxInvitees, len(a.Invitees))}
	}
	for i, p := range a.Invitees {
		if _, err := LoadZone(p.TimeZone); err != nil {
			return &FieldError{Field: fmt.Sprintf("people[%d].time_zone", i), Reason: "time_zone.unknown", Description: err.(*FieldError).Description}
		}
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
