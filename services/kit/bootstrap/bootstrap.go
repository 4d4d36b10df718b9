// Package bootstrap starts what every service has — its database (pinged,
// indexed), its NATS connection, its gRPC server with the platform's
// interceptors — runs its background loops, and shuts all of it down in the
// right order: stop taking calls, finish calls and events in hand, stop the
// loops, then close connections.
package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// Spec says what to start.
type Spec struct {
	// Name of the service ("petition"); NATS connection name and log name.
	Name          string
	MongoURI      string
	MongoDatabase string
	NATSURL       string
	NATSCredsFile string
	GRPCAddr      string
	// AuthPublicKeys verify bearer tokens (comma-separated base64url Ed25519).
	AuthPublicKeys string
	// Indexes to ensure at start.
	Indexes []mongodb.Index
	// StartupTimeout bounds waiting for the database (default 30s).
	StartupTimeout time.Duration
	// ShutdownTimeout bounds graceful shutdown (default 15s).
	ShutdownTimeout time.Duration
}

// Runtime is a started service's shared parts.
type Runtime struct {
	Log  *zap.Logger
	DB   *mongo.Database
	NC   *nats.Conn
	JS   jetstream.JetStream
	GRPC *grpcserver.Server
	// Locks serialise writes to one document in this process: pass them to
	// every store that updates documents and to the outbox relay.
	Locks *mongodb.DocLocks

	spec   Spec
	client *mongo.Client
	loops  []func(context.Context) error
}

// Start connects to the database and NATS and opens the gRPC listener. NATS
// being down does not stop a start (events wait in the outbox); the
// database being down does, after StartupTimeout.
func Start(ctx context.Context, spec Spec, log *zap.Logger) (*Runtime, error) {
	if spec.StartupTimeout <= 0 {
		spec.StartupTimeout = 30 * time.Second
	}
	if spec.ShutdownTimeout <= 0 {
		spec.ShutdownTimeout = 15 * time.Second
	}
	log = log.Named(spec.Name)
	rt := &Runtime{Log: log, spec: spec, Locks: mongodb.NewDocLocks()}

	sctx, cancel := context.WithTimeout(ctx, spec.StartupTimeout)
	defer cancel()
	client, db, err := mongodb.Connect(sctx, spec.MongoURI, spec.MongoDatabase, log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Name, err)
	}
	rt.client, rt.DB = client, db
	if err := mongodb.EnsureIndexes(sctx, db, spec.Indexes...); err != nil {
		rt.closeStore()
		return nil, fmt.Errorf("%s: %w", spec.Name, err)
	}

	nc, js, err := broker.Connect(broker.ConnectOptions{URL: spec.NATSURL, Name: spec.Name, CredsFile: spec.NATSCredsFile, Logger: log})
	if err != nil {
		rt.closeStore()
		return nil, fmt.Errorf("%s: %w", spec.Name, err)
	}
	rt.NC, rt.JS = nc, js

	var verifier *auth.Verifier
	if spec.AuthPublicKeys != "" {
		keys, err := auth.ParsePublicKeys(spec.AuthPublicKeys)
		if err != nil {
			rt.closeAll()
			return nil, fmt.Errorf("%s: AUTH_PUBLIC_KEYS: %w", spec.Name, err)
		}
		verifier = auth.NewVerifier(keys...)
	}
	srv, err := grpcserver.New(grpcserver.Options{Name: spec.Name, Addr: spec.GRPCAddr, Verifier: verifier, Logger: log})
	if err != nil {
		rt.closeAll()
		return nil, fmt.Errorf("%s: %w", spec.Name, err)
	}
	rt.GRPC = srv
	return rt, nil
}

// Go adds a background loop (outbox relay, consumer, sweeper) that runs
// until the service stops. A loop returning an error stops the service.
func (rt *Runtime) Go(loop func(context.Context) error) { rt.loops = append(rt.loops, loop) }

// Run serves until ctx ends or a loop fails, then shuts down gracefully.
func (rt *Runtime) Run(ctx context.Context) error {
	defer rt.closeAll()
	loopCtx, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLoops()
	serveCtx, stopServing := context.WithCancel(ctx)
	defer stopServing()

	var wg sync.WaitGroup
	errc := make(chan error, len(rt.loops)+1)
	for _, loop := range rt.loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := loop(loopCtx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- err
				stopServing()
			}
		}()
	}
	rt.Log.Info("serving", zap.String("grpc", rt.GRPC.Addr()))
	err := rt.GRPC.Serve(serveCtx, rt.spec.ShutdownTimeout)
	// Calls are finished; now let consumers finish what they hold.
	stopLoops()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(rt.spec.ShutdownTimeout):
		rt.Log.Warn("background loops did not stop in time")
	}
	rt.Log.Info("stopped")
	select {
	case lerr := <-errc:
		return errors.Join(err, lerr)
	default:
		return err
	}
}

func (rt *Runtime) closeAll() {
	if rt.NC != nil {
		_ = rt.NC.Drain()
	}
	rt.closeStore()
}

func (rt *Runtime) closeStore() {
	if rt.client != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.client.Disconnect(ctx)
	}
}
