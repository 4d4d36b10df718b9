package service_test

import (
	"crypto/ed25519"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// Representatives of the tests' directory (ids as membership gives them).
const (
	repAnaID  = "0190e000-0000-7000-8000-0000000000a1" // on the body, in São Paulo
	repBenID  = "0190e000-0000-7000-8000-0000000000b2" // on the body, in Madrid
	repCaiID  = "0190e000-0000-7000-8000-0000000000c3" // invited by name only
	boardBody = "0190e000-0000-7000-8000-0000000000d4"
)

// repHarness is an events service that also trusts a console-like issuer,
// whose tokens carry a representative id as their subject.
type repHarness struct {
	*harness
	signer *auth.Signer
}

func startWithReps(t *testing.T) *repHarness {
	t.Helper()
	key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, func(c *service.Config) {
		c.AuthPublicKeys += "," + auth.EncodePublicKey(key.Public().(ed25519.PublicKey))
	})
	h.membership.setBody(boardBody,
		&membershipv1.BodyMember{RepresentativeId: repAnaID, Name: "Ana", Email: "ana@example.org", TimeZone: "America/Sao_Paulo"},
		&membershipv1.BodyMember{RepresentativeId: repBenID, Name: "Ben", Email: "ben@example.org", TimeZone: "Europe/Madrid"},
	)
	return &repHarness{harness: h, signer: auth.NewSigner(key, "test-console")}
}

// rep is a client calling as the given subject with role.
func (h *repHarness) rep(t *testing.T, subject string, role optionsv1.Role) eventsv1.EventsServiceClient {
	t.Helper()
	tok, err := h.signer.Issue(subject, role, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return eventsv1.NewEventsServiceClient(testkit.Dial(t, h.addr, tok))
}

// settle waits until every queued event is published, then a little longer
// (more relay rounds), so that counting published events is final.
func settle(t *testing.T, h *harness) {
	t.Helper()
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		n, err := h.db.Collection("assemblies").CountDocuments(testkit.Context(t), bson.D{{Key: "outbox_pending", Value: true}})
		return err == nil && n == 0, err
	})
	time.Sleep(1200 * time.Millisecond)
}

func responded(t *testing.T, h *harness, assemblyID string, n int) []*eventsv1.AssemblyInviteeResponded {
	t.Helper()
	return published(t, h, "events.assembly.invitee_responded", n,
		func(e *eventsv1.AssemblyInviteeResponded) bool { return e.GetAssemblyId() == assemblyID },
		func() *eventsv1.AssemblyInviteeResponded { return &eventsv1.AssemblyInviteeResponded{} })
}

func titles(list []*eventsv1.Assembly) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.GetTitle()
	}
	return out
}

// TestSearchAssemblies: coordinators see every assembly (closed, past,
// cancelled) by period, kind and status, page by page in each period's
// order; the public calendar stays as it was, for every caller.
func TestSearchAssemblies(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	now := time.Now().UTC().Truncate(time.Second)
	schedule := func(r *eventsv1.ScheduleAssemblyRequest) *eventsv1.Assembly {
		t.Helper()
		resp, err := h.coordinator.ScheduleAssembly(ctx, r)
		if err != nil {
			t.Fatalf("schedule %q: %v", r.GetTitle(), err)
		}
		return resp.GetAssembly()
	}
	board := meeting("Closed board", now.Add(48*time.Hour), "Europe/Amsterdam", false)
	board.Kind = eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD
	schedule(board)
	schedule(meeting("Public soon", now.Add(24*time.Hour), "Europe/Madrid", true))
	schedule(meeting("Past public", now.Add(-72*time.Hour), "Europe/Madrid", true))
	schedule(meeting("Past closed", now.Add(-24*time.Hour), "Europe/Madrid", false))
	called := schedule(meeting("Called off", now.Add(96*time.Hour), "Europe/Madrid", false))
	if _, err := h.coordinator.CancelAssembly(ctx, &eventsv1.CancelAssemblyRequest{AssemblyId: called.GetId(), Reason: "No quorum"}); err != nil {
		t.Fatal(err)
	}

	search := func(r *eventsv1.SearchAssembliesRequest) []string {
		t.Helper()
		var out []string
		for range 10 {
			resp, err := h.coordinator.SearchAssemblies(ctx, r)
			if err != nil {
				t.Fatalf("search %v: %v", r, err)
			}
			out = append(out, titles(resp.GetAssemblies())...)
			if resp.GetNextPageToken() == "" {
				return out
			}
			r.PageToken = resp.GetNextPageToken()
		}
		t.Fatal("paging does not end")
		return nil
	}
	for _, c := range []struct {
		name string
		req  *eventsv1.SearchAssembliesRequest
		want []string
	}{
		{"upcoming by default", &eventsv1.SearchAssembliesRequest{}, []string{"Public soon", "Closed board", "Called off"}},
		{"past, latest first, a page each", &eventsv1.SearchAssembliesRequest{Period: eventsv1.Period_PERIOD_PAST, PageSize: 1},
			[]string{"Past closed", "Past public"}},
		{"all, earliest first", &eventsv1.SearchAssembliesRequest{Period: eventsv1.Period_PERIOD_ALL, PageSize: 2},
			[]string{"Past public", "Past closed", "Public soon", "Closed board", "Called off"}},
		{"kind", &eventsv1.SearchAssembliesRequest{Period: eventsv1.Period_PERIOD_ALL, Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD},
			[]string{"Closed board"}},
		{"cancelled", &eventsv1.SearchAssembliesRequest{Period: eventsv1.Period_PERIOD_ALL, Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED},
			[]string{"Called off"}},
		{"scheduled upcoming", &eventsv1.SearchAssembliesRequest{Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED, PageSize: 1},
			[]string{"Public soon", "Closed board"}},
	} {
		if got := search(c.req); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	// The public calendar: public and not ended, whoever asks.
	for _, c := range []eventsv1.EventsServiceClient{h.anonymous, h.coordinator, h.as(optionsv1.Role_ROLE_REPRESENTATIVE)} {
		resp, err := c.ListAssemblies(ctx, &eventsv1.ListAssembliesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(resp.GetAssemblies()); !slices.Equal(got, []string{"Public soon"}) {
			t.Errorf("public calendar: %v", got)
		}
	}

	// Nobody else searches; bad filters and foreign page tokens are refused.
	_, err := h.anonymous.SearchAssemblies(ctx, &eventsv1.SearchAssembliesRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.as(optionsv1.Role_ROLE_REPRESENTATIVE).SearchAssemblies(ctx, &eventsv1.SearchAssembliesRequest{})
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = h.coordinator.SearchAssemblies(ctx, &eventsv1.SearchAssembliesRequest{Period: 9, PageSize: 201})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"period", "page_size"}) {
		t.Errorf("violations %v", f)
	}
	first, err := h.coordinator.SearchAssemblies(ctx, &eventsv1.SearchAssembliesRequest{Period: eventsv1.Period_PERIOD_PAST, PageSize: 1})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first past page: %v %v", first, err)
	}
	_, err = h.coordinator.SearchAssemblies(ctx, &eventsv1.SearchAssembliesRequest{Period: eventsv1.Period_PERIOD_ALL, PageToken: first.GetNextPageToken()})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"page_token"}) {
		t.Errorf("another period's token: %v", f)
	}
}

// TestMyInvitations: a representative sees the assemblies they are
// invited to (through a body or by name with their id), upcoming and
// recently ended, with their own times and answer, and nobody else's.
func TestMyInvitations(t *testing.T) {
	t.Parallel()
	h := startWithReps(t)
	ctx := testkit.Context(t)
	now := time.Now().UTC().Truncate(time.Second)
	schedule := func(title string, start time.Time, bodies []string, people ...*eventsv1.Person) string {
		t.Helper()
		r := meeting(title, start, "Europe/Amsterdam", false)
		r.BodyIds, r.People = bodies, people
		resp, err := h.coordinator.ScheduleAssembly(ctx, r)
		if err != nil {
			t.Fatalf("schedule %q: %v", title, err)
		}
		return resp.GetAssembly().GetId()
	}
	cai := &eventsv1.Person{Name: "Cai", Email: "cai@example.org", TimeZone: "Asia/Tokyo", RepresentativeId: repCaiID}
	guest := person("Guest", "guest@example.org", "Europe/Lisbon")
	board := schedule("Board", now.Add(72*time.Hour), []string{boardBody}, guest)
	schedule("Cai only", now.Add(48*time.Hour), nil, cai)
	schedule("Board last week", now.Add(-7*24*time.Hour), []string{boardBody})
	schedule("Board long ago", now.Add(-60*24*time.Hour), []string{boardBody})
	// Ana named by email only: she is known by her id through the body.
	both := schedule("Board and Ana", now.Add(24*time.Hour), []string{boardBody}, person("Ana named", "ANA@example.org", "Europe/Lisbon"))

	list := func(c eventsv1.EventsServiceClient) []*eventsv1.MyInvitation {
		t.Helper()
		resp, err := c.ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetInvitations()
	}
	ana := h.rep(t, repAnaID, optionsv1.Role_ROLE_REPRESENTATIVE)
	mine := list(ana)
	var got []string
	for _, inv := range mine {
		got = append(got, inv.GetAssembly().GetTitle())
	}
	if !slices.Equal(got, []string{"Board last week", "Board and Ana", "Board"}) {
		t.Fatalf("Ana's invitations: %v", got)
	}
	last, named, upcoming := mine[0], mine[1], mine[2]
	if last.GetTakesAnswers() || !upcoming.GetTakesAnswers() || upcoming.GetResponse() != eventsv1.Response_RESPONSE_NEEDS_ACTION ||
		upcoming.GetBodyId() != boardBody || upcoming.GetAssembly().GetId() != board || upcoming.GetAssembly().GetPublic() {
		t.Errorf("invitations %v", mine)
	}
	// Her times are in her own zone (São Paulo, UTC-3 all year).
	if tz := upcoming.GetTimes().GetStarts(); tz.GetTimeZone() != "America/Sao_Paulo" || tz.GetUtcOffset() != "-03:00" ||
		tz.GetLocal() != now.Add(72*time.Hour).In(zone(t, "America/Sao_Paulo")).Format("2006-01-02T15:04:05") {
		t.Errorf("times %v", upcoming.GetTimes())
	}
	// Named by email, she keeps the details given for her and is still found.
	if named.GetAssembly().GetId() != both || named.GetBodyId() != "" || named.GetTimes().GetStarts().GetTimeZone() != "Europe/Lisbon" {
		t.Errorf("named invitation %v", named)
	}
	if got := list(h.rep(t, repCaiID, optionsv1.Role_ROLE_REPRESENTATIVE)); len(got) != 1 || got[0].GetAssembly().GetTitle() != "Cai only" ||
		got[0].GetTimes().GetStarts().GetTimeZone() != "Asia/Tokyo" {
		t.Errorf("Cai's invitations %v", got)
	}
	if got := list(h.rep(t, "0190e000-0000-7000-8000-0000000000ff", optionsv1.Role_ROLE_REPRESENTATIVE)); len(got) != 0 {
		t.Errorf("a representative invited nowhere sees %v", got)
	}
	// A page at a time.
	page, err := ana.ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{PageSize: 2})
	if err != nil || len(page.GetInvitations()) != 2 || page.GetNextPageToken() == "" {
		t.Fatalf("first page %v %v", page, err)
	}
	page, err = ana.ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{PageSize: 2, PageToken: page.GetNextPageToken()})
	if err != nil || len(page.GetInvitations()) != 1 || page.GetInvitations()[0].GetAssembly().GetTitle() != "Board" || page.GetNextPageToken() != "" {
		t.Fatalf("second page %v %v", page, err)
	}

	// Only representatives, identified by their id, have invitations.
	_, err = h.anonymous.ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.coordinator.ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{})
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = h.rep(t, "ana@example.org", optionsv1.Role_ROLE_REPRESENTATIVE).ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{})
	testkit.WantCode(t, err, codes.PermissionDenied)
}

// TestRespondAsInvitee: a representative answers their own invitation
// under the RSVP link's rules, publishing the same event once per changed
// answer; nobody answers for someone else.
func TestRespondAsInvitee(t *testing.T) {
	t.Parallel()
	h := startWithReps(t)
	ctx := testkit.Context(t)
	now := time.Now().UTC().Truncate(time.Second)
	schedule := func(r *eventsv1.ScheduleAssemblyRequest) string {
		t.Helper()
		resp, err := h.coordinator.ScheduleAssembly(ctx, r)
		if err != nil {
			t.Fatalf("schedule %q: %v", r.GetTitle(), err)
		}
		return resp.GetAssembly().GetId()
	}
	boardReq := func(title string) *eventsv1.ScheduleAssemblyRequest {
		r := meeting(title, now.Add(72*time.Hour), "Europe/Amsterdam", false)
		r.BodyIds = []string{boardBody}
		return r
	}
	board := schedule(boardReq("Board"))
	caiOnly := meeting("Cai only", now.Add(48*time.Hour), "Europe/Amsterdam", false)
	caiOnly.People = []*eventsv1.Person{{Name: "Cai", Email: "cai@example.org", RepresentativeId: repCaiID}}
	cais := schedule(caiOnly)
	small := boardReq("One place")
	small.Capacity = 1
	one := schedule(small)
	late := boardReq("Deadline passed")
	late.RsvpDeadline = timestamppb.New(now.Add(-time.Minute))
	closed := schedule(late)
	called := schedule(boardReq("Called off"))
	if _, err := h.coordinator.CancelAssembly(ctx, &eventsv1.CancelAssemblyRequest{AssemblyId: called}); err != nil {
		t.Fatal(err)
	}

	ana := h.rep(t, repAnaID, optionsv1.Role_ROLE_REPRESENTATIVE)
	ben := h.rep(t, repBenID, optionsv1.Role_ROLE_REPRESENTATIVE)
	respond := func(c eventsv1.EventsServiceClient, id string, r eventsv1.Response) (*eventsv1.MyInvitation, error) {
		resp, err := c.RespondAsInvitee(ctx, &eventsv1.RespondAsInviteeRequest{AssemblyId: id, Response: r})
		return resp.GetInvitation(), err
	}
	answers := func(id string) map[string]eventsv1.Response {
		t.Helper()
		att, err := h.coordinator.GetAttendance(ctx, &eventsv1.GetAttendanceRequest{AssemblyId: id})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]eventsv1.Response{}
		for _, p := range att.GetAttendees() {
			out[p.GetEmail()] = p.GetResponse()
			if p.GetEmail() == "ana@example.org" && p.GetRepresentativeId() != repAnaID {
				t.Errorf("attendee %v lacks her representative id", p)
			}
		}
		return out
	}

	inv, err := respond(ana, board, eventsv1.Response_RESPONSE_ACCEPTED)
	if err != nil {
		t.Fatal(err)
	}
	if inv.GetResponse() != eventsv1.Response_RESPONSE_ACCEPTED || inv.GetRespondedAt() == nil || !inv.GetTakesAnswers() ||
		inv.GetAssembly().GetId() != board || inv.GetTimes().GetStarts().GetTimeZone() != "America/Sao_Paulo" {
		t.Errorf("answer %v", inv)
	}
	if got := answers(board); got["ana@example.org"] != eventsv1.Response_RESPONSE_ACCEPTED || got["ben@example.org"] != eventsv1.Response_RESPONSE_NEEDS_ACTION {
		t.Errorf("attendance %v", got)
	}
	// The same answer again is accepted and changes nothing.
	if _, err := respond(ana, board, eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatalf("answering again: %v", err)
	}

	// Nobody answers for someone else: Ben is not invited to Cai's
	// assembly, whose existence he does not learn either.
	_, err = respond(ben, cais, eventsv1.Response_RESPONSE_DECLINED)
	st := testkit.WantCode(t, err, codes.NotFound)
	_, err = respond(ben, "0190e000-0000-7000-8000-0000000000ee", eventsv1.Response_RESPONSE_DECLINED)
	if st2 := testkit.WantCode(t, err, codes.NotFound); st2.Message() != st.Message() {
		t.Errorf("an assembly that exists answers %q, one that does not %q", st.Message(), st2.Message())
	}
	if got := answers(cais); got["cai@example.org"] != eventsv1.Response_RESPONSE_NEEDS_ACTION || len(got) != 1 {
		t.Errorf("Cai's assembly after Ben's attempt: %v", got)
	}
	if _, err := respond(h.rep(t, repCaiID, optionsv1.Role_ROLE_REPRESENTATIVE), cais, eventsv1.Response_RESPONSE_TENTATIVE); err != nil {
		t.Fatalf("Cai, invited by name with his id: %v", err)
	}
	// Other roles and subjects answer for nobody.
	_, err = respond(h.coordinator, board, eventsv1.Response_RESPONSE_DECLINED)
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = respond(h.anonymous, board, eventsv1.Response_RESPONSE_DECLINED)
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = respond(h.rep(t, "ben@example.org", optionsv1.Role_ROLE_REPRESENTATIVE), board, eventsv1.Response_RESPONSE_DECLINED)
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = respond(ben, board, eventsv1.Response_RESPONSE_NEEDS_ACTION)
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"response"}) {
		t.Errorf("violations %v", f)
	}
	_, err = respond(ben, "not-an-id", eventsv1.Response_RESPONSE_ACCEPTED)
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"assembly_id"}) {
		t.Errorf("violations %v", f)
	}

	// The RSVP link's rules: capacity, deadline, cancellation.
	if _, err := respond(ben, one, eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatal(err)
	}
	_, err = respond(ana, one, eventsv1.Response_RESPONSE_ACCEPTED)
	testkit.WantCode(t, err, codes.FailedPrecondition)
	_, err = respond(ana, closed, eventsv1.Response_RESPONSE_ACCEPTED)
	testkit.WantCode(t, err, codes.FailedPrecondition)
	_, err = respond(ana, called, eventsv1.Response_RESPONSE_ACCEPTED)
	if st := testkit.WantCode(t, err, codes.FailedPrecondition); st.Message() != status.New(codes.FailedPrecondition, "the assembly is cancelled").Message() {
		t.Errorf("cancelled: %q", st.Message())
	}
	if got := answers(one); got["ana@example.org"] != eventsv1.Response_RESPONSE_NEEDS_ACTION {
		t.Errorf("a refused answer was recorded: %v", got)
	}

	// Ana changes her mind: one event per changed answer, none for the repeat.
	if _, err := respond(ana, board, eventsv1.Response_RESPONSE_DECLINED); err != nil {
		t.Fatal(err)
	}
	settle(t, h.harness)
	evs := responded(t, h.harness, board, 2)
	first, second := evs[0], evs[1]
	if first.GetRepresentativeId() != repAnaID || first.GetEmail() != "ana@example.org" || first.GetBodyId() != boardBody ||
		first.GetResponse() != eventsv1.Response_RESPONSE_ACCEPTED || first.GetPreviousResponse() != eventsv1.Response_RESPONSE_NEEDS_ACTION ||
		first.GetChannel() != eventsv1.AnswerChannel_ANSWER_CHANNEL_SIGNED_IN || first.GetRespondedAt() == nil {
		t.Errorf("first event %v", first)
	}
	if second.GetResponse() != eventsv1.Response_RESPONSE_DECLINED || second.GetPreviousResponse() != eventsv1.Response_RESPONSE_ACCEPTED {
		t.Errorf("second event %v", second)
	}
	responded(t, h.harness, cais, 1)
	responded(t, h.harness, closed, 0)
	responded(t, h.harness, called, 0)
}

// TestRSVPLinkPublishesTheAnswer: the emailed link's answer publishes the
// same event, once however often it is given.
func TestRSVPLinkPublishesTheAnswer(t *testing.T) {
	t.Parallel()
	h := startWithReps(t)
	ctx := testkit.Context(t)
	r := meeting("Board", time.Now().Add(72*time.Hour), "Europe/Amsterdam", false)
	r.BodyIds = []string{boardBody}
	resp, err := h.coordinator.ScheduleAssembly(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()
	tok := tokens(t, h.harness, id)["ben@example.org"]
	for range 3 {
		if _, err := h.anonymous.RespondToInvitation(ctx, &eventsv1.RespondToInvitationRequest{AssemblyId: id, Token: tok,
			Response: eventsv1.Response_RESPONSE_TENTATIVE}); err != nil {
			t.Fatal(err)
		}
	}
	settle(t, h.harness)
	ev := responded(t, h.harness, id, 1)[0]
	if ev.GetRepresentativeId() != repBenID || ev.GetChannel() != eventsv1.AnswerChannel_ANSWER_CHANNEL_RSVP_LINK ||
		ev.GetResponse() != eventsv1.Response_RESPONSE_TENTATIVE {
		t.Errorf("event %v", ev)
	}
	// The answer is Ben's own, whichever way he looks.
	mine, err := h.rep(t, repBenID, optionsv1.Role_ROLE_REPRESENTATIVE).ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{})
	if err != nil || len(mine.GetInvitations()) != 1 || mine.GetInvitations()[0].GetResponse() != eventsv1.Response_RESPONSE_TENTATIVE {
		t.Errorf("Ben's invitations %v %v", mine, err)
	}
}
