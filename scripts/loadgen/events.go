package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// eventWatch records when each signer's SignatureRequested reached the
// PETITION stream: the petition service's share of the time to the email
// (the rest is the notification service and SMTP). In process only, where
// the bench can reach NATS.
type eventWatch struct {
	mu   sync.Mutex
	at   map[string]time.Time // lower-case email → stored in the stream
	stop func()
}

// watchRequested follows petition.signature.requested from now on, keeping
// the events of addresses that start with prefix.
func watchRequested(ctx context.Context, natsURL, prefix string) (*eventWatch, error) {
	nc, err := nats.Connect(natsURL, nats.Name("loadgen"))
	if err != nil {
		return nil, fmt.Errorf("connect to NATS: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	cons, err := js.OrderedConsumer(ctx, "PETITION", jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"petition.signature.requested"}, DeliverPolicy: jetstream.DeliverNewPolicy,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("follow the PETITION stream: %w", err)
	}
	w := &eventWatch{at: map[string]time.Time{}}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		var m petitionv1.SignatureRequested
		if proto.Unmarshal(msg.Data(), &m) != nil {
			return
		}
		email := strings.ToLower(m.GetEmail())
		if !strings.HasPrefix(email, prefix) {
			return
		}
		at := time.Now()
		if md, err := msg.Metadata(); err == nil {
			at = md.Timestamp // when the stream stored it
		}
		w.mu.Lock()
		if _, seen := w.at[email]; !seen {
			w.at[email] = at
		}
		w.mu.Unlock()
	})
	if err != nil {
		nc.Close()
		return nil, err
	}
	w.stop = func() { cc.Stop(); nc.Close() }
	return w, nil
}

// arrival is when the event about email was stored, if it was.
func (w *eventWatch) arrival(email string) (time.Time, bool) {
	if w == nil {
		return time.Time{}, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := w.at[strings.ToLower(email)]
	return t, ok
}

func (w *eventWatch) close() {
	if w != nil {
		w.stop()
	}
}
