package domain

import "time"

// PetitionStatus is the lifecycle of a petition.
type PetitionStatus string

const (
	PetitionOpen        PetitionStatus = "open"
	PetitionGoalReached PetitionStatus = "goal_reached"
	PetitionSucceeded   PetitionStatus = "succeeded"
	PetitionClosed      PetitionStatus = "closed"
)

// Text is a petition's title and body in one language.
type Text struct {
	Language string `bson:"language"`
	Title    string `bson:"title"`
	Body     string `bson:"body"`
}

// Petition asks one city to join the coalition.
type Petition struct {
	ID             string
	City           string
	Country        string
	Region         string
	Texts          []Text
	Goal           int64
	Status         PetitionStatus
	ConfirmedCount int64
	CreatedAt      time.Time
	ClosesAt       time.Time
	// Lifecycle (lifecycle.go): why a proposal was rejected, who proposed
	// it, and the member entry of the city when it succeeded.
	RejectionReason string
	Proposer        Proposer
	MemberID        string
	SucceededAt     time.Time
}

// AcceptsSignatures reports whether the petition takes signatures at now.
func (p Petition) AcceptsSignatures(now time.Time) bool {
	if !p.ClosesAt.IsZero() && now.After(p.ClosesAt) {
		return false
	}
	return p.Status == PetitionOpen || p.Status == PetitionGoalReached
}

// Title is the title in language, falling back to English, then to the
// first text.
func (p Petition) Title(language string) string {
	var fallback string
	for _, t := range p.Texts {
		if t.Language == language {
			return t.Title
		}
		if t.Language == DefaultLanguage {
			fallback = t.Title
		}
	}
	if fallback == "" && len(p.Texts) > 0 {
		fallback = p.Texts[0].Title
	}
	return fallback
}
