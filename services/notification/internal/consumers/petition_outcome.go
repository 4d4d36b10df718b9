package consumers

import (
	"context"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// PetitionOutcome tells signers who asked to hear back how their petition
// ended (petition.signature.outcome_announced, one event per signer).
type PetitionOutcome struct {
	Sender *Sender
	// BaseURL is the public address of the gateway (links in emails).
	BaseURL string
}

// Config is its durable consumer.
func (PetitionOutcome) Config() broker.ConsumerConfig {
	return broker.ConsumerConfig{
		Stream:         broker.StreamName("petition"),
		Durable:        "notification-petition-outcome",
		FilterSubjects: []string{"petition.signature.outcome_announced"},
		Workers:        8,
	}
}

// outcomeTemplates maps an outcome to its email; outcomes without one are
// not announced by email (yet).
var outcomeTemplates = map[petitionv1.PetitionStatus]string{
	petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED: "petition_succeeded",
}

// Handle sends the outcome email.
func (p PetitionOutcome) Handle(ctx context.Context, ev broker.Event) error {
	var m petitionv1.SignatureOutcomeAnnounced
	if err := ev.Decode(&m); err != nil {
		return broker.Permanent(err)
	}
	tpl, ok := outcomeTemplates[m.GetOutcome()]
	if !ok || m.GetEmail() == "" {
		return nil
	}
	return p.Sender.Send(ctx, Email{
		Event: ev, Recipient: m.GetEmail(), Language: m.GetLanguage(), Template: tpl,
		Data: map[string]any{
			"Name": m.GetName(), "City": m.GetCity(), "PetitionTitle": m.GetPetitionTitle(),
			"PetitionURL": p.BaseURL + "/petitions/" + m.GetPetitionId(),
		},
	})
}
