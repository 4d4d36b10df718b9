package broker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// Handler applies one event. A nil error acknowledges it; an error asks for
// redelivery with back-off, unless marked Permanent.
type Handler func(ctx context.Context, ev Event) error

// DeadLetterFunc records an event that failed for good (permanent error, or
// its last allowed delivery failed) so a coordinator can see and replay it.
type DeadLetterFunc func(ctx context.Context, consumer string, ev Event, deliveries uint64, cause error) error

// ConsumerConfig describes one durable pull consumer: one per (consuming
// service, purpose).
type ConsumerConfig struct {
	Stream  string
	Durable string
	// FilterSubjects selects the events of interest.
	FilterSubjects []string
	// MaxDeliver bounds redelivery (default 8).
	MaxDeliver int
	// BackOff is the delay before each redelivery (default 1s, 5s, 30s, 2m, 5m…).
	BackOff []time.Duration
	// AckWait is how long a handler may take before the event is redelivered
	// (default 30s); handlers get a context that ends a little earlier.
	AckWait time.Duration
	// MaxAckPending bounds events in flight so one slow handler cannot hold
	// the whole stream (default 256).
	MaxAckPending int
	// Workers handle events concurrently (default 1).
	Workers int
}

func (c *ConsumerConfig) defaults() {
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = 8
	}
	if len(c.BackOff) == 0 {
		c.BackOff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 5 * time.Minute}
	}
	if len(c.BackOff) > c.MaxDeliver {
		c.BackOff = c.BackOff[:c.MaxDeliver]
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.MaxAckPending <= 0 {
		c.MaxAckPending = 256
	}
	if c.Workers <= 0 {
		c.Workers = 1
	}
}

func (c ConsumerConfig) jetstream() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:        c.Durable,
		FilterSubjects: c.FilterSubjects,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        c.AckWait,
		MaxDeliver:     c.MaxDeliver,
		MaxAckPending:  c.MaxAckPending,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
	}
}

// backoff is the delay before redelivery number n (1-based) of a failed event.
func (c ConsumerConfig) backoff(delivered uint64) time.Duration {
	i := int(delivered) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(c.BackOff) {
		i = len(c.BackOff) - 1
	}
	return c.BackOff[i]
}

// Consume runs a durable consumer until ctx ends, then stops taking new
// events and waits for the ones in hand. It provisions the consumer itself
// and keeps retrying while the stream or NATS is not there yet, so services
// start in any order. Reconnects after a NATS restart are handled by the
// client: heartbeat and connection errors are logged, never fatal.
func Consume(ctx context.Context, js jetstream.JetStream, cfg ConsumerConfig, h Handler, dead DeadLetterFunc, log *zap.Logger) error {
	cfg.defaults()
	if log == nil {
		log = zap.NewNop()
	}
	log = log.With(zap.String("consumer", cfg.Durable), zap.String("stream", cfg.Stream))

	cons, err := provision(ctx, js, cfg, log)
	if err != nil {
		return err
	}

	var (
		inflight sync.WaitGroup
		slots    = make(chan struct{}, cfg.Workers)
		// Handlers run on their own context so that shutdown lets the
		// events in hand finish instead of failing them.
		work = context.WithoutCancel(ctx)
	)
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		slots <- struct{}{}
		inflight.Add(1)
		go func() {
			defer func() { <-slots; inflight.Done() }()
			handle(work, cfg, msg, h, dead, log)
		}()
	}, jetstream.PullMaxMessages(cfg.Workers*2), jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		if !errors.Is(err, jetstream.ErrNoHeartbeat) {
			log.Debug("consume", zap.Error(err))
		}
	}))
	if err != nil {
		return fmt.Errorf("consume %s: %w", cfg.Durable, err)
	}
	<-ctx.Done()
	cc.Drain()
	select {
	case <-cc.Closed():
	case <-time.After(cfg.AckWait):
	}
	inflight.Wait()
	return nil
}

func provision(ctx context.Context, js jetstream.JetStream, cfg ConsumerConfig, log *zap.Logger) (jetstream.Consumer, error) {
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		cons, err := js.CreateOrUpdateConsumer(pctx, cfg.Stream, cfg.jetstream())
		cancel()
		if err == nil {
			return cons, nil
		}
		if attempt == 1 || attempt%20 == 0 {
			log.Info("waiting to provision consumer", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("provision consumer %s: %w", cfg.Durable, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

func handle(ctx context.Context, cfg ConsumerConfig, msg jetstream.Msg, h Handler, dead DeadLetterFunc, log *zap.Logger) {
	meta, err := msg.Metadata()
	if err != nil {
		log.Error("message without jetstream metadata", zap.Error(err))
		_ = msg.Term()
		return
	}
	ev, err := EventFromMsg(msg.Subject(), msg.Headers(), msg.Data())
	if err != nil {
		deadLetter(ctx, cfg, Event{Subject: msg.Subject(), Data: msg.Data()}, meta.NumDelivered, Permanent(err), dead, log)
		_ = msg.Term()
		return
	}
	hctx, cancel := context.WithTimeout(ctx, cfg.AckWait*9/10)
	err = h(hctx, ev)
	cancel()
	switch {
	case err == nil:
		if aerr := msg.DoubleAck(ctx); aerr != nil {
			// The event will come back; the inbox makes that harmless.
			log.Warn("ack failed", zap.String("event_id", ev.ID), zap.Error(aerr))
		}
	case IsPermanent(err) || meta.NumDelivered >= uint64(cfg.MaxDeliver):
		deadLetter(ctx, cfg, ev, meta.NumDelivered, err, dead, log)
		_ = msg.Term()
	default:
		delay := cfg.backoff(meta.NumDelivered)
		log.Warn("event failed, will retry", zap.String("event_id", ev.ID), zap.String("type", ev.Type),
			zap.Uint64("delivery", meta.NumDelivered), zap.Duration("retry_in", delay), zap.Error(err))
		_ = msg.NakWithDelay(delay)
	}
}

func deadLetter(ctx context.Context, cfg ConsumerConfig, ev Event, deliveries uint64, cause error, dead DeadLetterFunc, log *zap.Logger) {
	log.Error("event dead-lettered", zap.String("event_id", ev.ID), zap.String("type", ev.Type),
		zap.Uint64("deliveries", deliveries), zap.Error(cause))
	if dead == nil {
		return
	}
	if err := dead(ctx, cfg.Durable, ev, deliveries, cause); err != nil {
		log.Error("recording dead letter failed", zap.String("event_id", ev.ID), zap.Error(err))
	}
}
