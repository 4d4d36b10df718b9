package console_test

import (
	"context"
	"crypto/ed25519"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/console"
	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// The assembly screens' tests run the console in front of stand-ins for
// membership and events on a real gRPC server with the services' real
// token check and per-method access (kit/auth's interceptor), as the
// console's other tests do. The stand-ins hold a small directory and
// record what they were asked; the real events service behind the console
// (validation, emails, calendar files) is driven by the browser test
// (services/devstack/browser/assemblies_test.go).

const (
	boardID     = "0190c000-0000-7000-8000-0000000000b1"
	groupID     = "0190c000-0000-7000-8000-0000000000b2"
	amsterdamID = "0190c000-0000-7000-8000-0000000000a1"
	maceioID    = "0190c000-0000-7000-8000-0000000000a2"
	anoukID     = "0190c000-0000-7000-8000-0000000000c1"
	iaraID      = "0190c000-0000-7000-8000-0000000000c2"
	asmID       = "0190c000-0000-7000-8000-0000000000e1"
	otherAsmID  = "0190c000-0000-7000-8000-0000000000e2"
)

// asmDirectory is membership as the assembly screens use it: two bodies,
// two members with one representative each.
type asmDirectory struct {
	membershipv1.UnimplementedMembershipServiceServer
}

func (asmDirectory) ListBodies(context.Context, *membershipv1.ListBodiesRequest) (*membershipv1.ListBodiesResponse, error) {
	return &membershipv1.ListBodiesResponse{Bodies: []*membershipv1.Body{
		{Id: boardID, Name: "Leadership Board", Kind: membershipv1.BodyKind_BODY_KIND_LEADERSHIP_BOARD, MemberIds: []string{amsterdamID, maceioID}},
		{Id: groupID, Name: "Working group on digital inclusion", Kind: membershipv1.BodyKind_BODY_KIND_WORKING_GROUP},
	}}, nil
}

func (asmDirectory) ListMembers(context.Context, *membershipv1.ListMembersRequest) (*membershipv1.ListMembersResponse, error) {
	return &membershipv1.ListMembersResponse{Members: []*membershipv1.Member{
		{Id: amsterdamID, Name: "Amsterdam", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER},
		{Id: maceioID, Name: "Maceió", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER},
	}}, nil
}

func (asmDirectory) ListRepresentatives(_ context.Context, req *membershipv1.ListRepresentativesRequest) (*membershipv1.ListRepresentativesResponse, error) {
	pol := membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE
	switch req.GetMemberId() {
	case amsterdamID:
		return &membershipv1.ListRepresentativesResponse{Representatives: []*membershipv1.Representative{
			{Id: anoukID, MemberId: amsterdamID, Name: "Anouk Voorbeeld", Email: "anouk@example.org", Role: pol, Language: "nl", TimeZone: "Europe/Amsterdam"}}}, nil
	case maceioID:
		return &membershipv1.ListRepresentativesResponse{Representatives: []*membershipv1.Representative{
			{Id: iaraID, MemberId: maceioID, Name: "Iara Exemplo", Email: "iara@example.org", Role: pol, Language: "pt", TimeZone: "America/Maceio"}}}, nil
	}
	return &membershipv1.ListRepresentativesResponse{}, nil
}

func (asmDirectory) GetMyData(context.Context, *membershipv1.GetMyDataRequest) (*membershipv1.GetMyDataResponse, error) {
	return &membershipv1.GetMyDataResponse{Representative: &membershipv1.Representative{
		Id: iaraID, MemberId: maceioID, Name: "Iara Exemplo", Email: repEmail, TimeZone: "America/Maceio"}}, nil
}

// fakeEvents holds assemblies in memory and records every request.
type fakeEvents struct {
	eventsv1.UnimplementedEventsServiceServer

	mu         sync.Mutex
	assemblies map[string]*eventsv1.Assembly
	calls      []proto.Message
	// fail, when set, is the answer to the next changing call.
	fail error
	// now is the console's clock (what is upcoming or past).
	now func() time.Time
	// mine are Iara's invitations, by assembly id (invitations_test.go).
	mine map[string]*eventsv1.MyInvitation
}

func (f *fakeEvents) record(m proto.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, proto.Clone(m))
	err := f.fail
	f.fail = nil
	return err
}

// requests are the recorded requests of type T.
func requests[T proto.Message](f *fakeEvents) []T {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []T
	for _, c := range f.calls {
		if m, ok := c.(T); ok {
			out = append(out, m)
		}
	}
	return out
}

func (f *fakeEvents) failNext(err error) {
	f.mu.Lock()
	f.fail = err
	f.mu.Unlock()
}

func (f *fakeEvents) get(id string) (*eventsv1.Assembly, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.assemblies[id]
	if !ok {
		return nil, status.Error(codes.NotFound, "assembly not found")
	}
	return proto.Clone(a).(*eventsv1.Assembly), nil
}

func (f *fakeEvents) put(a *eventsv1.Assembly) {
	f.mu.Lock()
	f.assemblies[a.GetId()] = a
	f.mu.Unlock()
}

func (f *fakeEvents) ScheduleAssembly(_ context.Context, req *eventsv1.ScheduleAssemblyRequest) (*eventsv1.ScheduleAssemblyResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	a := &eventsv1.Assembly{Id: asmID, Kind: req.GetKind(), Title: req.GetTitle(), StartsAt: req.GetStartsAt(), EndsAt: req.GetEndsAt(),
		TimeZone: req.GetTimeZone(), Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED, InviteeCount: 3, Uid: asmID + "@coalition"}
	f.put(a)
	return &eventsv1.ScheduleAssemblyResponse{Assembly: a}, nil
}

func (f *fakeEvents) GetAssembly(_ context.Context, req *eventsv1.GetAssemblyRequest) (*eventsv1.GetAssemblyResponse, error) {
	a, err := f.get(req.GetAssemblyId())
	if err != nil {
		return nil, err
	}
	return &eventsv1.GetAssemblyResponse{Assembly: a}, nil
}

func (f *fakeEvents) ListAssemblies(context.Context, *eventsv1.ListAssembliesRequest) (*eventsv1.ListAssembliesResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := &eventsv1.ListAssembliesResponse{}
	for _, a := range f.assemblies {
		resp.Assemblies = append(resp.Assemblies, proto.Clone(a).(*eventsv1.Assembly))
	}
	return resp, nil
}

func (f *fakeEvents) GetInviteeTimes(_ context.Context, req *eventsv1.GetInviteeTimesRequest) (*eventsv1.GetInviteeTimesResponse, error) {
	if _, err := f.get(req.GetAssemblyId()); err != nil {
		return nil, err
	}
	return &eventsv1.GetInviteeTimesResponse{
		Planned: &eventsv1.InviteeTimes{Starts: &eventsv1.LocalTime{Local: "2027-03-02T15:00:00", TimeZone: "Europe/Amsterdam", UtcOffset: "+01:00", Abbreviation: "CET"},
			Ends: &eventsv1.LocalTime{Local: "2027-03-02T16:30:00", TimeZone: "Europe/Amsterdam", UtcOffset: "+01:00", Abbreviation: "CET"}},
		Invitees: []*eventsv1.InviteeTimes{{Name: "Iara Exemplo", Email: "iara@example.org",
			Starts: &eventsv1.LocalTime{Local: "2027-03-02T11:00:00", TimeZone: "America/Maceio", UtcOffset: "-03:00", Abbreviation: "-03"},
			Ends:   &eventsv1.LocalTime{Local: "2027-03-02T12:30:00", TimeZone: "America/Maceio", UtcOffset: "-03:00", Abbreviation: "-03"}}},
	}, nil
}

func (f *fakeEvents) GetAttendance(_ context.Context, req *eventsv1.GetAttendanceRequest) (*eventsv1.GetAttendanceResponse, error) {
	if _, err := f.get(req.GetAssemblyId()); err != nil {
		return nil, err
	}
	return &eventsv1.GetAttendanceResponse{
		Attendees: []*eventsv1.Attendee{
			{Name: "Anouk Voorbeeld", Email: "anouk@example.org", TimeZone: "Europe/Amsterdam", BodyId: boardID, Response: eventsv1.Response_RESPONSE_ACCEPTED, RespondedAt: timestamppb.Now()},
			{Name: "Iara Exemplo", Email: "iara@example.org", TimeZone: "America/Maceio", BodyId: boardID, Response: eventsv1.Response_RESPONSE_NEEDS_ACTION},
		},
		Bodies:   []*eventsv1.BodyAttendance{{BodyId: boardID, Invited: 2, Accepted: 1, Quorum: 1, QuorumExpected: true}},
		Accepted: 1, NoAnswer: 1,
	}, nil
}

func (f *fakeEvents) CheckConflicts(_ context.Context, req *eventsv1.CheckConflictsRequest) (*eventsv1.CheckConflictsResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	return &eventsv1.CheckConflictsResponse{Conflicts: []*eventsv1.Conflict{{Email: "anouk@example.org", AssemblyId: otherAsmID,
		Title: "Working group on urban AI", StartsAt: req.GetStartsAt(), EndsAt: req.GetEndsAt()}}}, nil
}

func (f *fakeEvents) SuggestSlots(_ context.Context, req *eventsv1.SuggestSlotsRequest) (*eventsv1.SuggestSlotsResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	start := req.GetWindowStart().AsTime().Add(14 * time.Hour) // 15:00 in Amsterdam in winter
	return &eventsv1.SuggestSlotsResponse{Slots: []*eventsv1.Slot{
		{StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(req.GetDuration().AsDuration())), InWorkingHours: 2, Invitees: 2},
		{StartsAt: timestamppb.New(start.Add(-4 * time.Hour)), EndsAt: timestamppb.New(start.Add(-4*time.Hour + req.GetDuration().AsDuration())),
			InWorkingHours: 1, Invitees: 2, Outside: []string{"iara@example.org"}},
	}}, nil
}

func (f *fakeEvents) RescheduleAssembly(_ context.Context, req *eventsv1.RescheduleAssemblyRequest) (*eventsv1.RescheduleAssemblyResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	a, err := f.get(req.GetAssemblyId())
	if err != nil {
		return nil, err
	}
	a.StartsAt, a.EndsAt, a.TimeZone, a.Sequence = req.GetStartsAt(), req.GetEndsAt(), req.GetTimeZone(), a.GetSequence()+1
	f.put(a)
	return &eventsv1.RescheduleAssemblyResponse{Assembly: a}, nil
}

func (f *fakeEvents) UpdateAssembly(_ context.Context, req *eventsv1.UpdateAssemblyRequest) (*eventsv1.UpdateAssemblyResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	a, err := f.get(req.GetAssemblyId())
	if err != nil {
		return nil, err
	}
	return &eventsv1.UpdateAssemblyResponse{Assembly: a}, nil
}

func (f *fakeEvents) CancelAssembly(_ context.Context, req *eventsv1.CancelAssemblyRequest) (*eventsv1.CancelAssemblyResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	a, err := f.get(req.GetAssemblyId())
	if err != nil {
		return nil, err
	}
	a.Status, a.CancelReason = eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED, req.GetReason()
	f.put(a)
	return &eventsv1.CancelAssemblyResponse{Assembly: a}, nil
}

func (f *fakeEvents) PublishMinutes(_ context.Context, req *eventsv1.PublishMinutesRequest) (*eventsv1.PublishMinutesResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	a, err := f.get(req.GetAssemblyId())
	if err != nil {
		return nil, err
	}
	a.Minutes = &eventsv1.Minutes{Text: req.GetText(), Outcomes: req.GetOutcomes(), PublishedAt: timestamppb.Now()}
	f.put(a)
	return &eventsv1.PublishMinutesResponse{Assembly: a}, nil
}

func (f *fakeEvents) AddInvitees(_ context.Context, req *eventsv1.AddInviteesRequest) (*eventsv1.AddInviteesResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	resp := &eventsv1.AddInviteesResponse{}
	for _, p := range req.GetPeople() {
		resp.Added = append(resp.Added, &eventsv1.Attendee{Name: p.GetName(), Email: p.GetEmail()})
	}
	return resp, nil
}

func (f *fakeEvents) RemoveInvitees(_ context.Context, req *eventsv1.RemoveInviteesRequest) (*eventsv1.RemoveInviteesResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	resp := &eventsv1.RemoveInviteesResponse{}
	for _, e := range req.GetEmails() {
		resp.Removed = append(resp.Removed, &eventsv1.Attendee{Email: e})
	}
	return resp, nil
}

// asmEnv is the console with the stand-ins, and its clock.
type asmEnv struct {
	*env
	events *fakeEvents
}

// newAsmEnv starts the stand-ins behind the kit's gRPC server and a
// console in front of them; now is the console's clock.
func newAsmEnv(t *testing.T, now time.Time) *asmEnv {
	t.Helper()
	dir := t.TempDir()
	priv, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "signing.key")
	if err := os.WriteFile(keyFile, []byte(auth.EncodePrivateKey(priv)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hash, err := accounts.Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	accountsFile := filepath.Join(dir, "accounts.json")
	if err := os.WriteFile(accountsFile, []byte(`{"accounts":[
		{"username":"`+coordEmail+`","name":"Alex Coordinator","role":"coordinator","password_hash":"`+hash+`"},
		{"username":"`+repEmail+`","role":"representative","password_hash":"`+hash+`"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer(grpc.ChainUnaryInterceptor(auth.UnaryInterceptor(auth.NewVerifier(priv.Public().(ed25519.PublicKey)))))
	events := &fakeEvents{assemblies: map[string]*eventsv1.Assembly{}, mine: map[string]*eventsv1.MyInvitation{}}
	membershipv1.RegisterMembershipServiceServer(gs, asmDirectory{})
	eventsv1.RegisterEventsServiceServer(gs, events)
	go func() { _ = gs.Serve(ln) }()
	t.Cleanup(gs.Stop)
	cc, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })

	e := &env{t: t, nowMu: &sync.Mutex{}, now: &now}
	events.now = e.clock
	mux := http.NewServeMux()
	e.srv = httptest.NewUnstartedServer(mux)
	cfg := console.Config{AccountsFile: accountsFile, SigningKeyFile: keyFile, TokenIssuer: "test-console",
		SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour, MaxSessions: 100, LoginWindow: 15 * time.Minute, LoginPerIP: 100, LoginPerUser: 100}
	c, err := console.New(console.Options{
		Config: cfg, PublicBaseURL: "http://" + e.srv.Listener.Addr().String(),
		Membership: membershipv1.NewMembershipServiceClient(cc), Petition: petitionv1.NewPetitionServiceClient(cc),
		Events: eventsv1.NewEventsServiceClient(cc), Notification: notificationv1.NewNotificationServiceClient(cc),
		Now: e.clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Register(mux)
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	return &asmEnv{env: e, events: events}
}
