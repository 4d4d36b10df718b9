package service_test

import (
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// harness is an events service started for one test, with its own
// database, on the package's shared embedded store and NATS, and a
// membership stand-in (a real gRPC server) that knows the bodies in bodies.
type harness struct {
	env *testkit.Env
	db  *mongo.Database
	// coordinator calls with a coordinator's token; anonymous with none.
	coordinator eventsv1.EventsServiceClient
	anonymous   eventsv1.EventsServiceClient
	// as returns a client calling with a token of another role.
	as         func(role optionsv1.Role) eventsv1.EventsServiceClient
	membership *fakeMembership
	cfg        service.Config
	keys       *testkit.Keys
	// addr is where the instance serve started last listens.
	addr string
	// stop stops the instance serve started last (before the test ends).
	stop func(t *testing.T)
}

func start(t *testing.T, opts ...func(*service.Config)) *harness {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t) // dropped after the service has stopped (cleanups run last-in first-out)
	members := startMembership(t)
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
		MembershipAddr: members.addr,
		ServiceToken:   keys.Token(t, optionsv1.Role_ROLE_SERVICE),
		PublicBaseURL:  "https://coalition.example",
		OrganizerName:  "Coordination Team",
		OrganizerEmail: "coordination@coalition.example",
		QuorumFraction: 0.5,
		ReminderLeads:  []time.Duration{7 * 24 * time.Hour, 24 * time.Hour},
		ReminderPoll:   200 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{env: env, db: db, membership: members, cfg: cfg, keys: keys}
	h.serve(t, cfg)
	return h
}

// serve starts a service for cfg and points the harness's clients at it.
func (h *harness) serve(t *testing.T, cfg service.Config) *harness {
	t.Helper()
	svc, err := service.New(context.Background(), cfg, h.env.Logger(t))
	if err != nil {
		t.Fatalf("start events: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	stopped := false
	h.stop = func(t *testing.T) {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("service stopped with error: %v", err)
		}
	}
	stop := h.stop
	t.Cleanup(func() { stop(t) })
	h.addr = svc.Addr()
	dial := func(token string) eventsv1.EventsServiceClient {
		return eventsv1.NewEventsServiceClient(testkit.Dial(t, svc.Addr(), token))
	}
	h.as = func(role optionsv1.Role) eventsv1.EventsServiceClient { return dial(h.keys.Token(t, role)) }
	h.coordinator = h.as(optionsv1.Role_ROLE_COORDINATOR)
	h.anonymous = dial("")
	return h
}

// fakeMembership answers ListBodyMembers from a map, over real gRPC, and
// insists on a bearer token (the events service sends its SERVICE token).
type fakeMembership struct {
	membershipv1.UnimplementedMembershipServiceServer
	addr   string
	mu     sync.Mutex
	bodies map[string][]*membershipv1.BodyMember
}

func startMembership(t *testing.T) *fakeMembership {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeMembership{addr: lis.Addr().String(), bodies: map[string][]*membershipv1.BodyMember{}}
	srv := grpc.NewServer()
	membershipv1.RegisterMembershipServiceServer(srv, f)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return f
}

func (f *fakeMembership) setBody(id string, people ...*membershipv1.BodyMember) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bodies[id] = people
}

func (f *fakeMembership) ListBodyMembers(ctx context.Context, req *membershipv1.ListBodyMembersRequest) (*membershipv1.ListBodyMembersResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	if a := md.Get("authorization"); len(a) != 1 || !strings.HasPrefix(a[0], "Bearer ") {
		return nil, status.Error(codes.Unauthenticated, "no token")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	people, ok := f.bodies[req.GetBodyId()]
	if !ok {
		return nil, status.Error(codes.NotFound, "body not found")
	}
	return &membershipv1.ListBodyMembersResponse{Body: &membershipv1.Body{Id: req.GetBodyId()}, People: people}, nil
}
