package app

import (
	"context"
	"strconv"
	"time"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/icalendar"
)

// PersonSpan is one invitee's view of an assembly's times.
type PersonSpan struct {
	Invitee domain.Invitee
	Span    domain.Span
}

// InviteeTimes shows an assembly in its own zone and in each invitee's.
func (a *App) InviteeTimes(ctx context.Context, id string) (domain.Span, []PersonSpan, error) {
	as, err := a.store.Assembly(ctx, id)
	if err != nil {
		return domain.Span{}, nil, err
	}
	out := make([]PersonSpan, len(as.Invitees))
	for i, p := range as.Invitees {
		out[i] = PersonSpan{Invitee: p, Span: domain.SpanIn(as.StartsAt, as.EndsAt, p.TimeZone)}
	}
	return domain.SpanIn(as.StartsAt, as.EndsAt, as.TimeZone), out, nil
}

// SlotRequest asks for candidate start times.
type SlotRequest struct {
	People                 []domain.Invitee
	BodyIDs                []string
	Duration, Step         time.Duration
	WindowStart, WindowEnd time.Time
	Limit                  int
}

// SuggestSlots ranks candidate starts by how many invitees have them inside
// their working hours (in their own zone), best first, ties by earliest.
func (a *App) SuggestSlots(ctx context.Context, r SlotRequest) ([]domain.Slot, int, error) {
	members, err := a.resolveBodies(ctx, r.BodyIDs)
	if err != nil {
		return nil, 0, err
	}
	for i, p := range r.People {
		if _, err := domain.LoadZone(p.TimeZone); err != nil {
			fe := *err.(*domain.FieldError)
			fe.Field = "people[" + strconv.Itoa(i) + "].time_zone"
			return nil, 0, &fe
		}
	}
	people := domain.MergeInvitees("UTC", r.People, members)
	att := make([]domain.Attendee, len(people))
	for i, p := range people {
		att[i] = domain.Attendee{Email: p.Key, TimeZone: p.TimeZone}
	}
	if r.Step <= 0 {
		r.Step = 30 * time.Minute
	}
	if r.Limit <= 0 {
		r.Limit = 10
	}
	return domain.SuggestSlots(att, r.Duration, r.Step, r.WindowStart.UTC(), r.WindowEnd.UTC(), a.opts.WorkingHours, r.Limit), len(att), nil
}

// PublicCalendar is the public calendar as iCalendar text: public
// assemblies that ended at most 30 days ago or later (cancelled ones too,
// marked STATUS:CANCELLED, so subscribed calendars drop them).
func (a *App) PublicCalendar(ctx context.Context) (string, error) {
	now := a.now()
	list, err := a.store.UpcomingPublic(ctx, now.Add(-30*24*time.Hour), 1000, time.Time{}, "")
	if err != nil {
		return "", err
	}
	return icalendar.Publish("Cities Coalition for Digital Rights — assemblies", calendarEvents(list), a.opts.Organizer, now), nil
}
