package console_test

import (
	"context"
	"crypto/ed25519"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/console"
	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// Fixed ids of the fake membership service's data.
const (
	appID      = "0190a000-0000-7000-8000-000000000001"
	portoID    = "0190a000-0000-7000-8000-0000000000a1"
	otherID    = "0190a000-0000-7000-8000-0000000000b2"
	repID      = "0190a000-0000-7000-8000-0000000000c3"
	password   = "a long demo password"
	coordEmail = "coord@example.org"
	repEmail   = "rep@example.org"
)

// fakeMembership is a real gRPC server standing in for the membership
// service: it verifies the console's tokens as the real interceptor does,
// records who called what, and holds one application and one
// representative. The real services are covered by the dev launcher's
// end-to-end and browser tests.
type fakeMembership struct {
	membershipv1.UnimplementedMembershipServiceServer
	verifier *auth.Verifier

	mu      sync.Mutex
	app     *membershipv1.Application
	repGone bool     // the representative has been removed
	changes []string // mutating calls that went through
	callers []*auth.Claims
}

func (f *fakeMembership) claims(ctx context.Context) (*auth.Claims, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	v := md.Get("authorization")
	if len(v) == 0 {
		return nil, status.Error(codes.Unauthenticated, "no token")
	}
	c, err := f.verifier.Verify(strings.TrimPrefix(v[0], "Bearer "))
	if err != nil {
		return nil, status.Error(codes.Unauthenticated, err.Error())
	}
	f.mu.Lock()
	f.callers = append(f.callers, c)
	f.mu.Unlock()
	return c, nil
}

func (f *fakeMembership) change(what string) {
	f.mu.Lock()
	f.changes = append(f.changes, what)
	f.mu.Unlock()
}

func (f *fakeMembership) changed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.changes...)
}

func (f *fakeMembership) lastCaller() *auth.Claims {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.callers) == 0 {
		return nil
	}
	return f.callers[len(f.callers)-1]
}

func (f *fakeMembership) GetMyData(ctx context.Context, _ *membershipv1.GetMyDataRequest) (*membershipv1.GetMyDataResponse, error) {
	c, err := f.claims(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	gone := f.repGone
	f.mu.Unlock()
	if gone || (c.Subject != repEmail && c.Subject != repID) {
		return nil, status.Error(codes.NotFound, "no such representative")
	}
	return &membershipv1.GetMyDataResponse{Representative: &membershipv1.Representative{
		Id: repID, MemberId: portoID, Name: "Inês Modelo", Email: repEmail,
		Role: membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE, Language: "pt", TimeZone: "Europe/Lisbon",
	}}, nil
}

func (f *fakeMembership) GetMember(ctx context.Context, req *membershipv1.GetMemberRequest) (*membershipv1.GetMemberResponse, error) {
	if _, err := f.claims(ctx); err != nil {
		return nil, err
	}
	return &membershipv1.GetMemberResponse{Member: &membershipv1.Member{Id: req.GetMemberId(), Name: "Porto", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY,
		Country: "PT", Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER}}, nil
}

func (f *fakeMembership) ListRepresentatives(ctx context.Context, req *membershipv1.ListRepresentativesRequest) (*membershipv1.ListRepresentativesResponse, error) {
	if _, err := f.claims(ctx); err != nil {
		return nil, err
	}
	return &membershipv1.ListRepresentativesResponse{}, nil
}

func (f *fakeMembership) UpdateMember(ctx context.Context, req *membershipv1.UpdateMemberRequest) (*membershipv1.UpdateMemberResponse, error) {
	if _, err := f.claims(ctx); err != nil {
		return nil, err
	}
	f.change("UpdateMember " + req.GetMemberId())
	return &membershipv1.UpdateMemberResponse{}, nil
}

func (f *fakeMembership) ListApplications(ctx context.Context, _ *membershipv1.ListApplicationsRequest) (*membershipv1.ListApplicationsResponse, error) {
	if _, err := f.claims(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return &membershipv1.ListApplicationsResponse{Applications: []*membershipv1.Application{f.app}}, nil
}

func (f *fakeMembership) GetApplication(ctx context.Context, _ *membershipv1.GetApplicationRequest) (*membershipv1.GetApplicationResponse, error) {
	if _, err := f.claims(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return &membershipv1.GetApplicationResponse{Application: f.app}, nil
}

func (f *fakeMembership) ApproveApplication(ctx context.Context, _ *membershipv1.ApproveApplicationRequest) (*membershipv1.ApproveApplicationResponse, error) {
	c, err := f.claims(ctx)
	if err != nil {
		return nil, err
	}
	if c.Role.String() != "ROLE_COORDINATOR" {
		return nil, status.Error(codes.PermissionDenied, "coordinators only")
	}
	f.change("ApproveApplication")
	f.mu.Lock()
	f.app.Status = membershipv1.ApplicationStatus_APPLICATION_STATUS_APPROVED
	f.mu.Unlock()
	return &membershipv1.ApproveApplicationResponse{Member: &membershipv1.Member{Name: "Valencia"}}, nil
}

func (f *fakeMembership) RejectApplication(ctx context.Context, req *membershipv1.RejectApplicationRequest) (*membershipv1.RejectApplicationResponse, error) {
	if _, err := f.claims(ctx); err != nil {
		return nil, err
	}
	f.change("RejectApplication " + req.GetReason())
	return &membershipv1.RejectApplicationResponse{}, nil
}

// fakeNotification stands in for the notification service's dead letters
// and resends, recording changes in the same list as fakeMembership.
type fakeNotification struct {
	notificationv1.UnimplementedNotificationServiceServer
	fake *fakeMembership
}

const (
	failedDelivery = "0123456789abcdef0123456789abcdef"
	deadEvent      = "0190a000-0000-7000-8000-0000000000d4"
	stuckEvent     = "0190a000-0000-7000-8000-0000000000e5"
)

func (n *fakeNotification) ListDeliveries(ctx context.Context, _ *notificationv1.ListDeliveriesRequest) (*notificationv1.ListDeliveriesResponse, error) {
	if _, err := n.fake.claims(ctx); err != nil {
		return nil, err
	}
	return &notificationv1.ListDeliveriesResponse{Deliveries: []*notificationv1.Delivery{{Id: failedDelivery, Template: "signature_confirmation",
		Recipient: "ana@example.org", Status: notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED, Attempts: 5, LastError: "550 mailbox unavailable"}}}, nil
}

func (n *fakeNotification) ResendDelivery(ctx context.Context, req *notificationv1.ResendDeliveryRequest) (*notificationv1.ResendDeliveryResponse, error) {
	if _, err := n.fake.claims(ctx); err != nil {
		return nil, err
	}
	n.fake.change("ResendDelivery " + req.GetDeliveryId())
	return &notificationv1.ResendDeliveryResponse{}, nil
}

func (n *fakeNotification) ListDeadLetters(ctx context.Context, _ *notificationv1.ListDeadLettersRequest) (*notificationv1.ListDeadLettersResponse, error) {
	if _, err := n.fake.claims(ctx); err != nil {
		return nil, err
	}
	return &notificationv1.ListDeadLettersResponse{DeadLetters: []*notificationv1.DeadLetter{
		{Consumer: "notification-petition-mail", EventId: deadEvent, Subject: "petition.signature.requested", Error: "template missing", Deliveries: 5},
		{Consumer: "notification-petition-mail", EventId: stuckEvent, Subject: "petition.signature.requested", Error: "still failing", Deliveries: 5},
	}}, nil
}

func (n *fakeNotification) ReplayDeadLetter(ctx context.Context, req *notificationv1.ReplayDeadLetterRequest) (*notificationv1.ReplayDeadLetterResponse, error) {
	if _, err := n.fake.claims(ctx); err != nil {
		return nil, err
	}
	if req.GetEventId() == stuckEvent {
		return nil, status.Error(codes.FailedPrecondition, "the handler failed again: still failing")
	}
	n.fake.change("ReplayDeadLetter " + req.GetConsumer() + " " + req.GetEventId())
	return &notificationv1.ReplayDeadLetterResponse{}, nil
}

// env is a console in front of the fake services, with a browser-like
// client per person.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	fake   *fakeMembership
	now    *time.Time
	nowMu  *sync.Mutex
	config console.Config
}

type envOption func(*console.Config)

func newEnv(t *testing.T, opts ...envOption) *env {
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
		{"username":"`+repEmail+`","role":"representative","password_hash":"`+hash+`"},
		{"username":"orphan@example.org","role":"representative","password_hash":"`+hash+`"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}

	fake := &fakeMembership{verifier: auth.NewVerifier(priv.Public().(ed25519.PublicKey)), app: &membershipv1.Application{
		Id: appID, City: "Valencia", Country: "ES", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY,
		Status:     membershipv1.ApplicationStatus_APPLICATION_STATUS_UNDER_REVIEW,
		Contact:    &membershipv1.ContactPerson{Name: "Vicent", Email: "valencia.applicant@example.org"},
		Commitment: &membershipv1.PoliticalCommitment{Kind: membershipv1.CommitmentKind_COMMITMENT_KIND_COUNCIL_RESOLUTION, Reference: "https://example.org/resolution", Date: timestamppb.Now()},
		Policies:   []*membershipv1.Policy{{Title: "Open data portal", Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_TRANSPARENCY}}},
		History:    []*membershipv1.ApplicationTransition{{From: membershipv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, To: membershipv1.ApplicationStatus_APPLICATION_STATUS_UNDER_REVIEW, By: "coord@example.org", At: timestamppb.Now()}},
	}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	membershipv1.RegisterMembershipServiceServer(gs, fake)
	petitionv1.RegisterPetitionServiceServer(gs, petitionv1.UnimplementedPetitionServiceServer{})
	eventsv1.RegisterEventsServiceServer(gs, eventsv1.UnimplementedEventsServiceServer{})
	notificationv1.RegisterNotificationServiceServer(gs, &fakeNotification{fake: fake})
	go func() { _ = gs.Serve(ln) }()
	t.Cleanup(gs.Stop)
	cc, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })

	cfg := console.Config{AccountsFile: accountsFile, SigningKeyFile: keyFile, TokenIssuer: "test-console",
		SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour, MaxSessions: 100, LoginWindow: 15 * time.Minute, LoginPerIP: 100, LoginPerUser: 100}
	for _, o := range opts {
		o(&cfg)
	}
	e := &env{t: t, fake: fake, nowMu: &sync.Mutex{}, config: cfg}
	start := time.Now()
	e.now = &start
	mux := http.NewServeMux()
	e.srv = httptest.NewUnstartedServer(mux)
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
	return e
}

func (e *env) clock() time.Time {
	e.nowMu.Lock()
	defer e.nowMu.Unlock()
	return *e.now
}

func (e *env) advance(d time.Duration) {
	e.nowMu.Lock()
	*e.now = e.now.Add(d)
	e.nowMu.Unlock()
}

// browser is one person's cookie jar; it does not follow redirects.
type browser struct {
	e      *env
	client *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	code     int
	body     string
	location string
}

func (b *browser) do(req *http.Request) response {
	b.e.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{code: resp.StatusCode, body: string(body), location: resp.Header.Get("Location")}
}

func (b *browser) get(path string) response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the synchroniser token in a page's forms.
func (b *browser) csrf(path string) string {
	b.e.t.Helper()
	r := b.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		b.e.t.Fatalf("no csrf field on %s (HTTP %d)", path, r.code)
	}
	return m[1]
}

// signIn signs in through the form and checks it worked.
func (b *browser) signIn(user string) {
	b.e.t.Helper()
	r := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {user}, "password": {password}})
	if r.code != http.StatusSeeOther || r.location != "/console/" {
		b.e.t.Fatalf("sign in as %s: HTTP %d to %q\n%s", user, r.code, r.location, r.body)
	}
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.srv.URL + "/console/")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
