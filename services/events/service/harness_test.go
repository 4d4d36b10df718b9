package service_test

import (
	"context"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// harness is an events service started for one test, with its own
// database, on the package's shared embedded store and NATS.
type harness struct {
	env *testkit.Env
	db  *mongo.Database
	// coordinator calls with a coordinator's token; anonymous with none.
	coordinator eventsv1.EventsServiceClient
	anonymous   eventsv1.EventsServiceClient
	// as returns a client calling with a token of another role.
	as func(role optionsv1.Role) eventsv1.EventsServiceClient
}

func start(t *testing.T) *harness {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t) // dropped after the service has stopped (cleanups run last-in first-out)

	keys := testkit.NewKeys(t)
	cfg := service.Config{
		Common: config.Common{
			MongoURI: env.MongoURI(), NATSURL: env.NATSURL(), Runtime: config.Runtime{ShutdownTimeout: 5 * time.Second},
		},
		MongoDatabase:  db.Name(),
		GRPCAddr:       "127.0.0.1:0",
		AuthPublicKeys: keys.PublicKeys(),
		StreamReplicas: 1,
		StreamMaxAge:   time.Hour,
	}
	svc, err := service.New(context.Background(), cfg, env.Logger(t))
	if err != nil {
		t.Fatalf("start events: %v", err)
	}
	testkit.Serve(t, svc)

	dial := func(token string) eventsv1.EventsServiceClient {
		return eventsv1.NewEventsServiceClient(testkit.Dial(t, svc.Addr(), token))
	}
	as := func(role optionsv1.Role) eventsv1.EventsServiceClient { return dial(keys.Token(t, role)) }
	return &harness{
		env:         env,
		db:          db,
		coordinator: as(optionsv1.Role_ROLE_COORDINATOR),
		anonymous:   dial(""),
		as:          as,
	}
}
