package testkit

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// Keys is a fresh token signing key for one test: services started with
// PublicKeys() accept the tokens Token() issues.
type Keys struct {
	signer *auth.Signer
	public string
}

// NewKeys makes a signing key for the test.
func NewKeys(t testing.TB) *Keys {
	t.Helper()
	key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &Keys{signer: auth.NewSigner(key, "test"), public: auth.EncodePublicKey(key.Public().(ed25519.PublicKey))}
}

// PublicKeys is the AUTH_PUBLIC_KEYS value that trusts this key.
func (k *Keys) PublicKeys() string { return k.public }

// Token issues an hour-long token for role.
func (k *Keys) Token(t testing.TB, role optionsv1.Role) string {
	t.Helper()
	tok, err := k.signer.Issue("test-"+role.String(), role, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Runner is a started service.
type Runner interface {
	Run(ctx context.Context) error
}

// Serve runs svc until the test ends, then stops it and fails the test if
// it did not stop cleanly.
func Serve(t testing.TB, svc Runner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("service stopped with error: %v", err)
		}
	})
}

// Dial connects to a gRPC server for the test; a non-empty token is sent
// as a bearer token on every call.
func Dial(t testing.TB, addr, token string) *grpc.ClientConn {
	t.Helper()
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if token != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(auth.BearerToken(token)))
	}
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}
