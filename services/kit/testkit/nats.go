package testkit

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// JetStream returns a connection to the shared NATS server and a JetStream
// handle on it, both closed when the test ends. The connection reconnects
// forever, quickly, because tests stop and restart the server.
func (e *Env) JetStream(t testing.TB) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(e.NATSURL(),
		nats.Name(t.Name()),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(50*time.Millisecond),
		nats.ReconnectJitter(0, 0),
	)
	if err != nil {
		t.Fatalf("testkit: connect to NATS: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("testkit: jetstream: %v", err)
	}
	return nc, js
}

// StopNATS shuts the shared NATS server down (an outage). Undo it with
// StartNATS; if the test forgets, the server is started again at cleanup so
// later tests in the package are unaffected.
func (e *Env) StopNATS(t testing.TB) {
	t.Helper()
	e.natsMu.Lock()
	defer e.natsMu.Unlock()
	e.nats.Shutdown()
	t.Cleanup(func() {
		e.natsMu.Lock()
		defer e.natsMu.Unlock()
		if !e.nats.Running() {
			if err := e.nats.Start(); err != nil {
				t.Errorf("testkit: restart NATS at cleanup: %v", err)
			}
		}
	})
}

// StartNATS starts the shared NATS server again on the same address and
// store dir; streams and their messages are recovered from disk.
func (e *Env) StartNATS(t testing.TB) {
	t.Helper()
	e.natsMu.Lock()
	defer e.natsMu.Unlock()
	if e.nats.Running() {
		return
	}
	if err := e.nats.Start(); err != nil {
		t.Fatalf("testkit: start NATS: %v", err)
	}
}
