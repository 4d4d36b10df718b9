// Package grpcserver bootstraps every service's gRPC server the same way:
// health and reflection services, and a chain of interceptors — panic
// recovery, request logging (method, code, duration; never payloads, which
// hold personal data), authentication and per-method access, protovalidate
// validation with field-level errors, and mapping of store outages to
// Unavailable. Serve stops gracefully when its context ends.
package grpcserver

import (
	"context"
	"fmt"
	"net"
	"time"

	"buf.build/go/protovalidate"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"

	"github.com/cc4dr/coalition/services/kit/auth"
)

// Options configure a server.
type Options struct {
	// Name is the service's name, used in logs.
	Name string
	// Addr to listen on, e.g. "127.0.0.1:0" or ":8081".
	Addr string
	// Verifier checks bearer tokens; nil accepts public methods only.
	Verifier *auth.Verifier
	Logger   *zap.Logger
	// MaxRecvBytes bounds a request (default 2 MiB).
	MaxRecvBytes int
}

// Server is a gRPC server with its listener and health state.
type Server struct {
	grpc   *grpc.Server
	health *health.Server
	lis    net.Listener
	log    *zap.Logger
}

// New listens on opts.Addr and prepares the server; register services on
// GRPC() and then call Serve.
func New(opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	if opts.MaxRecvBytes <= 0 {
		opts.MaxRecvBytes = 2 << 20
	}
	validator, err := protovalidate.New()
	if err != nil {
		return nil, fmt.Errorf("protovalidate: %w", err)
	}
	lis, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", opts.Addr, err)
	}
	gs := grpc.NewServer(
		grpc.MaxRecvMsgSize(opts.MaxRecvBytes),
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionIdle: 5 * time.Minute}),
		grpc.ChainUnaryInterceptor(
			recoverUnary(log),
			logUnary(log),
			auth.UnaryInterceptor(opts.Verifier),
			validateUnary(validator),
			mapErrorsUnary(log),
		),
		grpc.ChainStreamInterceptor(
			recoverStream(log),
			auth.StreamInterceptor(opts.Verifier),
		),
	)
	hs := health.NewServer()
	healthpb.RegisterHealthServer(gs, hs)
	reflection.Register(gs)
	return &Server{grpc: gs, health: hs, lis: lis, log: log}, nil
}

// GRPC is the server to register services on.
func (s *Server) GRPC() *grpc.Server { return s.grpc }

// Addr is the address actually listened on.
func (s *Server) Addr() string { return s.lis.Addr().String() }

// SetServing marks the server (and every registered service) SERVING or
// NOT_SERVING in the health service.
func (s *Server) SetServing(serving bool) {
	st := healthpb.HealthCheckResponse_NOT_SERVING
	if serving {
		st = healthpb.HealthCheckResponse_SERVING
	}
	s.health.SetServingStatus("", st)
	for name := range s.grpc.GetServiceInfo() {
		s.health.SetServingStatus(name, st)
	}
}

// Serve serves until ctx ends, then reports NOT_SERVING, lets calls in
// flight finish for up to grace, and stops.
func (s *Server) Serve(ctx context.Context, grace time.Duration) error {
	s.SetServing(true)
	errc := make(chan error, 1)
	go func() { errc <- s.grpc.Serve(s.lis) }()
	select {
	case err := <-errc:
		return fmt.Errorf("grpc serve: %w", err)
	case <-ctx.Done():
	}
	s.SetServing(false)
	done := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		s.log.Warn("grace period over; stopping remaining calls")
		s.grpc.Stop()
	}
	return nil
}
