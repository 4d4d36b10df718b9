// Package app holds the petition service's use cases, one file each. They
// take plain values, enforce the domain rules, and write through the store;
// transport (package grpcapi) only maps requests to them.
package app

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// Source is the CloudEvents source of the events this service publishes.
const Source = "/coalition/petition"

// Relay is the outbox relay, told about every write that queued events: it
// reads the documents named by _id, without scanning (outbox.Relay.Notify).
type Relay interface {
	Notify(collection string, ids ...string)
}

// Options tune the use cases.
type Options struct {
	// ConfirmationTTL is how long a confirmation link works.
	ConfirmationTTL time.Duration
	// SignBatch tunes group commit of new signatures (store.SignatureBatcher).
	SignBatch store.BatchOptions
	// Count tunes the counter's batches (counter.go).
	Count CountOptions
	// Membership answers whether a city is already a member (lifecycle.go).
	Membership Membership
	// ResendInterval: signing again while pending re-sends the link at most
	// this often (0: every time).
	ResendInterval time.Duration
}

// App is the petition service's use cases.
type App struct {
	store *store.Store
	relay Relay
	opts  Options
	log   *zap.Logger
	now   func() time.Time
	// signer batches new signatures (group commit); counter folds
	// confirmations into counts. Both run as the service's loops (Loops).
	signer  *store.SignatureBatcher
	counter *Counter
}

// New wires the use cases.
func New(st *store.Store, relay Relay, opts Options, log *zap.Logger) *App {
	if opts.ConfirmationTTL <= 0 {
		opts.ConfirmationTTL = 7 * 24 * time.Hour
	}
	a := &App{store: st, relay: relay, opts: opts, log: log, now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
	a.signer = store.NewSignatureBatcher(st, opts.SignBatch)
	a.counter = newCounter(a, opts.Count)
	return a
}

// Loops are the background loops the service runs beside its API: group
// commit of signatures and the counter.
func (a *App) Loops() []func(context.Context) error {
	return []func(context.Context) error{a.signer.Run, a.counter.Run}
}

// Counter is the app's counter (tests drive its rounds directly).
func (a *App) Counter() *Counter { return a.counter }
