package app

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
)

// RunReminders fires due reminders every interval until ctx ends. Reminders
// are documents, so they survive restarts; each fires once (a conditional
// update under the document's lock claims it, with its event in the same
// write).
func (a *App) RunReminders(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := a.FireDueReminders(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("reminders round failed; retrying", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// FireDueReminders fires the reminders due now and reports how many fired.
func (a *App) FireDueReminders(ctx context.Context) (int, error) {
	now := a.now()
	due, err := a.store.DueReminders(ctx, now, 100)
	if err != nil {
		return 0, err
	}
	fired := 0
	for _, r := range due {
		ok, err := a.fire(ctx, r, now)
		if err != nil {
			return fired, err
		}
		if ok {
			fired++
		}
	}
	if fired > 0 {
		a.relay.Kick()
	}
	return fired, nil
}

func (a *App) fire(ctx context.Context, r store.Reminder, now time.Time) (bool, error) {
	as, err := a.store.Assembly(ctx, r.AssemblyID)
	switch {
	case errors.Is(err, domain.ErrAssemblyNotFound):
		// Scheduling failed after the reminder was stored: nothing to remind of.
		_, err := a.store.FireReminder(ctx, r, now)
		return false, err
	case err != nil:
		return false, err
	}
	if as.Status == domain.StatusCancelled || !now.Before(as.StartsAt) {
		_, err := a.store.FireReminder(ctx, r, now) // nothing to send any more
		return false, err
	}
	if want := as.StartsAt.Add(-r.Lead); !want.Equal(r.DueAt) {
		// Rescheduled but the reminders were not moved (crash in between).
		return false, a.store.SetReminders(ctx, as.ID, as.StartsAt, now, []time.Duration{r.Lead})
	}
	var going []domain.Invitee
	for _, p := range as.Invitees {
		if p.Response != domain.ResponseDeclined {
			going = append(going, p)
		}
	}
	events, err := fanOut(textField(as), Invitations(as, going, nil), func(chunk []*eventsv1.Invitation) proto.Message {
		return &eventsv1.AssemblyReminderDue{Assembly: a.Proto(as), Lead: durationpb.New(r.Lead), Invitations: chunk}
	})
	var tooLarge *domain.FieldError
	if errors.As(err, &tooLarge) {
		// Stored before the size budget existed: a reminder cannot be
		// announced; dropping it keeps the other reminders going.
		a.log.Warn("reminder dropped: assembly too large to announce", zap.String("assembly_id", as.ID))
		_, err := a.store.FireReminder(ctx, r, now)
		return false, err
	}
	if err != nil {
		return false, err
	}
	return a.store.FireReminder(ctx, r, now, events...)
}
