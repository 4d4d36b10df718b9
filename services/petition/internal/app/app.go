// Package app holds the petition service's use cases, one file each. They
// take plain values, enforce the domain rules, and write through the store;
// transport (package grpcapi) only maps requests to them.
package app

import (
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// Source is the CloudEvents source of the events this service publishes.
const Source = "/coalition/petition"

// Kicker wakes the outbox relay after a write that queued events.
type Kicker interface{ Kick() }

// Options tune the use cases.
type Options struct {
	// ConfirmationTTL is how long a confirmation link works.
	ConfirmationTTL time.Duration
}

// App is the petition service's use cases.
type App struct {
	store *store.Store
	relay Kicker
	opts  Options
	log   *zap.Logger
	now   func() time.Time
}

// New wires the use cases.
func New(st *store.Store, relay Kicker, opts Options, log *zap.Logger) *App {
	if opts.ConfirmationTTL <= 0 {
		opts.ConfirmationTTL = 7 * 24 * time.Hour
	}
	return &App{store: st, relay: relay, opts: opts, log: log, now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}
