package consumers

import (
	"context"
	"errors"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// Milestones tells the coordinators' address list when a petition passes a
// milestone or reaches its goal (one email per coordinator per event).
type Milestones struct {
	Sender *Sender
	// BaseURL is the public address of the gateway (links in emails).
	BaseURL      string
	Coordinators []string
	Language     string
}

// Config is its durable consumer.
func (Milestones) Config() broker.ConsumerConfig {
	return broker.ConsumerConfig{
		Stream:         broker.StreamName("petition"),
		Durable:        "notification-petition-milestones",
		FilterSubjects: []string{"petition.petition.milestone_reached", "petition.petition.goal_reached"},
		Workers:        2,
	}
}

// Handle sends the email to every coordinator.
func (c Milestones) Handle(ctx context.Context, ev broker.Event) error {
	var template string
	var data map[string]any
	switch ev.Subject {
	case "petition.petition.milestone_reached":
		var m petitionv1.PetitionMilestoneReached
		if err := ev.Decode(&m); err != nil {
			return broker.Permanent(err)
		}
		if m.GetIsGoal() {
			return nil // petition.petition.goal_reached tells it
		}
		template = "petition_milestone"
		data = map[string]any{
			"City": m.GetCity(), "Milestone": m.GetMilestone(), "Count": m.GetConfirmedCount(),
			"PetitionURL": c.BaseURL + "/petitions/" + m.GetPetitionId(),
		}
	case "petition.petition.goal_reached":
		var m petitionv1.PetitionGoalReached
		if err := ev.Decode(&m); err != nil {
			return broker.Permanent(err)
		}
		template = "petition_goal_reached"
		data = map[string]any{
			"City": m.GetCity(), "Goal": m.GetGoal(), "Count": m.GetConfirmedCount(),
			"PetitionURL": c.BaseURL + "/petitions/" + m.GetPetitionId(),
		}
	default:
		return nil
	}
	// Each coordinator's delivery is recorded on its own; a redelivery
	// skips those already recorded.
	var errs []error
	for _, to := range c.Coordinators {
		errs = append(errs, c.Sender.Send(ctx, Email{Event: ev, Recipient: to, Language: c.Language, Template: template, Data: data}))
	}
	return errors.Join(errs...)
}
