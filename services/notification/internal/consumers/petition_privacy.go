package consumers

import (
	"context"
	"net/url"

	"go.uber.org/zap"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// PetitionPrivacy handles a person's erasure: it emails the confirmation
// link (petition.erasure.requested) and, once confirmed
// (petition.erasure.confirmed), forgets every delivery to the address and
// every dead letter whose event names it (so no replay emails them again).
type PetitionPrivacy struct {
	Sender *Sender
	Store  *store.Store
	// DeadLetters are the service's dead letters.
	DeadLetters *inbox.Store
	// BaseURL is the public address of the gateway (links in emails).
	BaseURL string
	Log     *zap.Logger
}

// Config is its durable consumer.
func (PetitionPrivacy) Config() broker.ConsumerConfig {
	return broker.ConsumerConfig{
		Stream:         broker.StreamName("petition"),
		Durable:        "notification-petition-erasure",
		FilterSubjects: []string{"petition.erasure.requested", "petition.erasure.confirmed"},
		Workers:        1, // in order: a confirmation follows its request
	}
}

// Handle applies one event.
func (p PetitionPrivacy) Handle(ctx context.Context, ev broker.Event) error {
	switch ev.Subject {
	case "petition.erasure.requested":
		var m petitionv1.ErasureRequested
		if err := ev.Decode(&m); err != nil {
			return broker.Permanent(err)
		}
		return p.Sender.Send(ctx, Email{
			Event: ev, Recipient: m.GetEmail(), Language: m.GetLanguage(), Template: "erasure_confirmation",
			Data: map[string]any{
				"ConfirmURL": p.BaseURL + "/erasure/confirm?token=" + url.QueryEscape(m.GetConfirmationToken()),
				"ExpiresAt":  m.GetExpiresAt().AsTime().Format("2 Jan 2006 15:04 MST"),
			},
		})
	case "petition.erasure.confirmed":
		var m petitionv1.ErasureConfirmed
		if err := ev.Decode(&m); err != nil {
			return broker.Permanent(err)
		}
		n, err := p.Store.ForgetRecipient(ctx, m.GetEmail())
		if err != nil {
			return err
		}
		dead, err := p.DeadLetters.PurgeConcerning(ctx, logging.EmailHash(m.GetEmail()))
		if err != nil {
			return err
		}
		p.Log.Info("recipient forgotten", zap.String("recipient", m.GetEmailHash()), zap.Int64("deliveries", n), zap.Int64("dead_letters", dead))
		return nil
	default:
		return nil
	}
}
