package testkit

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamMessages reads every message currently in stream on the given
// subjects (all if none), oldest first, with an ordered consumer. A stream
// that does not exist yet reads as empty.
func StreamMessages(t testing.TB, js jetstream.JetStream, stream string, subjects ...string) []jetstream.Msg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return nil
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatalf("stream %s info: %v", stream, err)
	}
	if info.State.Msgs == 0 {
		return nil
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: subjects})
	if err != nil {
		t.Fatalf("ordered consumer on %s: %v", stream, err)
	}
	var out []jetstream.Msg
	for {
		msg, err := cons.Next(jetstream.FetchMaxWait(250 * time.Millisecond))
		if err != nil {
			return out
		}
		out = append(out, msg)
		if meta, err := msg.Metadata(); err == nil && meta.NumPending == 0 {
			return out
		}
	}
}
