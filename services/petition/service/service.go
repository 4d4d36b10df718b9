// Package service assembles the petition service: configuration, storage,
// outbox relay and gRPC API. cmd/petition runs it alone; the dev launcher
// runs it in process beside the others.
package service

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/bootstrap"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/petition/internal/app"
	"github.com/cc4dr/coalition/services/petition/internal/grpcapi"
	"github.com/cc4dr/coalition/services/petition/internal/membership"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// Name is the service's name: its NATS subjects start with it.
const Name = "petition"

// Config is the petition service's configuration (environment variables).
type Config struct {
	config.Common
	MongoDatabase   string        `env:"MONGO_DATABASE" envDefault:"petition" desc:"database the petition service owns"`
	GRPCAddr        string        `env:"GRPC_ADDR" envDefault:":9082" desc:"gRPC listen address"`
	AuthPublicKeys  string        `env:"AUTH_PUBLIC_KEYS" desc:"Ed25519 public keys (base64url, comma separated) that sign bearer tokens"`
	ConfirmationTTL time.Duration `env:"CONFIRMATION_TTL" envDefault:"168h" desc:"how long a confirmation link works"`
	StreamReplicas  int           `env:"STREAM_REPLICAS" envDefault:"1" desc:"JetStream replicas of the PETITION stream (3 in a cluster)"`
	StreamMaxAge    time.Duration `env:"STREAM_MAX_AGE" envDefault:"168h" desc:"how long PETITION events are kept (they carry confirmation links, signers' and erased email addresses)"`
	LifecycleConfig               // lifecycle.go
	BatchConfig                   // batching.go
}

// Service is a started petition service.
type Service struct {
	rt *bootstrap.Runtime
}

// New connects and wires the service; Run serves it.
func New(ctx context.Context, cfg Config, log *zap.Logger) (*Service, error) {
	rt, err := bootstrap.Start(ctx, bootstrap.Spec{
		Name: Name, MongoURI: cfg.MongoURI, MongoDatabase: cfg.MongoDatabase, NATSURL: cfg.NATSURL,
		NATSCredsFile: cfg.NATSCredsFile, GRPCAddr: cfg.GRPCAddr, AuthPublicKeys: cfg.AuthPublicKeys,
		Indexes: append(store.Indexes(), inbox.Indexes()...), ShutdownTimeout: cfg.ShutdownTimeout,
	}, log)
	if err != nil {
		return nil, err
	}
	// Asked once: the embedded store needs conditional updates written
	// its way (mongodb.Updater).
	ferret, err := mongodb.IsFerretDB(ctx, rt.DB)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	upd := mongodb.NewUpdater(rt.Locks, ferret)
	st := store.New(rt.DB, upd)
	relay := outbox.NewRelay(rt.JS, outbox.RelayOptions{
		Stream:       broker.StreamConfig(Name, broker.StreamOptions{Replicas: cfg.StreamReplicas, MaxAge: cfg.StreamMaxAge}),
		Collections:  st.OutboxCollections(),
		Locks:        rt.Locks,
		Updater:      upd,
		PollInterval: cfg.OutboxScanInterval, // every writer names its documents (Notify)
		Logger:       rt.Log,
	})
	rt.Go(func(ctx context.Context) error { relay.Run(ctx); return nil })

	members, err := membership.Dial(cfg.MembershipAddr, cfg.ServiceToken)
	if err != nil {
		return nil, err
	}
	a := app.New(st, relay, app.Options{
		ConfirmationTTL: cfg.ConfirmationTTL, Membership: members, ResendInterval: cfg.ResendInterval,
		SignBatch: cfg.signBatch(), Count: cfg.count(),
	}, rt.Log)
	startLifecycle(rt, a, cfg.LifecycleConfig)
	for _, loop := range a.Loops() { // group commit of signatures, counter
		rt.Go(loop)
	}
	petitionv1.RegisterPetitionServiceServer(rt.GRPC.GRPC(), grpcapi.New(a).WithLimits(limits(cfg.LifecycleConfig)))
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
