// Package app holds the events service's use cases, one file each. They take
// plain values, enforce the domain rules, and write through the store;
// transport (package grpcapi) only maps requests to them.
package app

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/events/internal/store"
	"github.com/cc4dr/coalition/services/kit/icalendar"
)

// Source is the CloudEvents source of the events this service publishes.
const Source = "/coalition/events"

// Kicker wakes the outbox relay after a write that queued events: Notify
// names the documents (published without a scan, the common case), Kick
// asks for a scan (when the writer does not know which documents).
type Kicker interface {
	Kick()
	Notify(collection string, ids ...string)
}

// Directory resolves an invited body into its people (the membership
// service over gRPC in production).
type Directory interface {
	BodyMembers(ctx context.Context, bodyID string) ([]domain.Invitee, error)
}

// Options configure the use cases.
type Options struct {
	// Directory resolves bodies; nil: inviting bodies fails with
	// domain.ErrMembershipDown.
	Directory Directory
	// PublicBaseURL is where people reach the gateway (RSVP links).
	PublicBaseURL string
	Organizer     icalendar.Organizer
	// QuorumFraction of a body's invitees must accept for a quorum.
	QuorumFraction float64
	// ReminderLeads: a reminder is due this long before each start.
	ReminderLeads []time.Duration
	WorkingHours  domain.WorkingHours
}

// App is the events service's use cases.
type App struct {
	store *store.Store
	relay Kicker
	log   *zap.Logger
	opts  Options
	now   func() time.Time
}

// New wires the use cases.
func New(st *store.Store, relay Kicker, opts Options, log *zap.Logger) *App {
	if opts.QuorumFraction <= 0 || opts.QuorumFraction > 1 {
		opts.QuorumFraction = 0.5
	}
	if opts.WorkingHours.End == 0 {
		opts.WorkingHours = domain.DefaultWorkingHours
	}
	return &App{store: st, relay: relay, log: log, opts: opts, now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}
