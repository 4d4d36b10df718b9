// Package service assembles the notification service: its deliveries store,
// the consumers that turn events into email, the sending pipeline over a
// pool of SMTP connections, the recipients' email preferences, its outbox
// relay and its gRPC API. cmd/notification runs it alone; the dev launcher
// runs it in process beside the others.
package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/bootstrap"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/notification/internal/consumers"
	"github.com/cc4dr/coalition/services/notification/internal/grpcapi"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/outgoing"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// Name is the service's name: its NATS subjects start with it.
const Name = "notification"

// Config is the notification service's configuration (environment variables).
type Config struct {
	config.Common
	MongoDatabase       string        `env:"MONGO_DATABASE" envDefault:"notification" desc:"database the notification service owns"`
	GRPCAddr            string        `env:"GRPC_ADDR" envDefault:":9084" desc:"gRPC listen address"`
	AuthPublicKeys      string        `env:"AUTH_PUBLIC_KEYS" desc:"Ed25519 public keys (base64url, comma separated) that sign bearer tokens"`
	PublicBaseURL       string        `env:"PUBLIC_BASE_URL" envDefault:"http://localhost:8080" desc:"public address of the gateway, for links in emails"`
	SMTPHost            string        `env:"SMTP_HOST" envDefault:"127.0.0.1" desc:"SMTP server host"`
	SMTPPort            int           `env:"SMTP_PORT" envDefault:"1025" desc:"SMTP server port"`
	SMTPTLS             string        `env:"SMTP_TLS" envDefault:"none" desc:"none, opportunistic, starttls (mandatory) or tls (implicit)"`
	SMTPTLSSkipVerify   bool          `env:"SMTP_TLS_SKIP_VERIFY" envDefault:"false" desc:"accept any server certificate (development servers only; refused with SMTP_PASSWORD)"`
	SMTPUsername        string        `env:"SMTP_USERNAME" desc:"SMTP user (optional)"`
	SMTPPassword        string        `env:"SMTP_PASSWORD" desc:"SMTP password (optional)"`
	SMTPConnections     int           `env:"SMTP_CONNECTIONS" envDefault:"4" desc:"SMTP connections kept open and reused; at most this many emails are sent at once"`
	SendRate            float64       `env:"SEND_RATE" envDefault:"0" desc:"most emails sent per second (0: no limit)"`
	SendMaxAttempts     int           `env:"SEND_MAX_ATTEMPTS" envDefault:"10" desc:"SMTP attempts before a temporarily failing email is failed for good"`
	SendRetryBase       time.Duration `env:"SEND_RETRY_BASE" envDefault:"2s" desc:"wait after the first temporary failure; it doubles with each attempt"`
	SendRetryMax        time.Duration `env:"SEND_RETRY_MAX" envDefault:"30m" desc:"longest wait between two attempts"`
	SendPollInterval    time.Duration `env:"SEND_POLL_INTERVAL" envDefault:"1s" desc:"how often emails known to be due (queued, retries, resends) are claimed"`
	SendScanInterval    time.Duration `env:"SEND_SCAN_INTERVAL" envDefault:"15s" desc:"how often the deliveries are also scanned for due emails nobody named (left by a crash or another instance); on the embedded store a scan reads every delivery"`
	OutboxScanInterval  time.Duration `env:"OUTBOX_SCAN_INTERVAL" envDefault:"30s" desc:"how often the outbox relay also scans for events nobody named to it (left by a crash); on the embedded store a scan reads every document"`
	MailFrom            string        `env:"MAIL_FROM" envDefault:"Cities Coalition for Digital Rights <no-reply@localhost>" desc:"sender of every email"`
	MailReplyTo         string        `env:"MAIL_REPLY_TO" desc:"Reply-To address (optional)"`
	MessageIDDomain     string        `env:"MESSAGE_ID_DOMAIN" envDefault:"localhost" desc:"domain part of Message-IDs"`
	CoordinatorEmails   string        `env:"COORDINATOR_EMAILS" envDefault:"coordination@localhost" desc:"addresses petition milestones and goals are emailed to (comma separated)"`
	CoordinatorLanguage string        `env:"COORDINATOR_LANGUAGE" envDefault:"en" desc:"language of the coordinators' emails"`
	UnsubscribeSecret   string        `env:"UNSUBSCRIBE_SECRET" desc:"keys (32+ characters, comma separated, the first signs) of unsubscribe links (default: a random key kept in the database)"`
	StreamReplicas      int           `env:"STREAM_REPLICAS" envDefault:"1" desc:"JetStream replicas of the NOTIFICATION stream (3 in a cluster)"`
	InboxRetention      time.Duration `env:"INBOX_RETENTION" envDefault:"720h" desc:"how long applied event ids are remembered (longer than any stream's MaxAge)"`
	DeadLetterRetention time.Duration `env:"DEAD_LETTER_RETENTION" envDefault:"720h" desc:"how long dead letters (whole events, personal data included) are kept for replay"`
}

// Service is a started notification service.
type Service struct {
	rt *bootstrap.Runtime
}

// New connects and wires the service; Run serves it.
func New(ctx context.Context, cfg Config, log *zap.Logger) (*Service, error) {
	m, err := mailer.New(mailer.Options{
		Host: cfg.SMTPHost, Port: cfg.SMTPPort, TLS: cfg.SMTPTLS, TLSSkipVerify: cfg.SMTPTLSSkipVerify,
		Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.MailFrom, ReplyTo: cfg.MailReplyTo,
		Connections: cfg.SMTPConnections,
	})
	if err != nil {
		return nil, err
	}
	tpl, err := templates.New()
	if err != nil {
		return nil, err
	}
	rt, err := bootstrap.Start(ctx, bootstrap.Spec{
		Name: Name, MongoURI: cfg.MongoURI, MongoDatabase: cfg.MongoDatabase, NATSURL: cfg.NATSURL,
		NATSCredsFile: cfg.NATSCredsFile, GRPCAddr: cfg.GRPCAddr, AuthPublicKeys: cfg.AuthPublicKeys,
		Indexes: append(store.Indexes(), inbox.Indexes()...), ShutdownTimeout: cfg.ShutdownTimeout,
	}, log)
	if err != nil {
		return nil, err
	}
	if cfg.SMTPTLSSkipVerify {
		rt.Log.Warn("SMTP server certificates are not checked (SMTP_TLS_SKIP_VERIFY): for development only")
	}
	// Asked once: the embedded store needs conditional updates written
	// its way (mongodb.Updater).
	ferret, err := mongodb.IsFerretDB(ctx, rt.DB)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	upd := mongodb.NewUpdater(rt.Locks, ferret)
	st := store.New(rt.DB, upd)
	in := inbox.New(rt.DB)
	keys, err := preferences.Keys(ctx, cfg.UnsubscribeSecret, st)
	if err != nil {
		return nil, fmt.Errorf("%s: unsubscribe keys: %w", Name, err)
	}
	tokens, err := preferences.NewTokens(keys...)
	if err != nil {
		return nil, fmt.Errorf("%s: UNSUBSCRIBE_SECRET: %w", Name, err)
	}
	prefs := preferences.New(st, tokens, cfg.PublicBaseURL)
	relay := outbox.NewRelay(rt.JS, outbox.RelayOptions{
		Stream:       broker.StreamConfig(Name, broker.StreamOptions{Replicas: cfg.StreamReplicas}),
		Collections:  st.OutboxCollections(),
		Locks:        rt.Locks,
		Updater:      upd,
		PollInterval: cfg.OutboxScanInterval, // every writer names its documents (Notify)
		Logger:       rt.Log,
	})
	rt.Go(func(ctx context.Context) error { relay.Run(ctx); return nil })

	pipeline := outgoing.New(st, m, prefs, relay, outgoing.Options{
		Workers: cfg.SMTPConnections, Rate: cfg.SendRate, MaxAttempts: cfg.SendMaxAttempts,
		RetryBase: cfg.SendRetryBase, RetryMax: cfg.SendRetryMax, PollInterval: cfg.SendPollInterval, ScanInterval: cfg.SendScanInterval,
	}, rt.Log.Named("outgoing"))
	rt.Go(pipeline.Run)

	sender := &consumers.Sender{
		Store: st, Templates: tpl, Preferences: prefs, Pipeline: pipeline, Relay: relay,
		MessageIDDomain: cfg.MessageIDDomain, Log: rt.Log,
	}
	handlers := map[string]broker.Handler{}
	for _, c := range consumers.All(consumers.Deps{
		Sender: sender, Store: st, DeadLetters: in, BaseURL: cfg.PublicBaseURL, Coordinators: splitList(cfg.CoordinatorEmails),
		CoordinatorLanguage: cfg.CoordinatorLanguage, Log: rt.Log,
	}) {
		ccfg := c.Config()
		handlers[ccfg.Durable] = c.Handle
		rt.Go(func(ctx context.Context) error {
			return broker.Consume(ctx, rt.JS, ccfg, in.Wrap(ccfg.Durable, c.Handle), in.RecordDeadLetter, rt.Log)
		})
	}
	rt.Go(func(ctx context.Context) error {
		return sweepInbox(ctx, in, cfg.InboxRetention, cfg.DeadLetterRetention, rt.Log)
	})

	notificationv1.RegisterNotificationServiceServer(rt.GRPC.GRPC(), grpcapi.New(grpcapi.Deps{
		Store: st, Inbox: in, Preferences: prefs, Handlers: handlers, Pipeline: pipeline,
	}))
	return &Service{rt: rt}, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// sweepInbox forgets old inbox records and old dead letters, hourly.
func sweepInbox(ctx context.Context, in *inbox.Store, retention, deadRetention time.Duration, log *zap.Logger) error {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if n, err := in.Sweep(ctx, retention); err != nil {
				log.Warn("inbox sweep failed", zap.Error(err))
			} else if n > 0 {
				log.Info("inbox swept", zap.Int64("forgotten", n))
			}
			if n, err := in.SweepDeadLetters(ctx, deadRetention); err != nil {
				log.Warn("dead letter sweep failed", zap.Error(err))
			} else if n > 0 {
				log.Info("dead letters swept", zap.Int64("deleted", n))
			}
		}
	}
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
