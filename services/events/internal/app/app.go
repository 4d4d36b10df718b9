// Package app holds the events service's use cases, one file each. They take
// plain values, enforce the domain rules, and write through the store;
// transport (package grpcapi) only maps requests to them.
package app

import (
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/events/internal/store"
)

// Source is the CloudEvents source of the events this service publishes.
const Source = "/coalition/events"

// Kicker wakes the outbox relay after a write that queued events.
type Kicker interface{ Kick() }

// App is the events service's use cases.
type App struct {
	store *store.Store
	relay Kicker
	log   *zap.Logger
	now   func() time.Time
}

// New wires the use cases.
func New(st *store.Store, relay Kicker, log *zap.Logger) *App {
	return &App{store: st, relay: relay, log: log, now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}
