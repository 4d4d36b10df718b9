package consumers

import (
	"context"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// Consumer is one durable consumer: its JetStream settings and its handler.
type Consumer interface {
	Config() broker.ConsumerConfig
	Handle(ctx context.Context, ev broker.Event) error
}

// Deps are what the consumers need.
type Deps struct {
	Sender *Sender
	Store  *store.Store
	// DeadLetters are the service's dead letters (erasure purges them).
	DeadLetters *inbox.Store
	// BaseURL is the public address of the gateway (links in emails).
	BaseURL string
	// Coordinators are the addresses petition milestones go to, written in
	// CoordinatorLanguage.
	Coordinators        []string
	CoordinatorLanguage string
	Log                 *zap.Logger
}

// All are the service's consumers; the service runs each, and a dead
// letter is replayed through the one whose durable name it carries. A new
// consumer is added here.
func All(d Deps) []Consumer {
	return []Consumer{
		PetitionMail{Sender: d.Sender, BaseURL: d.BaseURL},
		PetitionOutcome{Sender: d.Sender, BaseURL: d.BaseURL},
		PetitionPrivacy{Sender: d.Sender, Store: d.Store, DeadLetters: d.DeadLetters, BaseURL: d.BaseURL, Log: d.Log},
		SignerMail{Sender: d.Sender, BaseURL: d.BaseURL},
		Milestones{Sender: d.Sender, BaseURL: d.BaseURL, Coordinators: d.Coordinators, Language: d.CoordinatorLanguage},
		MembershipMail{Sender: d.Sender, BaseURL: d.BaseURL},
		AssemblyMail{Sender: d.Sender}, // assembly.go
	}
}
