package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ApplicationStatus is where an application is: draft → submitted → under
// review → approved or rejected.
type ApplicationStatus string

const (
	ApplicationDraft       ApplicationStatus = "draft"
	ApplicationSubmitted   ApplicationStatus = "submitted"
	ApplicationUnderReview ApplicationStatus = "under_review"
	ApplicationApproved    ApplicationStatus = "approved"
	ApplicationRejected    ApplicationStatus = "rejected"
)

// label is how a status reads in an error message.
func (s ApplicationStatus) label() string { return strings.ReplaceAll(string(s), "_", " ") }

// Principle is one of the coalition's five principles.
type Principle string

const (
	PrincipleUniversalAccess Principle = "universal_access"
	PrinciplePrivacy         Principle = "privacy"
	PrincipleTransparency    Principle = "transparency"
	PrincipleParticipation   Principle = "participation"
	PrincipleOpenStandards   Principle = "open_standards"
)

// Principles in the declaration's order.
var Principles = []Principle{PrincipleUniversalAccess, PrinciplePrivacy, PrincipleTransparency, PrincipleParticipation, PrincipleOpenStandards}

// CommitmentKind is how a city committed itself politically.
type CommitmentKind string

const (
	CommitmentCouncilResolution CommitmentKind = "council_resolution"
	CommitmentMayorsLetter      CommitmentKind = "mayors_letter"
	CommitmentOther             CommitmentKind = "other"
)

// Contact is the person the coalition writes to about an application.
type Contact struct {
	Name  string `bson:"name"`
	Email string `bson:"email"`
	Role  string `bson:"role,omitempty"`
}

// Commitment is the city's political commitment to digital rights.
type Commitment struct {
	Kind      CommitmentKind `bson:"kind"`
	Reference string         `bson:"reference"`
	Date      time.Time      `bson:"date"`
}

// Policy is a policy or project that protects digital rights in practice.
type Policy struct {
	Title       string      `bson:"title"`
	Description string      `bson:"description,omitempty"`
	Link        string      `bson:"link,omitempty"`
	Principles  []Principle `bson:"principles"`
}

// Transition is one step of an application's history.
type Transition struct {
	From   ApplicationStatus `bson:"from"`
	To     ApplicationStatus `bson:"to"`
	By     string            `bson:"by"`
	At     time.Time         `bson:"at"`
	Reason string            `bson:"reason,omitempty"`
}

// Application is a city's application to join.
type Application struct {
	ID         string
	City       string
	CityKey    string // NameKey(City)
	Country    string
	Region     string
	Kind       Kind
	Population int64
	Contact    Contact
	Language   string
	Commitment Commitment
	Policies   []Policy
	Status     ApplicationStatus
	// TokenHash is the hash of the applicant token that submitting needs.
	TokenHash       string
	RejectionReason string
	MemberID        string
	History         []Transition
	CreatedAt       time.Time
}

// Errors about applications.
var (
	ErrApplicationNotFound = errors.New("application not found")
	ErrApplicantToken      = errors.New("the applicant token does not match this application")
	// ErrConcurrentChange: the document changed between reading and writing.
	ErrConcurrentChange = errors.New("changed concurrently; try again")
)

// TransitionError is an illegal state change: answered FailedPrecondition
// with its message.
type TransitionError struct{ Msg string }

func (e *TransitionError) Error() string { return e.Msg }

// Validate checks the rules beyond the contract's field bounds.
func (a Application) Validate() error {
	if !a.Kind.IsCity() {
		return &FieldError{Field: "kind", Reason: "kind.not_city", Description: "only a city or a network of cities can apply"}
	}
	if strings.TrimSpace(a.City) == "" {
		return &FieldError{Field: "city", Reason: "city.blank", Description: "a city name is required"}
	}
	if strings.TrimSpace(a.Contact.Name) == "" {
		return &FieldError{Field: "contact.name", Reason: "name.blank", Description: "a contact name is required"}
	}
	if len(a.Policies) == 0 {
		return &FieldError{Field: "policies", Reason: "policies.empty", Description: "at least one policy or project is required"}
	}
	for i, p := range a.Policies {
		if strings.TrimSpace(p.Title) == "" {
			return &FieldError{Field: fmt.Sprintf("policies[%d].title", i), Reason: "title.blank", Description: "a title is required"}
		}
		if len(p.Principles) == 0 {
			return &FieldError{Field: fmt.Sprintf("policies[%d].principles", i), Reason: "principles.empty",
				Description: "name at least one of the five principles the policy serves"}
		}
	}
	return nil
}

// PrinciplesServed are the principles the policies serve, in the
// declaration's order.
func (a Application) PrinciplesServed() []Principle {
	seen := map[Principle]bool{}
	for _, p := range a.Policies {
		for _, pr := range p.Principles {
			seen[pr] = true
		}
	}
	var out []Principle
	for _, p := range Principles {
		if seen[p] {
			out = append(out, p)
		}
	}
	return out
}

// next are the legal transitions.
var next = map[ApplicationStatus][]ApplicationStatus{
	ApplicationDraft:       {ApplicationSubmitted},
	ApplicationSubmitted:   {ApplicationUnderReview},
	ApplicationUnderReview: {ApplicationApproved, ApplicationRejected},
}

// verb is what each target status is called as an action.
var verb = map[ApplicationStatus]string{
	ApplicationSubmitted:   "submit",
	ApplicationUnderReview: "start reviewing",
	ApplicationApproved:    "approve",
	ApplicationRejected:    "reject",
}

// need is the status each target status must come from, for messages.
var need = map[ApplicationStatus]ApplicationStatus{
	ApplicationSubmitted:   ApplicationDraft,
	ApplicationUnderReview: ApplicationSubmitted,
	ApplicationApproved:    ApplicationUnderReview,
	ApplicationRejected:    ApplicationUnderReview,
}

// CanMove reports whether the application may move to status to, or a
// TransitionError saying why not.
func (a Application) CanMove(to ApplicationStatus) error {
	for _, s := range next[a.Status] {
		if s == to {
			return nil
		}
	}
	return &TransitionError{Msg: fmt.Sprintf("cannot %s an application that is %s: it must be %s",
		verb[to], a.Status.label(), need[to].label())}
}

// Move applies a legal transition, recording who and when.
func (a *Application) Move(to ApplicationStatus, by string, at time.Time, reason string) (Transition, error) {
	if err := a.CanMove(to); err != nil {
		return Transition{}, err
	}
	t := Transition{From: a.Status, To: to, By: by, At: at, Reason: reason}
	a.Status = to
	a.History = append(a.History, t)
	if to == ApplicationRejected {
		a.RejectionReason = reason
	}
	return t, nil
}
