package service_test

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/membership/service"
)

// published returns the events of type T on subject whose payload match
// selects (other tests share the stream), waiting until at least want are
// there, then a little longer so that a duplicate would show.
func published[T proto.Message](t *testing.T, h *harness, subject string, want int, newT func() T, match func(T) bool) []T {
	t.Helper()
	_, js := h.env.JetStream(t)
	read := func() []T {
		var out []T
		for _, msg := range testkit.StreamMessages(t, js, broker.StreamName(service.Name), subject) {
			ev, err := broker.EventFromMsg(msg.Subject(), msg.Headers(), msg.Data())
			if err != nil {
				t.Fatal(err)
			}
			if msg.Headers().Get(nats.MsgIdHdr) != ev.ID || ev.Source != "/coalition/membership" {
				t.Errorf("event %s: Nats-Msg-Id must be the event id, source /coalition/membership", ev.ID)
			}
			v := newT()
			if err := ev.Decode(v); err != nil {
				t.Fatal(err)
			}
			if match(v) {
				out = append(out, v)
			}
		}
		return out
	}
	testkit.Eventually(t, 15*time.Second, func() (bool, error) { return len(read()) >= want, nil })
	time.Sleep(700 * time.Millisecond) // a few relay rounds: nothing may be published again
	got := read()
	if len(got) != want {
		t.Fatalf("%s: %d events, want exactly %d", subject, len(got), want)
	}
	return got
}
