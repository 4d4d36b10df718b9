package console_test

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// The stand-in's side of SearchAssemblies and of a representative's
// invitations (the events service's own rules are its component tests').

// logCall records a read without consuming failNext.
func (f *fakeEvents) logCall(m proto.Message) {
	f.mu.Lock()
	f.calls = append(f.calls, proto.Clone(m))
	f.mu.Unlock()
}

// SearchAssemblies selects by period (at the console's clock), kind and
// status, in the events service's orders.
func (f *fakeEvents) SearchAssemblies(_ context.Context, req *eventsv1.SearchAssembliesRequest) (*eventsv1.SearchAssembliesResponse, error) {
	f.logCall(req)
	now := f.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := &eventsv1.SearchAssembliesResponse{}
	for _, a := range f.assemblies {
		over := !a.GetEndsAt().AsTime().After(now)
		switch {
		case req.GetPeriod() == eventsv1.Period_PERIOD_PAST && !over,
			(req.GetPeriod() == eventsv1.Period_PERIOD_UPCOMING || req.GetPeriod() == eventsv1.Period_PERIOD_UNSPECIFIED) && over,
			req.GetKind() != eventsv1.AssemblyKind_ASSEMBLY_KIND_UNSPECIFIED && a.GetKind() != req.GetKind(),
			req.GetStatus() != eventsv1.AssemblyStatus_ASSEMBLY_STATUS_UNSPECIFIED && a.GetStatus() != req.GetStatus():
			continue
		}
		resp.Assemblies = append(resp.Assemblies, proto.Clone(a).(*eventsv1.Assembly))
	}
	slices.SortFunc(resp.Assemblies, func(a, b *eventsv1.Assembly) int {
		c := a.GetStartsAt().AsTime().Compare(b.GetStartsAt().AsTime())
		if req.GetPeriod() == eventsv1.Period_PERIOD_PAST {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.GetId(), b.GetId()))
	})
	return resp, nil
}

// caller is the representative id the console's token names (its subject).
func caller(ctx context.Context) string {
	if c, ok := auth.FromContext(ctx); ok && c.Role == optionsv1.Role_ROLE_REPRESENTATIVE {
		return c.Subject
	}
	return ""
}

func (f *fakeEvents) ListMyInvitations(ctx context.Context, req *eventsv1.ListMyInvitationsRequest) (*eventsv1.ListMyInvitationsResponse, error) {
	f.logCall(req)
	if caller(ctx) == "" {
		return nil, status.Error(codes.PermissionDenied, "only a representative has invitations of their own")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := &eventsv1.ListMyInvitationsResponse{}
	if caller(ctx) != iaraID {
		return resp, nil
	}
	for _, inv := range f.mine {
		resp.Invitations = append(resp.Invitations, proto.Clone(inv).(*eventsv1.MyInvitation))
	}
	slices.SortFunc(resp.Invitations, func(a, b *eventsv1.MyInvitation) int {
		return a.GetAssembly().GetStartsAt().AsTime().Compare(b.GetAssembly().GetStartsAt().AsTime())
	})
	return resp, nil
}

func (f *fakeEvents) RespondAsInvitee(ctx context.Context, req *eventsv1.RespondAsInviteeRequest) (*eventsv1.RespondAsInviteeResponse, error) {
	if err := f.record(req); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	inv, ok := f.mine[req.GetAssemblyId()]
	if !ok || caller(ctx) != iaraID {
		return nil, status.Error(codes.NotFound, "invitation not found")
	}
	if !inv.GetTakesAnswers() {
		return nil, status.Error(codes.FailedPrecondition, "this invitation no longer takes answers (the RSVP deadline passed or the assembly is over)")
	}
	inv.Response, inv.RespondedAt = req.GetResponse(), timestamppb.New(f.now())
	return &eventsv1.RespondAsInviteeResponse{Invitation: proto.Clone(inv).(*eventsv1.MyInvitation)}, nil
}

// iaraInvitation is Iara's invitation to a: her times in Maceió (UTC-3).
func iaraInvitation(a *eventsv1.Assembly) *eventsv1.MyInvitation {
	local := func(t *timestamppb.Timestamp) *eventsv1.LocalTime {
		return &eventsv1.LocalTime{Local: t.AsTime().Add(-3 * time.Hour).Format("2006-01-02T15:04:05"), TimeZone: "America/Maceio",
			UtcOffset: "-03:00", Abbreviation: "-03"}
	}
	return &eventsv1.MyInvitation{Assembly: a, Response: eventsv1.Response_RESPONSE_NEEDS_ACTION, BodyId: boardID, TakesAnswers: true,
		Times: &eventsv1.InviteeTimes{Name: "Iara Exemplo", Email: "iara@example.org", Starts: local(a.GetStartsAt()), Ends: local(a.GetEndsAt())}}
}

func (e *asmEnv) representative() *browser {
	b := e.browser()
	b.signIn(repEmail)
	return b
}

// TestAssembliesListSearchesEverything: the list asks the events service
// for every assembly (closed, past, cancelled) with the chosen filters,
// and no longer apologises for showing public ones only.
func TestAssembliesListSearchesEverything(t *testing.T) {
	e := newAsmEnv(t, winter)
	closed := scheduled(asmID) // not public
	e.events.put(closed)
	past := scheduled(otherAsmID)
	past.Title, past.Public = "January board meeting", true
	past.StartsAt, past.EndsAt = timestamppb.New(winter.AddDate(0, -1, 0)), timestamppb.New(winter.AddDate(0, -1, 0).Add(time.Hour))
	past.Minutes = &eventsv1.Minutes{Text: "We met.", PublishedAt: timestamppb.New(winter.AddDate(0, 0, -20))}
	e.events.put(past)
	b := e.coordinator()

	list := b.get("/console/assemblies")
	mustContain(t, list, ">Leadership Board meeting</a> <span class=\"meta\">(closed)</span>")
	if strings.Contains(list.body, "It does not list closed meetings") || strings.Contains(list.body, "January board meeting") {
		t.Errorf("upcoming list:\n%s", list.body)
	}
	pastList := b.get("/console/assemblies?when=past&kind=ASSEMBLY_KIND_LEADERSHIP_BOARD&state=minutes")
	mustContain(t, pastList, "January board meeting", "Minutes published")
	if strings.Contains(pastList.body, ">Leadership Board meeting</a>") {
		t.Error("an upcoming assembly is listed as past")
	}
	if r := b.get("/console/assemblies?when=past&state=ended"); strings.Contains(r.body, "January board meeting") {
		t.Error("an assembly with minutes is listed as ended without them")
	}
	b.get("/console/assemblies?when=all&state=cancelled")
	reqs := requests[*eventsv1.SearchAssembliesRequest](e.events)
	want := []*eventsv1.SearchAssembliesRequest{
		{Period: eventsv1.Period_PERIOD_UPCOMING, PageSize: 200},
		{Period: eventsv1.Period_PERIOD_PAST, Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD, Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED, PageSize: 200},
		{Period: eventsv1.Period_PERIOD_PAST, Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED, PageSize: 200},
		{Period: eventsv1.Period_PERIOD_ALL, Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED, PageSize: 200},
	}
	if len(reqs) != len(want) {
		t.Fatalf("searches %v", reqs)
	}
	for i := range want {
		if !proto.Equal(reqs[i], want[i]) {
			t.Errorf("search %d: %v, want %v", i, reqs[i], want[i])
		}
	}
}

// TestInvitationsPage: a representative sees their invitations with
// their own and the planning zone's times, answers one with a button
// (the form's token checked first), and is told why an answer is refused.
func TestInvitationsPage(t *testing.T) {
	e := newAsmEnv(t, winter)
	board := scheduled(asmID)
	board.OnlineUrl = "https://meet.example.org/board"
	board.RsvpDeadline = timestamppb.New(time.Date(2027, 3, 1, 11, 0, 0, 0, time.UTC))
	e.events.mine[asmID] = iaraInvitation(board)
	over := scheduled(otherAsmID)
	over.Title, over.Public = "January working group", true
	over.StartsAt, over.EndsAt = timestamppb.New(winter.AddDate(0, 0, -10)), timestamppb.New(winter.AddDate(0, 0, -10).Add(time.Hour))
	old := iaraInvitation(over)
	old.TakesAnswers, old.Response, old.RespondedAt = false, eventsv1.Response_RESPONSE_DECLINED, timestamppb.New(winter.AddDate(0, 0, -12))
	e.events.mine[otherAsmID] = old
	b := e.representative()

	page := b.get("/console/invitations")
	if page.code != http.StatusOK {
		t.Fatalf("invitations: HTTP %d\n%s", page.code, page.body)
	}
	mustContain(t, page, `aria-current="page">Your invitations`, "<h2 id=\"upcoming-heading\">Coming up</h2>",
		"Leadership Board meeting · Leadership Board · closed meeting",
		"Your time (America/Maceio)", "Tue 2 Mar 2027, 11:00–12:30 -03",
		"Planned in Europe/Amsterdam", "Tue 2 Mar 2027, 15:00–16:30 CET",
		"Answers until", "Mon 1 Mar 2027, 08:00 -03", `href="https://meet.example.org/board"`,
		"No answer yet", `action="/console/invitations/`+asmID+`/respond"`, `value="accepted">Accept`, `value="declined" class="secondary">Decline`,
		"Ended in the last 30 days", "January working group", "Declined")
	if strings.Count(page.body, `/respond"`) != 1 {
		t.Error("an invitation that takes no answers has answer buttons")
	}

	// A button answers; the page then says so.
	csrf := b.csrf("/console/invitations")
	r := b.post("/console/invitations/"+asmID+"/respond", url.Values{"csrf": {csrf}, "response": {"accepted"}})
	if r.code != http.StatusSeeOther || r.location != "/console/invitations#invitation-"+asmID {
		t.Fatalf("accept: HTTP %d to %q\n%s", r.code, r.location, r.body)
	}
	after := b.get("/console/invitations")
	mustContain(t, after, "Your answer to “Leadership Board meeting” is recorded: accepted.", `value="tentative" class="secondary">Maybe`)
	if strings.Contains(after.body, `value="accepted">Accept`) {
		t.Error("the answer given is still offered")
	}
	sent := requests[*eventsv1.RespondAsInviteeRequest](e.events)
	if len(sent) != 1 || sent[0].GetAssemblyId() != asmID || sent[0].GetResponse() != eventsv1.Response_RESPONSE_ACCEPTED {
		t.Fatalf("RespondAsInvitee calls %v", sent)
	}

	// Refused before any call: no form token, an unknown answer, a bad id.
	if r := b.post("/console/invitations/"+asmID+"/respond", url.Values{"response": {"declined"}}); r.code != http.StatusForbidden {
		t.Errorf("without the form token: HTTP %d", r.code)
	}
	if r := b.post("/console/invitations/"+asmID+"/respond", url.Values{"csrf": {csrf}, "response": {"needs_action"}}); r.code != http.StatusBadRequest ||
		!strings.Contains(r.body, "Choose whether you accept") {
		t.Errorf("unknown answer: HTTP %d\n%s", r.code, r.body)
	}
	if r := b.post("/console/invitations/not-an-id/respond", url.Values{"csrf": {csrf}, "response": {"declined"}}); r.code != http.StatusNotFound {
		t.Errorf("bad id: HTTP %d", r.code)
	}
	if n := len(requests[*eventsv1.RespondAsInviteeRequest](e.events)); n != 1 {
		t.Fatalf("%d RespondAsInvitee calls after refused forms, want 1", n)
	}
	// Refused by the events service: the rules, or not one's invitation.
	e.events.failNext(status.Error(codes.FailedPrecondition, "all places are taken"))
	if r := b.post("/console/invitations/"+asmID+"/respond", url.Values{"csrf": {csrf}, "response": {"tentative"}}); r.code != http.StatusConflict ||
		!strings.Contains(r.body, "All places are taken.") || !strings.Contains(r.body, "Leadership Board meeting") {
		t.Errorf("full: HTTP %d\n%s", r.code, r.body)
	}
	if r := b.post("/console/invitations/"+otherAsmID+"/respond", url.Values{"csrf": {csrf}, "response": {"accepted"}}); r.code != http.StatusConflict ||
		!strings.Contains(r.body, "no longer takes answers") {
		t.Errorf("ended: HTTP %d\n%s", r.code, r.body)
	}
	if r := b.post("/console/invitations/0190c000-0000-7000-8000-0000000000ff/respond", url.Values{"csrf": {csrf}, "response": {"accepted"}}); r.code != http.StatusNotFound {
		t.Errorf("someone else's: HTTP %d", r.code)
	}

	// "Your details" and the dashboard lead here.
	mustContain(t, b.get("/console/me"), `<a href="/console/invitations">your invitations</a>`)
	mustContain(t, b.get("/console/"), `<a href="/console/invitations">See and answer your invitations`)

	// Coordinators have no invitations.
	c := e.coordinator()
	if r := c.get("/console/invitations"); r.code != http.StatusNotFound {
		t.Errorf("coordinator: HTTP %d", r.code)
	}
	if r := c.post("/console/invitations/"+asmID+"/respond", url.Values{"csrf": {c.csrf("/console/")}, "response": {"accepted"}}); r.code != http.StatusForbidden {
		t.Errorf("coordinator answering: HTTP %d", r.code)
	}
}
