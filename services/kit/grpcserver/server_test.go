package grpcserver_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/zap/zaptest"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
)

// fakePetitions is a stand-in service implementation: this test is about
// the server bootstrap around any service, not about petitions.
type fakePetitions struct {
	petitionv1.UnimplementedPetitionServiceServer
}

func (fakePetitions) SignPetition(context.Context, *petitionv1.SignPetitionRequest) (*petitionv1.SignPetitionResponse, error) {
	return &petitionv1.SignPetitionResponse{}, nil
}

func (fakePetitions) CreatePetition(context.Context, *petitionv1.CreatePetitionRequest) (*petitionv1.CreatePetitionResponse, error) {
	return &petitionv1.CreatePetitionResponse{}, nil
}

func (fakePetitions) GetPetition(_ context.Context, req *petitionv1.GetPetitionRequest) (*petitionv1.GetPetitionResponse, error) {
	switch req.GetPetitionId() {
	case "00000000-0000-4000-8000-000000000001":
		panic("boom")
	case "00000000-0000-4000-8000-000000000002":
		return nil, mongo.ErrClientDisconnected
	}
	return nil, errors.New("some internal detail that must not leak")
}

func start(t *testing.T) (petitionv1.PetitionServiceClient, healthpb.HealthClient, *auth.Signer) {
	t.Helper()
	key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := grpcserver.New(grpcserver.Options{
		Name: "test", Addr: "127.0.0.1:0", Verifier: auth.NewVerifier(key.Public().(ed25519.PublicKey)), Logger: zaptest.NewLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	petitionv1.RegisterPetitionServiceServer(srv.GRPC(), fakePetitions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, time.Second) }()
	t.Cleanup(func() { cancel(); <-done })
	conn, err := grpc.NewClient(srv.Addr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return petitionv1.NewPetitionServiceClient(conn), healthpb.NewHealthClient(conn), auth.NewSigner(key, "test")
}

func validSign() *petitionv1.SignPetitionRequest {
	return &petitionv1.SignPetitionRequest{
		PetitionId: "0192f0c4-7d3a-7b8e-9c4d-0123456789ab", Name: "Ana", Email: "ana@example.org", LivesOrWorksInCity: true,
	}
}

func TestValidationAnswersFieldViolations(t *testing.T) {
	client, _, _ := start(t)
	req := validSign()
	req.Email = "not-an-email"
	req.Name = strings.Repeat("x", 1<<20)
	req.LivesOrWorksInCity = false
	_, err := client.SignPetition(context.Background(), req, grpc.MaxCallSendMsgSize(4<<20))
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code %v, want InvalidArgument: %v", st.Code(), err)
	}
	fields := map[string]bool{}
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields[v.GetField()] = true
			}
		}
	}
	for _, f := range []string{"email", "name", "lives_or_works_in_city"} {
		if !fields[f] {
			t.Errorf("no violation for %s in %v", f, fields)
		}
	}
	if _, err := client.SignPetition(context.Background(), validSign()); err != nil {
		t.Fatalf("valid request refused: %v", err)
	}
}

func TestAuthEnforcesDeclaredAccess(t *testing.T) {
	client, _, signer := start(t)
	req := &petitionv1.CreatePetitionRequest{City: "Ghent", Country: "BE", Goal: 10, Texts: []*petitionv1.PetitionText{{Language: "en", Title: "t"}}}
	if _, err := client.CreatePetition(context.Background(), req); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("anonymous: %v, want Unauthenticated", err)
	}
	withToken := func(role optionsv1.Role) context.Context {
		tok, err := signer.Issue("x", role, "", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return metadataCtx("Bearer " + tok)
	}
	if _, err := client.CreatePetition(withToken(optionsv1.Role_ROLE_REPRESENTATIVE), req); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("representative: %v, want PermissionDenied", err)
	}
	if _, err := client.CreatePetition(withToken(optionsv1.Role_ROLE_COORDINATOR), req); err != nil {
		t.Fatalf("coordinator: %v", err)
	}
	if _, err := client.CreatePetition(metadataCtx("Bearer forged.token.here"), req); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("forged: %v", err)
	}
	// A public method with a bad token is refused too: a bad token is never ignored.
	if _, err := client.SignPetition(metadataCtx("Bearer forged.token.here"), validSign()); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("public with forged token: %v", err)
	}
}

func TestErrorsAreMappedAndPanicsRecovered(t *testing.T) {
	client, health, _ := start(t)
	get := func(id string) error {
		_, err := client.GetPetition(context.Background(), &petitionv1.GetPetitionRequest{PetitionId: id})
		return err
	}
	if err := get("00000000-0000-4000-8000-000000000001"); status.Code(err) != codes.Internal {
		t.Fatalf("panic: %v", err)
	}
	if err := get("00000000-0000-4000-8000-000000000002"); status.Code(err) != codes.Unavailable {
		t.Fatalf("store down: %v, want Unavailable", err)
	}
	err := get("00000000-0000-4000-8000-000000000003")
	if status.Code(err) != codes.Internal || strings.Contains(err.Error(), "detail") {
		t.Fatalf("internal error leaked or mis-mapped: %v", err)
	}
	resp, err := health.Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v %v", resp, err)
	}
}
