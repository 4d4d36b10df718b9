package consumers

import (
	"context"
	"net/url"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// PetitionMail is the consumer of petition events that concern signers.
type PetitionMail struct {
	Sender *Sender
	// BaseURL is the public address of the gateway (links in emails).
	BaseURL string
}

// Config is its durable consumer.
func (PetitionMail) Config() broker.ConsumerConfig {
	return broker.ConsumerConfig{
		Stream:         broker.StreamName("petition"),
		Durable:        "notification-petition-mail",
		FilterSubjects: []string{"petition.signature.requested"},
		Workers:        8,
	}
}

// Handle sends the email an event asks for.
func (p PetitionMail) Handle(ctx context.Context, ev broker.Event) error {
	var req petitionv1.SignatureRequested
	if err := ev.Decode(&req); err != nil {
		return broker.Permanent(err)
	}
	link := p.BaseURL + "/signatures/confirm?token=" + url.QueryEscape(req.GetConfirmationToken())
	return p.Sender.Send(ctx, Email{
		Event: ev, Recipient: req.GetEmail(), Language: req.GetLanguage(), Template: "signature_confirmation",
		Data: map[string]any{
			"Name": req.GetName(), "City": req.GetCity(), "PetitionTitle": req.GetPetitionTitle(),
			"ConfirmURL": link, "WithdrawURL": p.BaseURL + "/signatures/withdraw?token=" + url.QueryEscape(req.GetConfirmationToken()), "ExpiresAt": req.GetExpiresAt().AsTime().Format("2 Jan 2006 15:04 MST"),
		},
	})
}
