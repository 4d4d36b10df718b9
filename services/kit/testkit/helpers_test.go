package testkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestStreamMessagesFiltersAndStops(t *testing.T) {
	env := testkit.Get(t)
	_, js := env.JetStream(t)
	ctx := context.Background()
	name := testkit.UniqueName(t, "S")
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{name + ".>"}}); err != nil {
		t.Fatal(err)
	}
	if got := testkit.StreamMessages(t, js, name); len(got) != 0 {
		t.Fatalf("empty stream read %d", len(got))
	}
	for _, subj := range []string{".a", ".b", ".a"} {
		if _, err := js.Publish(ctx, name+subj, []byte(subj)); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if got := testkit.StreamMessages(t, js, name, name+".a"); len(got) != 2 {
		t.Fatalf("read %d messages on .a, want 2", len(got))
	}
	if got := testkit.StreamMessages(t, js, name); len(got) != 3 {
		t.Fatalf("read %d messages, want 3", len(got))
	}
	if testkit.StreamMessages(t, js, "NO_SUCH_STREAM") != nil {
		t.Fatal("missing stream must read as empty")
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("reading took %v: it should stop at the last message, not wait", time.Since(start))
	}
}

func TestKeysServeAndDial(t *testing.T) {
	keys := testkit.NewKeys(t)
	pubs, err := auth.ParsePublicKeys(keys.PublicKeys())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewVerifier(pubs...).Verify(keys.Token(t, optionsv1.Role_ROLE_COORDINATOR)); err != nil {
		t.Fatalf("token does not verify with the public keys: %v", err)
	}
	srv, err := grpcserver.New(grpcserver.Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Serve(t, serveFunc(func(ctx context.Context) error { return srv.Serve(ctx, time.Second) }))
	resp, err := healthpb.NewHealthClient(testkit.Dial(t, srv.Addr(), "")).Check(testkit.Context(t), &healthpb.HealthCheckRequest{},
		waitForReady())
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v %v", resp, err)
	}
	_, err = healthpb.NewHealthClient(testkit.Dial(t, srv.Addr(), "")).Check(testkit.Context(t), &healthpb.HealthCheckRequest{Service: "nope"})
	testkit.WantCode(t, err, codes.NotFound)
}
