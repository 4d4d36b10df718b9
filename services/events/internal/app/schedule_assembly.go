package app

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
)

// Times are an assembly's times as a request gives them: instants, or
// wall-clock times in the planning zone (which win when given).
type Times struct {
	StartsAt, EndsAt     time.Time
	LocalStart, LocalEnd string
}

// resolve turns the request's times into instants in zone.
func (t Times) resolve(zone string) (time.Time, time.Time, error) {
	start, end := t.StartsAt, t.EndsAt
	if t.LocalStart != "" || t.LocalEnd != "" {
		loc, err := domain.LoadZone(zone)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		if t.LocalStart == "" || t.LocalEnd == "" {
			return time.Time{}, time.Time{}, &domain.FieldError{Field: "local_end", Reason: "local_times.incomplete",
				Description: "give both local_start and local_end"}
		}
		if start, err = domain.ParseLocal("local_start", t.LocalStart, loc); err != nil {
			return time.Time{}, time.Time{}, err
		}
		if end, err = domain.ParseLocal("local_end", t.LocalEnd, loc); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	if start.IsZero() {
		return time.Time{}, time.Time{}, &domain.FieldError{Field: "starts_at", Reason: "starts_at.required", Description: "a start is required (starts_at or local_start)"}
	}
	if end.IsZero() {
		return time.Time{}, time.Time{}, &domain.FieldError{Field: "ends_at", Reason: "ends_at.required", Description: "an end is required (ends_at or local_end)"}
	}
	// The store keeps milliseconds: round now so what is returned is what is stored.
	return start.UTC().Truncate(time.Millisecond), end.UTC().Truncate(time.Millisecond), nil
}

// Conflict is an invitee already invited elsewhere at an overlapping time.
type Conflict struct {
	Email    string
	Assembly domain.Assembly
}

// ScheduleAssembly puts an assembly on the calendar with its invitees:
// people named in the request and everyone sitting on the invited bodies.
// AssemblyScheduled and AssemblyInvited (with each invitee's RSVP link,
// split over several events for many invitees: see fanOut) ride in the same
// write; reminders are stored just before it.
func (a *App) ScheduleAssembly(ctx context.Context, as domain.Assembly, times Times, people []domain.Invitee) (domain.Assembly, []Conflict, error) {
	as.Title = domain.NormalizeSpace(as.Title)
	as.HostCity = domain.NormalizeSpace(as.HostCity)
	as.Venue = domain.NormalizeSpace(as.Venue)
	if _, err := domain.LoadZone(as.TimeZone); err != nil {
		return domain.Assembly{}, nil, err
	}
	var err error
	if as.StartsAt, as.EndsAt, err = times.resolve(as.TimeZone); err != nil {
		return domain.Assembly{}, nil, err
	}
	as.RSVPDeadline = as.RSVPDeadline.UTC().Truncate(time.Millisecond)
	for i := range people {
		people[i].BodyID = ""
		if people[i].TimeZone == "" {
			continue
		}
		if _, err := domain.LoadZone(people[i].TimeZone); err != nil {
			fe := *err.(*domain.FieldError)
			fe.Field = "people[" + strconv.Itoa(i) + "].time_zone"
			return domain.Assembly{}, nil, &fe
		}
	}
	members, err := a.resolveBodies(ctx, as.BodyIDs)
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	as.Invitees = domain.MergeInvitees(as.TimeZone, people, members)
	if err := as.Validate(); err != nil {
		return domain.Assembly{}, nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Assembly{}, nil, fmt.Errorf("assembly id: %w", err)
	}
	as.ID = id.String()
	as.Status = domain.StatusScheduled
	as.CreatedAt = a.now()
	as.Sequence = 0
	as.SetPlanned()

	links := make(map[string]string, len(as.Invitees))
	for i := range as.Invitees {
		token, hash, err := domain.NewToken()
		if err != nil {
			return domain.Assembly{}, nil, err
		}
		as.Invitees[i].TokenHash = hash
		links[as.Invitees[i].Key] = a.rsvpURL(as.ID, token)
	}
	conflicts, err := a.conflicts(ctx, as.StartsAt, as.EndsAt, keysOf(as.Invitees), "")
	if err != nil {
		return domain.Assembly{}, nil, err
	}

	feeds, err := a.newFeeds(ctx, as.Invitees)
	if err != nil {
		return domain.Assembly{}, nil, err
	}

	events, err := fanOut(textField(as), nil, func([]*eventsv1.Invitation) proto.Message {
		return &eventsv1.AssemblyScheduled{Assembly: a.Proto(as)}
	})
	if err != nil {
		return domain.Assembly{}, nil, err
	}
	if len(as.Invitees) > 0 {
		invitations := Invitations(as, as.Invitees, links)
		for i, p := range as.Invitees {
			invitations[i].FeedUrl = feeds[p.Key]
		}
		invited, err := fanOut(textField(as), invitations, func(chunk []*eventsv1.Invitation) proto.Message {
			return &eventsv1.AssemblyInvited{Assembly: a.Proto(as), Invitations: chunk}
		})
		if err != nil {
			return domain.Assembly{}, nil, err
		}
		events = append(events, invited...)
	}
	// Reminders first: if the insert then fails, the reminder loop finds no
	// assembly and drops them; the other order could lose them.
	if err := a.store.SetReminders(ctx, as.ID, as.StartsAt, a.now(), a.opts.ReminderLeads); err != nil {
		return domain.Assembly{}, nil, err
	}
	if err := a.store.InsertAssembly(ctx, as, events...); err != nil {
		return domain.Assembly{}, nil, err
	}
	a.relay.Notify(store.CollectionAssemblies, as.ID)
	a.log.Debug("assembly scheduled", zap.String("assembly_id", as.ID), zap.String("kind", string(as.Kind)),
		zap.Int("invitees", len(as.Invitees)), zap.Int("conflicts", len(conflicts)))
	return as, conflicts, nil
}

func (a *App) rsvpURL(assemblyID, token string) string {
	q := url.Values{"assembly": {assemblyID}, "token": {token}}
	return strings.TrimRight(a.opts.PublicBaseURL, "/") + "/invitations/respond?" + q.Encode()
}

// resolveBodies asks the directory for the people of each body. A member
// whose time zone membership does not know (or that is not an IANA name)
// gets the assembly's.
func (a *App) resolveBodies(ctx context.Context, bodyIDs []string) ([]domain.Invitee, error) {
	if len(bodyIDs) == 0 {
		return nil, nil
	}
	if a.opts.Directory == nil {
		return nil, domain.ErrMembershipDown
	}
	var out []domain.Invitee
	for _, id := range bodyIDs {
		people, err := a.opts.Directory.BodyMembers(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if _, err := domain.LoadZone(p.TimeZone); err != nil {
				p.TimeZone = ""
			}
			p.BodyID = id
			out = append(out, p)
		}
	}
	return out, nil
}

func keysOf(invitees []domain.Invitee) []string {
	keys := make([]string, 0, len(invitees))
	for _, p := range invitees {
		keys = append(keys, p.Key)
	}
	return keys
}

// conflicts lists, per person key, other scheduled assemblies overlapping
// [start, end) that invite them.
func (a *App) conflicts(ctx context.Context, start, end time.Time, keys []string, exclude string) ([]Conflict, error) {
	others, err := a.store.Overlapping(ctx, start, end, keys, exclude)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	var out []Conflict
	for _, o := range others {
		for _, p := range o.Invitees {
			if want[p.Key] {
				out = append(out, Conflict{Email: p.Key, Assembly: o})
			}
		}
	}
	return out, nil
}

// CheckConflicts reports which of the given people (emails, and the people
// of the given bodies) are invited to another assembly overlapping
// [start, end).
func (a *App) CheckConflicts(ctx context.Context, start, end time.Time, emails, bodyIDs []string, exclude string) ([]Conflict, error) {
	members, err := a.resolveBodies(ctx, bodyIDs)
	if err != nil {
		return nil, err
	}
	people := make([]domain.Invitee, 0, len(emails))
	for _, e := range emails {
		people = append(people, domain.Invitee{Email: e})
	}
	return a.conflicts(ctx, start, end, keysOf(domain.MergeInvitees("UTC", people, members)), exclude)
}
