package service_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/membership/service"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// harness is a membership service started for one test, with its own
// database, on the package's shared embedded store and NATS.
type harness struct {
	env *testkit.Env
	db  *mongo.Database
	// coordinator calls with a coordinator's token; anonymous with none.
	coordinator membershipv1.MembershipServiceClient
	anonymous   membershipv1.MembershipServiceClient
}

func start(t *testing.T) *harness {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t) // dropped after the service has stopped (cleanups run last-in first-out)

	key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := service.Config{
		Common: config.Common{
			MongoURI: env.MongoURI(), NATSURL: env.NATSURL(), Runtime: config.Runtime{ShutdownTimeout: 5 * time.Second},
		},
		MongoDatabase:  db.Name(),
		GRPCAddr:       "127.0.0.1:0",
		AuthPublicKeys: auth.EncodePublicKey(key.Public().(ed25519.PublicKey)),
		StreamReplicas: 1,
		StreamMaxAge:   time.Hour,
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, cfg, env.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("start membership: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})

	token, err := auth.NewSigner(key, "test").Issue("coordinator-1", optionsv1.Role_ROLE_COORDINATOR, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dial := func(opts ...grpc.DialOption) membershipv1.MembershipServiceClient {
		conn, err := grpc.NewClient(svc.Addr(), append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		return membershipv1.NewMembershipServiceClient(conn)
	}
	return &harness{
		env:         env,
		db:          db,
		coordinator: dial(grpc.WithPerRPCCredentials(auth.BearerToken(token))),
		anonymous:   dial(),
	}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wantCode fails unless err is a gRPC status with code.
func wantCode(t *testing.T, err error, code codes.Code) *status.Status {
	t.Helper()
	st, ok := status.FromError(err)
	if !ok || st.Code() != code {
		t.Fatalf("got %v, want code %s", err, code)
	}
	return st
}

// fieldViolations returns the fields an InvalidArgument status names.
func fieldViolations(t *testing.T, err error) []string {
	t.Helper()
	st := wantCode(t, err, codes.InvalidArgument)
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	if len(fields) == 0 {
		t.Fatalf("InvalidArgument without field violations: %v", err)
	}
	return fields
}

func eventually(t *testing.T, timeout time.Duration, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("condition not met")
			}
			t.Fatalf("after %s: %v", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
