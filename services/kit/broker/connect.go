package broker

import (
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// ConnectOptions says how a service reaches NATS.
type ConnectOptions struct {
	URL string
	// Name identifies the connection in NATS monitoring (the service name).
	Name string
	// CredsFile is a NATS credentials file; empty for none (dev).
	CredsFile string
	Logger    *zap.Logger
}

// Connect opens a NATS connection that never gives up: it starts even when
// NATS is down (writes keep succeeding and events wait in the outbox, DESIGN
// rule 4) and reconnects forever after a restart.
func Connect(opts ConnectOptions) (*nats.Conn, jetstream.JetStream, error) {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	nopts := []nats.Option{
		nats.Name(opts.Name),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectJitter(100*time.Millisecond, time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", zap.Error(err))
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("nats reconnected", zap.String("url", c.ConnectedUrlRedacted())) }),
	}
	if opts.CredsFile != "" {
		nopts = append(nopts, nats.UserCredentials(opts.CredsFile))
	}
	nc, err := nats.Connect(opts.URL, nopts...)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to nats at %s: %w", opts.URL, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("jetstream context: %w", err)
	}
	return nc, js, nil
}
