// Package service assembles the events service: configuration, storage,
// outbox relay and gRPC API. cmd/events runs it alone; the dev launcher runs
// it in process beside the others.
package service

import (
	"context"
	"fmt"
	"time"
	_ "time/tzdata" // assemblies name IANA zones; the dev launcher runs this package in process too

	"go.uber.org/zap"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/app"
	"github.com/cc4dr/coalition/services/events/internal/grpcapi"
	"github.com/cc4dr/coalition/services/events/internal/membership"
	"github.com/cc4dr/coalition/services/events/internal/store"
	"github.com/cc4dr/coalition/services/kit/bootstrap"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/icalendar"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

// Name is the service's name: its NATS subjects start with it.
const Name = "events"

// Config is the events service's configuration (environment variables).
type Config struct {
	config.Common
	MongoDatabase  string          `env:"MONGO_DATABASE" envDefault:"events" desc:"database the events service owns"`
	GRPCAddr       string          `env:"GRPC_ADDR" envDefault:":9083" desc:"gRPC listen address"`
	AuthPublicKeys string          `env:"AUTH_PUBLIC_KEYS" desc:"Ed25519 public keys (base64url, comma separated) that sign bearer tokens"`
	StreamReplicas int             `env:"STREAM_REPLICAS" envDefault:"1" desc:"JetStream replicas of the EVENTS stream (3 in a cluster)"`
	StreamMaxAge   time.Duration   `env:"STREAM_MAX_AGE" envDefault:"720h" desc:"how long EVENTS events are kept (invitations carry RSVP links)"`
	MembershipAddr string          `env:"MEMBERSHIP_ADDR" envDefault:"127.0.0.1:9081" desc:"gRPC address of the membership service (who sits on an invited body)"`
	ServiceToken   string          `env:"SERVICE_TOKEN" desc:"bearer token with the SERVICE role for calls to other services"`
	PublicBaseURL  string          `env:"PUBLIC_BASE_URL" envDefault:"http://localhost:8080" desc:"public address of the gateway, for RSVP links in invitations"`
	OrganizerName  string          `env:"ORGANIZER_NAME" envDefault:"Cities Coalition for Digital Rights" desc:"ORGANIZER name in calendar invitations"`
	OrganizerEmail string          `env:"ORGANIZER_EMAIL" envDefault:"coordination@localhost" desc:"ORGANIZER email in calendar invitations (replies go there)"`
	QuorumFraction float64         `env:"QUORUM_FRACTION" envDefault:"0.5" desc:"share of a body's invitees who must accept for a quorum (rounded up)"`
	ReminderLeads  []time.Duration `env:"REMINDER_LEADS" envDefault:"168h,24h" envSeparator:"," desc:"reminders are due this long before an assembly starts (comma separated)"`
	ReminderPoll   time.Duration   `env:"REMINDER_POLL_INTERVAL" envDefault:"30s" desc:"how often due reminders are looked for"`
}

// Service is a started events service.
type Service struct {
	rt *bootstrap.Runtime
}

// New connects and wires the service; Run serves it.
func New(ctx context.Context, cfg Config, log *zap.Logger) (*Service, error) {
	rt, err := bootstrap.Start(ctx, bootstrap.Spec{
		Name: Name, MongoURI: cfg.MongoURI, MongoDatabase: cfg.MongoDatabase, NATSURL: cfg.NATSURL,
		NATSCredsFile: cfg.NATSCredsFile, GRPCAddr: cfg.GRPCAddr, AuthPublicKeys: cfg.AuthPublicKeys,
		Indexes: store.Indexes(), ShutdownTimeout: cfg.ShutdownTimeout,
	}, log)
	if err != nil {
		return nil, err
	}
	st := store.New(rt.DB, rt.Locks)
	relay := outbox.NewRelay(rt.JS, outbox.RelayOptions{
		Stream:      broker.StreamConfig(Name, broker.StreamOptions{Replicas: cfg.StreamReplicas, MaxAge: cfg.StreamMaxAge}),
		Collections: st.OutboxCollections(),
		Locks:       rt.Locks,
		Logger:      rt.Log,
	})
	rt.Go(func(ctx context.Context) error { relay.Run(ctx); return nil })

	members, err := membership.Dial(cfg.MembershipAddr, cfg.ServiceToken)
	if err != nil {
		return nil, err
	}
	a := app.New(st, relay, app.Options{
		Directory: members, PublicBaseURL: cfg.PublicBaseURL,
		Organizer:      icalendar.Organizer{Name: cfg.OrganizerName, Email: cfg.OrganizerEmail},
		QuorumFraction: cfg.QuorumFraction, ReminderLeads: cfg.ReminderLeads,
	}, rt.Log)
	poll := cfg.ReminderPoll
	if poll <= 0 {
		poll = 30 * time.Second
	}
	rt.Go(func(ctx context.Context) error {
		defer members.Close()
		return a.RunReminders(ctx, poll)
	})
	// Invitations stored before they recorded representative ids get them.
	rt.Go(a.RunBackfill)
	eventsv1.RegisterEventsServiceServer(rt.GRPC.GRPC(), grpcapi.New(a))
	return &Service{rt: rt}, nil
}

// Addr is the gRPC address the service listens on.
func (s *Service) Addr() string { return s.rt.GRPC.Addr() }

// Run serves until ctx ends, then shuts down gracefully.
func (s *Service) Run(ctx context.Context) error {
	if err := s.rt.Run(ctx); err != nil {
		return fmt.Errorf("%s: %w", Name, err)
	}
	return nil
}
