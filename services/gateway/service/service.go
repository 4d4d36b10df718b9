// Package service assembles the gateway, the platform's only HTTP edge: the
// public pages, the coordinator console (/console/), the JSON API
// (grpc-gateway over the services' gRPC APIs), the OpenAPI document and the
// health probes. It owns no data. cmd/gateway runs it alone; the dev
// launcher runs it in process beside the others.
package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/api"
	"github.com/cc4dr/coalition/services/gateway/internal/calfeed"
	"github.com/cc4dr/coalition/services/gateway/internal/console"
	"github.com/cc4dr/coalition/services/gateway/internal/health"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
	"github.com/cc4dr/coalition/services/gateway/internal/opendata"
	"github.com/cc4dr/coalition/services/gateway/internal/pages"
	"github.com/cc4dr/coalition/services/kit/config"
)

// Name is the service's name.
const Name = "gateway"

// Config is the gateway's configuration (environment variables).
type Config struct {
	config.Runtime
	HTTPAddr         string `env:"HTTP_ADDR" envDefault:":8080" desc:"HTTP listen address (pages, JSON API, probes)"`
	MembershipAddr   string `env:"MEMBERSHIP_ADDR" envDefault:"127.0.0.1:9081" desc:"gRPC address of the membership service"`
	PetitionAddr     string `env:"PETITION_ADDR" envDefault:"127.0.0.1:9082" desc:"gRPC address of the petition service"`
	EventsAddr       string `env:"EVENTS_ADDR" envDefault:"127.0.0.1:9083" desc:"gRPC address of the events service"`
	NotificationAddr string `env:"NOTIFICATION_ADDR" envDefault:"127.0.0.1:9084" desc:"gRPC address of the notification service"`
	PublicBaseURL    string `env:"PUBLIC_BASE_URL" envDefault:"http://localhost:8080" desc:"the URL people reach the gateway at (its origin is trusted for form posts)"`
	MaxBodyBytes     int64  `env:"MAX_BODY_BYTES" envDefault:"2097152" desc:"largest request body accepted, in bytes (larger: 413)"`
	TrustedProxies   string `env:"TRUSTED_PROXIES" desc:"comma-separated addresses or CIDR ranges of the reverse proxies in front of the gateway: from them, the rightmost X-Forwarded-For address that is not one of them is the client's (for every per-address limit); empty: the connecting address is the client's"`
	// The coordinator console: its accounts, sessions and sign-in providers.
	Console console.Config `envPrefix:"CONSOLE_"`
}

// Option adjusts the gateway.
type Option func(*options)

type options struct {
	devMail http.Handler
}

// WithDevMail mounts h, the mail catcher's web inbox, at /dev/mail (dev mode
// only). h receives full paths (/dev/mail/messages/...).
func WithDevMail(h http.Handler) Option {
	return func(o *options) { o.devMail = h }
}

// Service is a started gateway.
type Service struct {
	log      *zap.Logger
	ln       net.Listener
	srv      *http.Server
	conns    []*grpc.ClientConn
	shutdown time.Duration
}

// downstream is one service the gateway calls.
type downstream struct {
	name, addr string
}

// New connects the gRPC clients, builds the routes and listens on HTTPAddr
// (so Addr is known, port 0 included); Run serves.
func New(ctx context.Context, cfg Config, log *zap.Logger, opts ...Option) (*Service, error) {
	if log == nil {
		log = zap.NewNop()
	}
	log = log.With(zap.String("service", Name))
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 2 << 20
	}
	trusted, err := httpx.ParseTrustedProxies(strings.Split(cfg.TrustedProxies, ","))
	if err != nil {
		return nil, fmt.Errorf("%s: TRUSTED_PROXIES: %w", Name, err)
	}
	shutdown := cfg.ShutdownTimeout
	if shutdown <= 0 {
		shutdown = 15 * time.Second
	}
	s := &Service{log: log, shutdown: shutdown}
	ok := false
	defer func() {
		if !ok {
			s.closeConns()
		}
	}()

	targets := []downstream{
		{"membership", cfg.MembershipAddr},
		{"petition", cfg.PetitionAddr},
		{"events", cfg.EventsAddr},
		{"notification", cfg.NotificationAddr},
	}
	conns := make(map[string]*grpc.ClientConn, len(targets))
	checker := &health.Checker{Timeout: health.DefaultTimeout}
	for _, t := range targets {
		if strings.TrimSpace(t.addr) == "" {
			return nil, fmt.Errorf("%s: no address for the %s service", Name, t.name)
		}
		cc, err := grpc.NewClient(t.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, fmt.Errorf("%s: client for %s at %s: %w", Name, t.name, t.addr, err)
		}
		s.conns = append(s.conns, cc)
		conns[t.name] = cc
		checker.Targets = append(checker.Targets, health.Target{Name: t.name, Client: healthpb.NewHealthClient(cc)})
	}
	clients := api.Clients{
		Membership:   membershipv1.NewMembershipServiceClient(conns["membership"]),
		Petition:     petitionv1.NewPetitionServiceClient(conns["petition"]),
		Events:       eventsv1.NewEventsServiceClient(conns["events"]),
		Notification: notificationv1.NewNotificationServiceClient(conns["notification"]),
	}

	// The grpc-gateway mux lives as long as the service, not the ctx New
	// was given (which may only cover start-up).
	apiMux, err := api.NewMux(context.WithoutCancel(ctx), clients)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	pg, err := pages.New(pages.Options{
		Petitions: clients.Petition, Members: clients.Membership, Events: clients.Events,
		Notification: clients.Notification, DevMail: o.devMail != nil, Log: log,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}

	con, err := console.New(console.Options{
		Config: cfg.Console, PublicBaseURL: cfg.PublicBaseURL,
		Membership: clients.Membership, Petition: clients.Petition, Events: clients.Events, Notification: clients.Notification,
		DevMail: o.devMail != nil, Log: log,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}

	mux := http.NewServeMux()
	con.Register(mux)
	mux.Handle(api.Prefix, apiMux)
	mux.HandleFunc("GET /api/v1/openapi.json", api.OpenAPI)
	mux.Handle("GET /open-data/petitions.csv", opendata.PetitionsCSV(clients.Petition, log))
	mux.Handle("GET /assemblies.ics", calfeed.Public(clients.Events, log))
	mux.Handle("GET /calendars/{file}", calfeed.Personal(clients.Events, log))
	mux.Handle("GET /healthz", checker)
	mux.Handle("GET /readyz", checker)
	mux.HandleFunc("GET /livez", health.Live)
	if o.devMail != nil {
		mux.Handle("/dev/mail", o.devMail)
		mux.Handle("/dev/mail/", o.devMail)
	}
	pg.Register(mux)

	// Unsafe methods (the sign form) must come from this site: browsers say
	// where a request comes from (Sec-Fetch-Site, Origin); API clients that
	// send neither pass.
	cop := http.NewCrossOriginProtection()
	// RFC 8058 one-click unsubscribe is posted by mail providers' servers
	// with no origin to check; its token is the credential (pages/preferences.go).
	cop.AddInsecureBypassPattern(pages.OneClickUnsubscribePattern)
	if origin := originOf(cfg.PublicBaseURL); origin != "" {
		if err := cop.AddTrustedOrigin(origin); err != nil {
			return nil, fmt.Errorf("%s: PUBLIC_BASE_URL: %w", Name, err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			api.Forbidden(w, r)
			return
		}
		if console.IsConsole(r) {
			con.Forbidden(w, r)
			return
		}
		pg.Forbidden(w, r)
	}))

	handler := httpx.Wrap(cop.Handler(httpx.Route(mux)), httpx.Options{
		Log:          log,
		MaxBodyBytes: cfg.MaxBodyBytes,
		TooLarge: func(w http.ResponseWriter, r *http.Request) {
			if isAPI(r) {
				api.TooLarge(w, r)
				return
			}
			if console.IsConsole(r) {
				con.TooLarge(w, r)
				return
			}
			pg.TooLarge(w, r)
		},
		Quiet:          map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /livez": true, "GET /static/": true},
		TrustedProxies: trusted,
	})

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("%s: listen on %s: %w", Name, cfg.HTTPAddr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          zap.NewStdLog(log.Named("http")),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ok = true
	return s, nil
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, api.Prefix) }

// originOf turns a base URL into an origin (scheme://host[:port]).
func originOf(base string) string {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// Addr is the address the HTTP server listens on.
func (s *Service) Addr() string { return s.ln.Addr().String() }

// Run serves until ctx ends, then shuts down gracefully: no new
// connections, in-flight requests finish (within the shutdown timeout),
// then the gRPC clients close.
func (s *Service) Run(ctx context.Context) error {
	defer s.closeConns()
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	s.log.Info("serving HTTP", zap.String("addr", s.Addr()))

	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("%s: serve: %w", Name, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.shutdown)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if err != nil {
		_ = s.srv.Close()
		err = fmt.Errorf("%s: shutdown: %w", Name, err)
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("%s: serve: %w", Name, serr)
	}
	s.log.Info("stopped")
	return err
}

func (s *Service) closeConns() {
	for _, cc := range s.conns {
		_ = cc.Close()
	}
	s.conns = nil
}
