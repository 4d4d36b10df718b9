package consumers

import (
	"context"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// SignerMail answers a signer: "you have already signed" when someone signs
// again with a confirmed address, and the confirmation of a withdrawal.
type SignerMail struct {
	Sender *Sender
	// BaseURL is the public address of the gateway (links in emails).
	BaseURL string
}

// Config is its durable consumer.
func (SignerMail) Config() broker.ConsumerConfig {
	return broker.ConsumerConfig{
		Stream:         broker.StreamName("petition"),
		Durable:        "notification-petition-signer",
		FilterSubjects: []string{"petition.signature.already_confirmed", "petition.signature.withdrawn"},
		Workers:        8,
	}
}

// Handle sends the email an event asks for.
func (s SignerMail) Handle(ctx context.Context, ev broker.Event) error {
	switch ev.Subject {
	case "petition.signature.already_confirmed":
		var m petitionv1.SignatureAlreadyConfirmed
		if err := ev.Decode(&m); err != nil {
			return broker.Permanent(err)
		}
		return s.Sender.Send(ctx, Email{
			Event: ev, Recipient: m.GetEmail(), Language: m.GetLanguage(), Template: "signature_already_confirmed",
			Data: map[string]any{
				"Name": m.GetName(), "City": m.GetCity(), "PetitionTitle": m.GetPetitionTitle(),
				"PetitionURL": s.BaseURL + "/petitions/" + m.GetPetitionId(),
			},
		})
	case "petition.signature.withdrawn":
		var m petitionv1.SignatureWithdrawn
		if err := ev.Decode(&m); err != nil {
			return broker.Permanent(err)
		}
		if m.GetEmail() == "" {
			return nil // withdrawn by an erasure: the erasure's own email tells the person
		}
		return s.Sender.Send(ctx, Email{
			Event: ev, Recipient: m.GetEmail(), Language: m.GetLanguage(), Template: "signature_withdrawn",
			Data: map[string]any{
				"Name": m.GetName(), "City": m.GetCity(), "PetitionTitle": m.GetPetitionTitle(),
				"PetitionURL": s.BaseURL + "/petitions/" + m.GetPetitionId(),
			},
		})
	default:
		return nil
	}
}
