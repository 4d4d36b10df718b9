package broker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamOptions are the deployment-dependent settings of a stream.
type StreamOptions struct {
	// Replicas: 1 on a single node, 3 in a cluster.
	Replicas int
	// MaxAge bounds how long events are kept (events may carry personal
	// data, e.g. the address a confirmation goes to).
	MaxAge time.Duration
	// DuplicateWindow is how long JetStream remembers event ids to drop
	// re-publishes; it must exceed the outbox relay's retry horizon.
	DuplicateWindow time.Duration
}

// StreamName is the stream a service publishes to: one per producing
// service, named after it in capitals (PETITION, MEMBERSHIP, ...).
func StreamName(service string) string { return strings.ToUpper(service) }

// StreamConfig is the stream of one producing service: every subject
// `<service>.>` on file storage.
func StreamConfig(service string, o StreamOptions) jetstream.StreamConfig {
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 30 * time.Minute
	}
	return jetstream.StreamConfig{
		Name:        StreamName(service),
		Description: "domain events published by the " + service + " service",
		Subjects:    []string{service + ".>"},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Replicas:    o.Replicas,
		MaxAge:      o.MaxAge,
		Duplicates:  o.DuplicateWindow,
		Discard:     jetstream.DiscardOld,
	}
}

// EnsureStream creates the stream or updates it to cfg; safe to repeat.
func EnsureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) error {
	if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("provision stream %s: %w", cfg.Name, err)
	}
	return nil
}
