package consumers

import (
	"context"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// MembershipMail writes to a city's applicant (received, approved,
// rejected with the reason) and welcomes new representatives.
type MembershipMail struct {
	Sender *Sender
	// BaseURL is the public address of the gateway (links in emails).
	BaseURL string
}

// Config is its durable consumer.
func (MembershipMail) Config() broker.ConsumerConfig {
	return broker.ConsumerConfig{
		Stream:  broker.StreamName("membership"),
		Durable: "notification-membership-mail",
		FilterSubjects: []string{
			"membership.application.submitted", "membership.application.approved", "membership.application.rejected",
			"membership.representative.added",
		},
		Workers: 4,
	}
}

// Handle sends the email an event asks for.
func (m MembershipMail) Handle(ctx context.Context, ev broker.Event) error {
	switch ev.Subject {
	case "membership.application.submitted":
		var e membershipv1.ApplicationSubmitted
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.application(ctx, ev, e.GetApplication(), "application_received", nil)
	case "membership.application.approved":
		var e membershipv1.ApplicationApproved
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.application(ctx, ev, e.GetApplication(), "application_approved", nil)
	case "membership.application.rejected":
		var e membershipv1.ApplicationRejected
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.application(ctx, ev, e.GetApplication(), "application_rejected", map[string]any{"Reason": e.GetReason()})
	case "membership.representative.added":
		var e membershipv1.RepresentativeAdded
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		if e.GetEmail() == "" {
			return nil
		}
		return m.Sender.Send(ctx, Email{
			Event: ev, Recipient: e.GetEmail(), Language: e.GetLanguage(), Template: "representative_welcome",
			Data: map[string]any{"Name": e.GetName(), "MembersURL": m.BaseURL + "/members"},
		})
	default:
		return nil
	}
}

func (m MembershipMail) application(ctx context.Context, ev broker.Event, n *membershipv1.ApplicationNotice, template string, extra map[string]any) error {
	if n.GetContactEmail() == "" {
		return nil
	}
	data := map[string]any{
		"ContactName": n.GetContactName(), "City": n.GetCity(), "ApplicationID": n.GetApplicationId(),
		"MembersURL": m.BaseURL + "/members",
	}
	for k, v := range extra {
		data[k] = v
	}
	return m.Sender.Send(ctx, Email{Event: ev, Recipient: n.GetContactEmail(), Language: n.GetLanguage(), Template: template, Data: data})
}
