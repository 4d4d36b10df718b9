package service_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// downstream is a real in-process gRPC server standing in for one peer
// service: it speaks the gRPC health protocol and, for some tests, a small
// implementation of the peer's API. The real services are covered end to
// end by the dev launcher's test.
type downstream struct {
	addr   string
	srv    *grpc.Server
	health *health.Server
	once   sync.Once
}

func startDownstream(t *testing.T, register func(*grpc.Server)) *downstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	hs := health.NewServer() // "" starts SERVING
	healthpb.RegisterHealthServer(srv, hs)
	if register != nil {
		register(srv)
	}
	go func() { _ = srv.Serve(ln) }()
	d := &downstream{addr: ln.Addr().String(), srv: srv, health: hs}
	t.Cleanup(d.stop)
	return d
}

func (d *downstream) stop() { d.once.Do(d.srv.Stop) }

func (d *downstream) setServing(serving bool) {
	st := healthpb.HealthCheckResponse_NOT_SERVING
	if serving {
		st = healthpb.HealthCheckResponse_SERVING
	}
	d.health.SetServingStatus("", st)
}

const (
	petitionID   = "0190a3c4-1111-7000-8000-000000000001"
	closedID     = "0190a3c4-2222-7000-8000-000000000002"
	goodToken    = "gooooooooooooooooooooooooooooooooooooood"
	expiredToken = "expiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiired"
)

// fakePetitions answers like the petition service would for the few cases
// the gateway's tests need, and records what reached it.
type fakePetitions struct {
	petitionv1.UnimplementedPetitionServiceServer

	mu       sync.Mutex
	signed   []*petitionv1.SignPetitionRequest
	metadata []metadata.MD
	count    int64
}

func (f *fakePetitions) record(ctx context.Context) {
	md, _ := metadata.FromIncomingContext(ctx)
	f.mu.Lock()
	f.metadata = append(f.metadata, md)
	f.mu.Unlock()
}

func (f *fakePetitions) signedRequests() []*petitionv1.SignPetitionRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*petitionv1.SignPetitionRequest(nil), f.signed...)
}

func (f *fakePetitions) lastMetadata() metadata.MD {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.metadata) == 0 {
		return nil
	}
	return f.metadata[len(f.metadata)-1]
}

func (f *fakePetitions) petition(id string) *petitionv1.Petition {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := &petitionv1.Petition{
		Id: id, City: "Lisbon", Country: "PT", Goal: 1000, ConfirmedCount: 250 + int32(f.count),
		Status: petitionv1.PetitionStatus_PETITION_STATUS_OPEN,
		Texts: []*petitionv1.PetitionText{{
			Language: "en", Title: "Lisbon, join the Cities Coalition for Digital Rights",
			Body: "We ask our city to join.\n\nDigital rights are human rights.",
		}},
		CreatedAt: timestamppb.Now(),
	}
	if id == closedID {
		p.City, p.Status = "Porto", petitionv1.PetitionStatus_PETITION_STATUS_CLOSED
		p.Texts[0].Title = "Porto, join the coalition"
	}
	return p
}

func (f *fakePetitions) GetPetition(ctx context.Context, req *petitionv1.GetPetitionRequest) (*petitionv1.GetPetitionResponse, error) {
	f.record(ctx)
	switch req.GetPetitionId() {
	case petitionID, closedID:
		return &petitionv1.GetPetitionResponse{Petition: f.petition(req.GetPetitionId())}, nil
	}
	return nil, status.Error(codes.NotFound, "petition not found")
}

func (f *fakePetitions) ListPetitions(ctx context.Context, _ *petitionv1.ListPetitionsRequest) (*petitionv1.ListPetitionsResponse, error) {
	f.record(ctx)
	return &petitionv1.ListPetitionsResponse{Petitions: []*petitionv1.Petition{f.petition(petitionID), f.petition(closedID)}}, nil
}

func (f *fakePetitions) SignPetition(ctx context.Context, req *petitionv1.SignPetitionRequest) (*petitionv1.SignPetitionResponse, error) {
	f.record(ctx)
	var v []*errdetails.BadRequest_FieldViolation
	if n := utf8.RuneCountInString(req.GetName()); n < 1 || n > 100 {
		v = append(v, &errdetails.BadRequest_FieldViolation{Field: "name", Description: "value length must be between 1 and 100 characters", Reason: "string.len"})
	}
	if !strings.Contains(req.GetEmail(), "@") {
		v = append(v, &errdetails.BadRequest_FieldViolation{Field: "email", Description: "value must be a valid email address", Reason: "string.email"})
	}
	if !req.GetLivesOrWorksInCity() {
		v = append(v, &errdetails.BadRequest_FieldViolation{Field: "lives_or_works_in_city", Description: "value must equal true", Reason: "bool.const"})
	}
	if len(v) > 0 {
		st, err := status.New(codes.InvalidArgument, "invalid request").WithDetails(&errdetails.BadRequest{FieldViolations: v})
		if err != nil {
			return nil, err
		}
		return nil, st.Err()
	}
	switch req.GetPetitionId() {
	case petitionID:
	case closedID:
		return nil, status.Error(codes.FailedPrecondition, "this petition no longer takes signatures")
	default:
		return nil, status.Error(codes.NotFound, "petition not found")
	}
	f.mu.Lock()
	f.signed = append(f.signed, req)
	f.mu.Unlock()
	return &petitionv1.SignPetitionResponse{}, nil
}

func (f *fakePetitions) ConfirmSignature(ctx context.Context, req *petitionv1.ConfirmSignatureRequest) (*petitionv1.ConfirmSignatureResponse, error) {
	f.record(ctx)
	switch req.GetToken() {
	case goodToken:
		f.mu.Lock()
		f.count++
		f.mu.Unlock()
		return &petitionv1.ConfirmSignatureResponse{Petition: f.petition(petitionID)}, nil
	case expiredToken:
		return nil, status.Error(codes.FailedPrecondition, "this confirmation link has expired; sign again to receive a new one")
	}
	if len(req.GetToken()) < 32 {
		st, _ := status.New(codes.InvalidArgument, "invalid request").WithDetails(&errdetails.BadRequest{
			FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "token", Description: "value length must be at least 32 characters"}},
		})
		return nil, st.Err()
	}
	return nil, status.Error(codes.NotFound, "this confirmation link is not valid")
}

type fakeMembers struct {
	membershipv1.UnimplementedMembershipServiceServer
}

func (fakeMembers) ListMembers(context.Context, *membershipv1.ListMembersRequest) (*membershipv1.ListMembersResponse, error) {
	return &membershipv1.ListMembersResponse{Members: []*membershipv1.Member{
		{Id: "m1", Name: "Amsterdam", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: "NL", Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER},
		{Id: "m2", Name: "Barcelona", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: "ES", Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER},
		{Id: "m3", Name: "UN-Habitat", Kind: membershipv1.MemberKind_MEMBER_KIND_PARTNER, Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER},
		{Id: "m4", Name: "Applicantville", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: "FR", Status: membershipv1.MemberStatus_MEMBER_STATUS_APPLICANT},
	}}, nil
}
