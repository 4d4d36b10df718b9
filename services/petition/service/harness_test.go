package service_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/petition/service"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// harness is a petition service started for one test, with its own
// database, on the package's shared embedded store and NATS.
type harness struct {
	env *testkit.Env
	db  *mongo.Database
	js  jetstream.JetStream
	// coordinator calls with a coordinator's token; anonymous with none.
	coordinator petitionv1.PetitionServiceClient
	anonymous   petitionv1.PetitionServiceClient
	// membership is the real membership service beside it (coordinator).
	membership membershipv1.MembershipServiceClient
}

// start runs the whole petition service; tweak may adjust its Config.
func start(t *testing.T, tweak ...func(*service.Config)) *harness {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t) // dropped after the service has stopped (cleanups run last-in first-out)
	_, js := env.JetStream(t)

	keys, members := sharedMembership(t, env) // lifecycle_test.go
	cfg := service.Config{
		Common: config.Common{
			MongoURI: env.MongoURI(), NATSURL: env.NATSURL(), Runtime: config.Runtime{ShutdownTimeout: 5 * time.Second},
		},
		MongoDatabase:   db.Name(),
		GRPCAddr:        "127.0.0.1:0",
		AuthPublicKeys:  keys.PublicKeys(),
		ConfirmationTTL: time.Hour,
		StreamReplicas:  1,
		StreamMaxAge:    time.Hour,
		LifecycleConfig: lifecycleConfig(t, members, keys),
	}
	for _, f := range tweak {
		f(&cfg)
	}
	svc, err := service.New(context.Background(), cfg, env.Logger(t))
	if err != nil {
		t.Fatalf("start petition: %v", err)
	}
	testkit.Serve(t, svc)

	dial := func(token string) petitionv1.PetitionServiceClient {
		return petitionv1.NewPetitionServiceClient(testkit.Dial(t, svc.Addr(), token))
	}
	return &harness{
		membership:  membershipv1.NewMembershipServiceClient(testkit.Dial(t, members, keys.Token(t, optionsv1.Role_ROLE_COORDINATOR))),
		env:         env,
		db:          db,
		js:          js,
		coordinator: dial(keys.Token(t, optionsv1.Role_ROLE_COORDINATOR)),
		anonymous:   dial(""),
	}
}

// petitionReq is a valid CreatePetitionRequest for city.
func petitionReq(city string) *petitionv1.CreatePetitionRequest {
	return &petitionv1.CreatePetitionRequest{
		City: city, Country: "ES", Goal: 1000,
		Texts: []*petitionv1.PetitionText{
			{Language: "en", Title: city + ", join the coalition", Body: "Protect our digital rights."},
			{Language: "es", Title: city + ", únete a la coalición", Body: "Protege nuestros derechos digitales."},
		},
	}
}

// createPetition opens a petition as a coordinator.
func (h *harness) createPetition(ctx context.Context, t *testing.T, req *petitionv1.CreatePetitionRequest) *petitionv1.Petition {
	t.Helper()
	resp, err := h.coordinator.CreatePetition(ctx, req)
	if err != nil {
		t.Fatalf("create petition %q: %v", req.GetCity(), err)
	}
	return resp.GetPetition()
}

func signReq(petitionID, email string) *petitionv1.SignPetitionRequest {
	return &petitionv1.SignPetitionRequest{
		PetitionId: petitionID, Name: "Ana Pérez", ShowName: true, Email: email,
		LivesOrWorksInCity: true, Language: "es",
	}
}

func (h *harness) sign(ctx context.Context, t *testing.T, req *petitionv1.SignPetitionRequest) {
	t.Helper()
	resp, err := h.anonymous.SignPetition(ctx, req)
	if err != nil {
		t.Fatalf("sign %s: %v", req.GetEmail(), err)
	}
	// The same (empty) answer whatever happened.
	if resp == nil || len(resp.ProtoReflect().GetUnknown()) != 0 {
		t.Fatalf("sign answered %v", resp)
	}
}

func (h *harness) count(ctx context.Context, t *testing.T, petitionID string) int32 {
	t.Helper()
	resp, err := h.anonymous.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: petitionID})
	if err != nil {
		t.Fatalf("get petition: %v", err)
	}
	return resp.GetPetition().GetConfirmedCount()
}

// published is an event read back from the PETITION stream.
type published struct {
	ev       broker.Event
	ceType   string
	ceSource string
	ceID     string
	msgID    string
}

// readEvents reads every message on subject from the PETITION stream with
// an ordered consumer (the stream is shared by the package's tests) and
// returns those keep accepts.
func readEvents(ctx context.Context, js jetstream.JetStream, subject string, keep func(broker.Event) (bool, error)) ([]published, error) {
	cons, err := js.OrderedConsumer(ctx, broker.StreamName(service.Name), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subject},
	})
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, nil // the relay has not published anything yet
	}
	if err != nil {
		return nil, err
	}
	var out []published
	for {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(300*time.Millisecond))
		if err != nil {
			return nil, err
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			ev, err := broker.EventFromMsg(msg.Subject(), msg.Headers(), msg.Data())
			if err != nil {
				return nil, err
			}
			ok, err := keep(ev)
			if err != nil {
				return nil, err
			}
			if ok {
				h := msg.Headers()
				out = append(out, published{
					ev: ev, ceType: h.Get(broker.HeaderType), ceSource: h.Get(broker.HeaderSource),
					ceID: h.Get(broker.HeaderID), msgID: h.Get(nats.MsgIdHdr),
				})
			}
		}
		if err := batch.Error(); err != nil {
			return nil, err
		}
		if n == 0 {
			return out, nil
		}
	}
}

// requested returns the SignatureRequested events about petitionID, oldest first.
func (h *harness) requested(ctx context.Context, t *testing.T, petitionID string) ([]*petitionv1.SignatureRequested, []published) {
	t.Helper()
	var msgs []*petitionv1.SignatureRequested
	evs, err := readEvents(ctx, h.js, "petition.signature.requested", func(ev broker.Event) (bool, error) {
		var m petitionv1.SignatureRequested
		if err := ev.Decode(&m); err != nil {
			return false, err
		}
		if m.GetPetitionId() != petitionID {
			return false, nil
		}
		msgs = append(msgs, &m)
		return true, nil
	})
	if err != nil {
		t.Fatalf("read SignatureRequested events: %v", err)
	}
	return msgs, evs
}

// confirmed returns the SignatureConfirmed events about petitionID.
func (h *harness) confirmed(ctx context.Context, t *testing.T, petitionID string) []*petitionv1.SignatureConfirmed {
	t.Helper()
	var msgs []*petitionv1.SignatureConfirmed
	_, err := readEvents(ctx, h.js, "petition.signature.confirmed", func(ev broker.Event) (bool, error) {
		var m petitionv1.SignatureConfirmed
		if err := ev.Decode(&m); err != nil {
			return false, err
		}
		if m.GetPetitionId() != petitionID {
			return false, nil
		}
		msgs = append(msgs, &m)
		return true, nil
	})
	if err != nil {
		t.Fatalf("read SignatureConfirmed events: %v", err)
	}
	return msgs
}

// waitRequested waits until petitionID has n SignatureRequested events on
// the stream and returns them.
func (h *harness) waitRequested(ctx context.Context, t *testing.T, petitionID string, n int) []*petitionv1.SignatureRequested {
	t.Helper()
	var got []*petitionv1.SignatureRequested
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		got, _ = h.requested(ctx, t, petitionID)
		return len(got) >= n, nil
	})
	return got
}

// settle waits until the relay has emptied every outbox, then a little
// longer, so that counting events afterwards sees everything that will ever
// be published.
func (h *harness) settle(ctx context.Context, t *testing.T) {
	t.Helper()
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		for _, c := range []string{"petitions", "signatures"} {
			n, err := h.db.Collection(c).CountDocuments(ctx, bson.D{{Key: "outbox_pending", Value: true}})
			if err != nil || n != 0 {
				return false, err
			}
		}
		return true, nil
	})
	time.Sleep(300 * time.Millisecond)
}
