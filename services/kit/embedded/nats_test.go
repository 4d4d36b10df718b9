package embedded_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap/zaptest"

	"github.com/cc4dr/coalition/services/kit/embedded"
)

func TestNATSJetStreamSurvivesRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	srv, err := embedded.StartNATS(embedded.NATSOptions{
		StoreDir:   t.TempDir(),
		SyncAlways: true,
		Logger:     zaptest.NewLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	url := srv.ClientURL()

	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     "PETITION",
		Subjects: []string{"petition.>"},
		Storage:  jetstream.FileStorage,
	}); err != nil {
		t.Fatalf("create stream: %v", err)
	}
	for i := range 3 {
		ack, err := js.Publish(ctx, "petition.signature.confirmed", []byte(fmt.Sprint(i)),
			jetstream.WithMsgID(fmt.Sprintf("evt-%d", i)))
		if err != nil {
			t.Fatalf("publish: %v", err)
		}
		if ack.Stream != "PETITION" || ack.Sequence != uint64(i+1) {
			t.Fatalf("ack = %+v", ack)
		}
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if srv.ClientURL() != url {
		t.Fatalf("URL changed across restart: %s -> %s", url, srv.ClientURL())
	}

	// The same connection reconnects by itself and sees the stored messages.
	var info *jetstream.StreamInfo
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := js.Stream(ctx, "PETITION")
		if err == nil {
			if info, err = s.Info(ctx); err == nil {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream after restart: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if info.State.Msgs != 3 {
		t.Errorf("messages after restart = %d, want 3", info.State.Msgs)
	}
	if _, err := js.Publish(ctx, "petition.signature.confirmed", []byte("again")); err != nil {
		t.Errorf("publish after restart: %v", err)
	}

	if err := srv.Start(); err == nil {
		t.Error("Start on a running server succeeded")
	}
	srv.Shutdown()
	if srv.Running() {
		t.Error("still running after Shutdown")
	}
}
