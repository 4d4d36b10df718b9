package service_test

import (
	"context"
	"crypto/ed25519"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

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
	// service calls with another service's token.
	service membershipv1.MembershipServiceClient
	// as dials with a token for any subject, role and member.
	as func(subject string, role optionsv1.Role, memberID string) membershipv1.MembershipServiceClient
}

func start(t *testing.T) *harness {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t) // dropped after the service has stopped (cleanups run last-in first-out)

	keys := testkit.NewKeys(t)
	// A second key issues tokens with chosen subjects and member ids
	// (testkit's carry neither).
	own, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	signer := auth.NewSigner(own, "test")
	cfg := service.Config{
		Common: config.Common{
			MongoURI: env.MongoURI(), NATSURL: env.NATSURL(), Runtime: config.Runtime{ShutdownTimeout: 5 * time.Second},
		},
		MongoDatabase:  db.Name(),
		GRPCAddr:       "127.0.0.1:0",
		AuthPublicKeys: keys.PublicKeys() + "," + auth.EncodePublicKey(own.Public().(ed25519.PublicKey)),
		StreamReplicas: 1,
		StreamMaxAge:   time.Hour,
	}
	svc, err := service.New(context.Background(), cfg, env.Logger(t))
	if err != nil {
		t.Fatalf("start membership: %v", err)
	}
	testkit.Serve(t, svc)

	dial := func(token string) membershipv1.MembershipServiceClient {
		return membershipv1.NewMembershipServiceClient(testkit.Dial(t, svc.Addr(), token))
	}
	return &harness{
		env:         env,
		db:          db,
		coordinator: dial(keys.Token(t, optionsv1.Role_ROLE_COORDINATOR)),
		anonymous:   dial(""),
		service:     dial(keys.Token(t, optionsv1.Role_ROLE_SERVICE)),
		as: func(subject string, role optionsv1.Role, memberID string) membershipv1.MembershipServiceClient {
			tok, err := signer.Issue(subject, role, memberID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return dial(tok)
		},
	}
}
