package consumers

import (
	"context"
	"errors"
	"fmt"
	"time"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/icalendar"
)

// AssemblyMail writes to the invitees of the coalition's assemblies (events
// service): one email per invitee and event, in the invitee's language,
// with times in their zone and in the planning zone, and a calendar
// invitation (.ics) where their calendar should change. Each event carries
// the assembly and the invitations it concerns, so nothing is asked of the
// events service.
type AssemblyMail struct {
	Sender *Sender
}

// Config is its durable consumer.
func (AssemblyMail) Config() broker.ConsumerConfig {
	return broker.ConsumerConfig{
		Stream:  broker.StreamName("events"),
		Durable: "notification-assembly-mail",
		FilterSubjects: []string{
			"events.assembly.invited", "events.assembly.invitees_added", "events.assembly.rescheduled",
			"events.assembly.updated", "events.assembly.cancelled", "events.assembly.invitees_removed",
			"events.assembly.reminder_due", "events.assembly.minutes_published",
		},
		// Few workers keep an assembly's emails mostly in order (invitation
		// before update); the calendar's SEQUENCE orders them anyway.
		Workers: 2,
		// One event records an email for every invitee (up to 1 000): more
		// time than one email needs. A handler cut short resumes where it
		// stopped, since recorded deliveries are skipped.
		AckWait: 2 * time.Minute,
	}
}

// assemblyEmail is what one kind of assembly event asks to send.
type assemblyEmail struct {
	template string
	// method of the attached calendar invitation ("": none).
	method icalendar.Method
	// rescheduled: PARTSTAT goes back to NEEDS-ACTION (new times need a
	// new answer from the calendar's point of view).
	rescheduled bool
	// extra adds what this kind of email shows beyond the common details.
	extra func(data map[string]any, lang, zone string)
}

// Handle sends the emails an assembly event asks for.
func (m AssemblyMail) Handle(ctx context.Context, ev broker.Event) error {
	switch ev.Subject {
	case "events.assembly.invited":
		var e eventsv1.AssemblyInvited
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(), invitationEmail)
	case "events.assembly.invitees_added":
		var e eventsv1.AssemblyInviteesAdded
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(), invitationEmail)
	case "events.assembly.rescheduled":
		var e eventsv1.AssemblyRescheduled
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(),
			rescheduledEmail(e.GetAssembly().GetTimeZone(), e.GetPreviousStartsAt().AsTime(), e.GetPreviousEndsAt().AsTime()))
	case "events.assembly.updated":
		var e eventsv1.AssemblyUpdated
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(), updatedEmail(e.GetChanged()))
	case "events.assembly.cancelled":
		var e eventsv1.AssemblyCancelled
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(), cancelledEmail(e.GetReason()))
	case "events.assembly.invitees_removed":
		var e eventsv1.AssemblyInviteesRemoved
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(), uninvitedEmail)
	case "events.assembly.reminder_due":
		var e eventsv1.AssemblyReminderDue
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(), reminderEmail)
	case "events.assembly.minutes_published":
		var e eventsv1.AssemblyMinutesPublished
		if err := ev.Decode(&e); err != nil {
			return broker.Permanent(err)
		}
		return m.send(ctx, ev, e.GetAssembly(), e.GetInvitations(), minutesEmail(e.GetMinutes()))
	default:
		return nil
	}
}

var errNoAssembly = errors.New("assembly event without its assembly")

// send writes to every invitation's invitee. An invitee whose email cannot
// be recorded for now does not hold back the others: the event is retried
// once all were tried, and those already recorded are skipped then.
func (m AssemblyMail) send(ctx context.Context, ev broker.Event, a *eventsv1.Assembly, invitations []*eventsv1.Invitation, kind assemblyEmail) error {
	if a == nil || a.GetUid() == "" || a.GetStartsAt() == nil || a.GetEndsAt() == nil {
		return broker.Permanent(fmt.Errorf("%s %s: %w", ev.Type, ev.ID, errNoAssembly))
	}
	var errs []error
	for _, inv := range invitations {
		to := inv.GetInvitee().GetEmail()
		if to == "" {
			continue
		}
		if err := m.Sender.Send(ctx, assemblyMessage(ev, a, inv, kind)); err != nil {
			if ctx.Err() != nil {
				return err
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
