package service

import (
	"context"
	"crypto/rand"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/kit/bootstrap"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/petition/internal/app"
	"github.com/cc4dr/coalition/services/petition/internal/consumers"
	"github.com/cc4dr/coalition/services/petition/internal/grpcapi"
	"github.com/cc4dr/coalition/services/petition/internal/ratelimit"
)

// LifecycleConfig configures the petition lifecycle: membership checks,
// the city-joined consumer and the expiry of unconfirmed signatures.
type LifecycleConfig struct {
	MembershipAddr     string        `env:"MEMBERSHIP_ADDR" envDefault:"127.0.0.1:9081" desc:"gRPC address of the membership service (asked whether a city is a member)"`
	ServiceToken       string        `env:"SERVICE_TOKEN" desc:"bearer token with the SERVICE role for calls to other services"`
	UnconfirmedTTL     time.Duration `env:"UNCONFIRMED_TTL" envDefault:"168h" desc:"how long an unconfirmed signature is kept before it is deleted"`
	SweepInterval      time.Duration `env:"SWEEP_INTERVAL" envDefault:"10m" desc:"how often expired unconfirmed signatures are deleted"`
	CityJoinedConsumer string        `env:"CITY_JOINED_CONSUMER" envDefault:"petition-city-joined" desc:"durable consumer name for membership.city.joined"`
	RateLimitWindow    time.Duration `env:"RATE_LIMIT_WINDOW" envDefault:"1h" desc:"window of the abuse limits below"`
	RateLimitPerIP     int           `env:"RATE_LIMIT_PER_IP" envDefault:"300" desc:"public writes (sign, propose, withdraw, erase) one network address may make per window (0: no limit)"`
	RateLimitPerEmail  int           `env:"RATE_LIMIT_PER_EMAIL" envDefault:"20" desc:"public writes naming one email address per window (0: no limit)"`
	ResendInterval     time.Duration `env:"RESEND_INTERVAL" envDefault:"5m" desc:"signing again while pending re-sends the confirmation email at most this often"`
	IPHashSalt         string        `env:"IP_HASH_SALT" desc:"salt of the network-address hashes kept with signatures (default: random at each start)"`
}

// limits builds the abuse limits.
func limits(cfg LifecycleConfig) grpcapi.Limits {
	salt := []byte(cfg.IPHashSalt)
	if len(salt) == 0 {
		salt = make([]byte, 32)
		_, _ = rand.Read(salt)
	}
	return grpcapi.Limits{
		PerIP:    ratelimit.New(cfg.RateLimitPerIP, cfg.RateLimitWindow, 100_000),
		PerEmail: ratelimit.New(cfg.RateLimitPerEmail, cfg.RateLimitWindow, 100_000),
		IPSalt:   salt,
	}
}

// startLifecycle runs the city-joined consumer (inbox-wrapped, dead
// letters recorded) and the expiry sweep.
func startLifecycle(rt *bootstrap.Runtime, a *app.App, cfg LifecycleConfig) {
	in := inbox.New(rt.DB)
	cj := consumers.CityJoined{App: a, Durable: cfg.CityJoinedConsumer}
	ccfg := cj.Config()
	rt.Go(func(ctx context.Context) error {
		return broker.Consume(ctx, rt.JS, ccfg, in.Wrap(ccfg.Durable, cj.Handle), in.RecordDeadLetter, rt.Log)
	})
	ttl, every := cfg.UnconfirmedTTL, cfg.SweepInterval
	if ttl <= 0 {
		ttl = 7 * 24 * time.Hour
	}
	if every <= 0 {
		every = 10 * time.Minute
	}
	rt.Go(func(ctx context.Context) error {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if n, err := a.SweepExpired(ctx, ttl); err != nil {
				rt.Log.Warn("expiry sweep failed", zap.Error(err))
			} else if n > 0 {
				rt.Log.Info("expired signatures deleted", zap.Int64("deleted", n))
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	})
}
