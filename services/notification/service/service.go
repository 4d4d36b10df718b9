// Package service assembles the notification service: its deliveries store,
// the consumers that turn events into email, the SMTP mailer, its outbox
// relay and its gRPC API. cmd/notification runs it alone; the dev launcher
// runs it in process beside the others.
package service

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/bootstrap"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/notification/internal/consumers"
	"github.com/cc4dr/coalition/services/notification/internal/grpcapi"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// Name is the service's name: its NATS subjects start with it.
const Name = "notification"

// Config is the notification service's configuration (environment variables).
type Config struct {
	config.Common
	MongoDatabase   string        `env:"MONGO_DATABASE" envDefault:"notification" desc:"database the notification service owns"`
	GRPCAddr        string        `env:"GRPC_ADDR" envDefault:":9084" desc:"gRPC listen address"`
	AuthPublicKeys  string        `env:"AUTH_PUBLIC_KEYS" desc:"Ed25519 public keys (base64url, comma separated) that sign bearer tokens"`
	PublicBaseURL   string        `env:"PUBLIC_BASE_URL" envDefault:"http://localhost:8080" desc:"public address of the gateway, for links in emails"`
	SMTPHost        string        `env:"SMTP_HOST" envDefault:"127.0.0.1" desc:"SMTP server host"`
	SMTPPort        int           `env:"SMTP_PORT" envDefault:"1025" desc:"SMTP server port"`
	SMTPTLS         string        `env:"SMTP_TLS" envDefault:"none" desc:"none, opportunistic, starttls (mandatory) or tls (implicit)"`
	SMTPUsername    string        `env:"SMTP_USERNAME" desc:"SMTP user (optional)"`
	SMTPPassword    string        `env:"SMTP_PASSWORD" desc:"SMTP password (optional)"`
	MailFrom        string        `env:"MAIL_FROM" envDefault:"Cities Coalition for Digital Rights <no-reply@localhost>" desc:"sender of every email"`
	MailReplyTo     string        `env:"MAIL_REPLY_TO" desc:"Reply-To address (optional)"`
	MessageIDDomain string        `env:"MESSAGE_ID_DOMAIN" envDefault:"localhost" desc:"domain part of Message-IDs"`
	StreamReplicas  int           `env:"STREAM_REPLICAS" envDefault:"1" desc:"JetStream replicas of the NOTIFICATION stream (3 in a cluster)"`
	InboxRetention  time.Duration `env:"INBOX_RETENTION" envDefault:"720h" desc:"how long applied event ids are remembered (longer than any stream's MaxAge)"`
}

// Service is a started notification service.
type Service struct {
	rt *bootstrap.Runtime
}

// New connects and wires the service; Run serves it.
func New(ctx context.Context, cfg Config, log *zap.Logger) (*Service, error) {
	m, err := mailer.New(mailer.Options{
		Host: cfg.SMTPHost, Port: cfg.SMTPPort, TLS: cfg.SMTPTLS, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
		From: cfg.MailFrom, ReplyTo: cfg.MailReplyTo,
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
		Indexes: append(append(store.Indexes(), inbox.Indexes()...), store.ErasureIndexes()...), ShutdownTimeout: cfg.ShutdownTimeout,
	}, log)
	if err != nil {
		return nil, err
	}
	st := store.New(rt.DB, rt.Locks)
	in := inbox.New(rt.DB)
	relay := outbox.NewRelay(rt.JS, outbox.RelayOptions{
		Stream:      broker.StreamConfig(Name, broker.StreamOptions{Replicas: cfg.StreamReplicas}),
		Collections: st.OutboxCollections(),
		Locks:       rt.Locks,
		Logger:      rt.Log,
	})
	rt.Go(func(ctx context.Context) error { relay.Run(ctx); return nil })

	sender := &consumers.Sender{Store: st, Mailer: m, Templates: tpl, Relay: relay, MessageIDDomain: cfg.MessageIDDomain, Log: rt.Log}
	petitionMail := consumers.PetitionMail{Sender: sender, BaseURL: cfg.PublicBaseURL}
	pcfg := petitionMail.Config()
	rt.Go(func(ctx context.Context) error {
		return broker.Consume(ctx, rt.JS, pcfg, in.Wrap(pcfg.Durable, petitionMail.Handle), in.RecordDeadLetter, rt.Log)
	})
	outcome := consumers.PetitionOutcome{Sender: sender, BaseURL: cfg.PublicBaseURL}
	ocfg := outcome.Config()
	rt.Go(func(ctx context.Context) error {
		return broker.Consume(ctx, rt.JS, ocfg, in.Wrap(ocfg.Durable, outcome.Handle), in.RecordDeadLetter, rt.Log)
	})
	privacy := consumers.PetitionPrivacy{Sender: sender, Store: st, BaseURL: cfg.PublicBaseURL, Log: rt.Log}
	vcfg := privacy.Config()
	rt.Go(func(ctx context.Context) error {
		return broker.Consume(ctx, rt.JS, vcfg, in.Wrap(vcfg.Durable, privacy.Handle), in.RecordDeadLetter, rt.Log)
	})
	rt.Go(func(ctx context.Context) error { return sweepInbox(ctx, in, cfg.InboxRetention, rt.Log) })

	notificationv1.RegisterNotificationServiceServer(rt.GRPC.GRPC(), grpcapi.New(st))
	return &Service{rt: rt}, nil
}

func sweepInbox(ctx context.Context, in *inbox.Store, retention time.Duration, log *zap.Logger) error {
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
