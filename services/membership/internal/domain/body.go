package domain

import (
	"errors"
	"time"
)

// BodyKind is what sort of governance body it is.
type BodyKind string

const (
	BodyAnnualConference BodyKind = "annual_conference"
	BodyLeadershipBoard  BodyKind = "leadership_board"
	BodyCoordination     BodyKind = "executive_coordination_team"
	BodyWorkingGroup     BodyKind = "working_group"
)

// Body is a governance body or working group and its composition.
type Body struct {
	ID          string
	Slug        string
	Name        string
	Kind        BodyKind
	Description string
	Principle   Principle
	// MemberIDs: members whose political representatives sit on it.
	MemberIDs []string
	// RepresentativeIDs: individuals who sit on it besides.
	RepresentativeIDs []string
	CreatedAt         time.Time
}

// Errors about bodies.
var (
	ErrBodyNotFound  = errors.New("body not found")
	ErrDuplicateBody = errors.New("a body with this slug already exists")
)

// Implicit reports whether the composition follows from the register
// rather than from lists (the Annual Conference: every member's political
// representatives).
func (b Body) Implicit() bool { return b.Kind == BodyAnnualConference }

// Validate checks the rules beyond the contract's field bounds.
func (b Body) Validate() error {
	switch b.Kind {
	case BodyAnnualConference, BodyLeadershipBoard, BodyCoordination, BodyWorkingGroup:
	default:
		return &FieldError{Field: "kind", Reason: "kind.unknown", Description: "unknown body kind"}
	}
	if b.Implicit() && (len(b.MemberIDs) > 0 || len(b.RepresentativeIDs) > 0) {
		return &FieldError{Field: "member_ids", Reason: "composition.implicit",
			Description: "the Annual Conference is every member's political representatives; it takes no list"}
	}
	if b.Principle != "" && b.Kind != BodyWorkingGroup {
		return &FieldError{Field: "principle", Reason: "principle.not_working_group", Description: "only a working group is about one principle"}
	}
	return nil
}
