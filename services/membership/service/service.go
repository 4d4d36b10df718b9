// Package service assembles the membership service: configuration, storage,
// outbox relay and gRPC API. cmd/membership runs it alone; the dev launcher
// runs it in process beside the others.
package service

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/bootstrap"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/membership/internal/app"
	"github.com/cc4dr/coalition/services/membership/internal/grpcapi"
	"github.com/cc4dr/coalition/services/membership/internal/store"
)

// Name is the service's name: its NATS subjects start with it.
const Name = "membership"

// Config is the membership service's configuration (environment variables).
type Config struct {
	config.Common
	MongoDatabase  string        `env:"MONGO_DATABASE" envDefault:"membership" desc:"database the membership service owns"`
	GRPCAddr       string        `env:"GRPC_ADDR" envDefault:":9081" desc:"gRPC listen address"`
	AuthPublicKeys string        `env:"AUTH_PUBLIC_KEYS" desc:"Ed25519 public keys (base64url, comma separated) that sign bearer tokens"`
	StreamReplicas int           `env:"STREAM_REPLICAS" envDefault:"1" desc:"JetStream replicas of the MEMBERSHIP stream (3 in a cluster)"`
	StreamMaxAge   time.Duration `env:"STREAM_MAX_AGE" envDefault:"720h" desc:"how long MEMBERSHIP events are kept"`
}

// Service is a started membership service.
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

	a := app.New(st, relay, rt.Log)
	membershipv1.RegisterMembershipServiceServer(rt.GRPC.GRPC(), grpcapi.New(a))
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
