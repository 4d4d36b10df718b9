package app

import (
	"context"
	"errors"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// RescheduleAssembly moves an assembly to new times (and, optionally, a new
// planning zone). The instants are recomputed from the local times with the
// zone's rules of today, the planned local times recorded again, SEQUENCE
// goes up and AssemblyRescheduled tells the invitees (same UID). Reminders
// follow the new start.
func (a *App) RescheduleAssembly(ctx context.Context, id string, times Times, zone string) (domain.Assembly, []Conflict, error) {
	if zone != "" {
		if _, err := domain.LoadZone(zone); err != nil {
			return domain.Assembly{}, nil, err
		}
	}
	var prevStart, prevEnd time.Time
	as, err := a.store.UpdateAssemblyLocked(ctx, id, func(as *domain.Assembly) ([]broker.Event, error) {
		if as.Status == domain.StatusCancelled {
			return nil, domain.ErrCancelled
		}
		if zone != "" {
			as.TimeZone = zone
		}
		start, end, err := times.resolve(as.TimeZone)
		if err != nil {
			return nil, err
		}
		prevStart, prevEnd = as.StartsAt, as.EndsAt
		as.StartsAt, as.EndsAt = start, end
		if !as.RSVPDeadline.IsZero() && as.RSVPDeadline.After(as.EndsAt) {
			as.RSVPDeadline = time.Time{} // moved earlier than the deadline: answers until the end
		}
		if err := as.Validate(); err != nil {
			return nil, err
		}
		as.Sequence++
		as.SetPlanned()
		return fanOut(textField(*as), Invitations(*as, as.Invitees, nil), func(chunk []*eventsv1.Invitation) proto.Message {
			return &eventsv1.AssemblyRescheduled{
				Assembly: a.Proto(*as), PreviousStartsAt: timestamppb.New(prevStart), PreviousEndsAt: timestamppb.New(prevEnd),
				Invitations: chunk,
			}
		})
	})
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	if err := a.store.SetReminders(ctx, as.ID, as.StartsAt, a.now(), a.opts.ReminderLeads); err != nil {
		// The reminder loop re-aligns reminders with the assembly's start.
		return domain.Assembly{}, nil, err
	}
	conflicts, err := a.conflicts(ctx, as.StartsAt, as.EndsAt, keysOf(as.Invitees), as.ID)
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	return as, conflicts, nil
}

// Changes are the fields UpdateAssembly may change; nil leaves one as is.
type Changes struct {
	Title, Description, OnlineURL *string
	HostCity, Venue               *string
	Agenda                        *[]domain.AgendaItem
	Capacity                      *int
	RSVPDeadline                  *time.Time
}

// UpdateAssembly changes what an assembly is about or where it is: SEQUENCE
// goes up and AssemblyUpdated tells the invitees what changed. A request
// that changes nothing (every value as it was) writes nothing and tells
// nobody.
func (a *App) UpdateAssembly(ctx context.Context, id string, c Changes) (domain.Assembly, error) {
	as, err := a.store.UpdateAssemblyLocked(ctx, id, func(as *domain.Assembly) ([]broker.Event, error) {
		if as.Status == domain.StatusCancelled {
			return nil, domain.ErrCancelled
		}
		before := *as
		if c.Title != nil {
			as.Title = domain.NormalizeSpace(*c.Title)
		}
		if c.Description != nil {
			as.Description = *c.Description
		}
		if c.OnlineURL != nil {
			as.OnlineURL = *c.OnlineURL
		}
		if c.HostCity != nil {
			as.HostCity = domain.NormalizeSpace(*c.HostCity)
		}
		if c.Venue != nil {
			as.Venue = domain.NormalizeSpace(*c.Venue)
		}
		if c.Agenda != nil {
			as.Agenda = *c.Agenda
		}
		if c.Capacity != nil {
			as.Capacity = *c.Capacity
		}
		if c.RSVPDeadline != nil {
			as.RSVPDeadline = c.RSVPDeadline.UTC().Truncate(time.Millisecond)
		}
		if err := as.Validate(); err != nil {
			return nil, err
		}
		changed := domain.Changed(before, *as)
		if len(changed) == 0 {
			return nil, errUnchanged
		}
		as.Sequence++
		return fanOut(textField(*as), Invitations(*as, as.Invitees, nil), func(chunk []*eventsv1.Invitation) proto.Message {
			return &eventsv1.AssemblyUpdated{Assembly: a.Proto(*as), Invitations: chunk, Changed: changed}
		})
	})
	if errors.Is(err, errUnchanged) {
		return a.store.Assembly(ctx, id)
	}
	if err != nil {
		return domain.Assembly{}, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	return as, nil
}

// CancelAssembly calls an assembly off: SEQUENCE goes up, AssemblyCancelled
// tells the invitees (METHOD:CANCEL), pending reminders are dropped.
func (a *App) CancelAssembly(ctx context.Context, id, reason string) (domain.Assembly, error) {
	as, err := a.store.UpdateAssemblyLocked(ctx, id, func(as *domain.Assembly) ([]broker.Event, error) {
		if as.Status == domain.StatusCancelled {
			return nil, domain.ErrCancelled
		}
		as.Status = domain.StatusCancelled
		as.CancelReason = reason
		as.Sequence++
		return fanOut(textField(*as), Invitations(*as, as.Invitees, nil), func(chunk []*eventsv1.Invitation) proto.Message {
			return &eventsv1.AssemblyCancelled{Assembly: a.Proto(*as), Reason: reason, Invitations: chunk}
		})
	})
	if err != nil {
		return domain.Assembly{}, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	if err := a.store.DeleteReminders(ctx, id); err != nil {
		return domain.Assembly{}, err // the loop drops a cancelled assembly's reminders too
	}
	return as, nil
}

// PublishMinutes records what an assembly that has taken place decided.
func (a *App) PublishMinutes(ctx context.Context, id, text string, outcomes []string) (domain.Assembly, error) {
	now := a.now()
	as, err := a.store.UpdateAssemblyLocked(ctx, id, func(as *domain.Assembly) ([]broker.Event, error) {
		if as.Status == domain.StatusCancelled {
			return nil, domain.ErrCancelled
		}
		if !as.Ended(now) {
			return nil, domain.ErrNotEnded
		}
		as.Minutes = &domain.Minutes{Text: text, Outcomes: outcomes, PublishedAt: now}
		withoutMinutes := a.Proto(*as)
		withoutMinutes.Minutes = nil // carried once, in minutes: they can be long
		return fanOut("text", Invitations(*as, as.Invitees, nil), func(chunk []*eventsv1.Invitation) proto.Message {
			return &eventsv1.AssemblyMinutesPublished{
				AssemblyId: as.ID, Title: as.Title, Public: as.Public, Minutes: MinutesToProto(as.Minutes),
				Assembly: withoutMinutes, Invitations: chunk,
			}
		})
	})
	if err != nil {
		return domain.Assembly{}, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	return as, nil
}
