package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// winter is the tests' clock: before the assemblies they schedule, in
// Central European (winter) time.
var winter = time.Date(2027, time.February, 20, 12, 0, 0, 0, time.UTC)

// scheduleForm is a complete, valid schedule form: the Leadership Board
// and Iara by name, on Tuesday 2 March 2027 15:00–16:30 in Amsterdam.
func scheduleForm(csrf string) url.Values {
	return url.Values{
		"csrf": {csrf}, "action": {"schedule"}, "kind": {"ASSEMBLY_KIND_LEADERSHIP_BOARD"}, "title": {"Leadership Board meeting"},
		"description": {"Progress against the annual strategy."}, "agenda": {"Welcome\nBudget for 2028 (30 min)\n"},
		"start_date": {"2027-03-02"}, "start_time": {"15:00"}, "duration": {"1h30m"}, "time_zone": {"Europe/Amsterdam"},
		"host_city": {"Amsterdam"}, "venue": {"City Hall"}, "online_url": {"https://meet.example.org/board"},
		"capacity": {"20"}, "rsvp_date": {"2027-03-01"}, "rsvp_time": {"12:00"}, "public": {"on"},
		"bodies": {boardID}, "people": {iaraID},
	}
}

func (e *asmEnv) coordinator() *browser {
	b := e.browser()
	b.signIn(coordEmail)
	return b
}

func mustContain(t *testing.T, r response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(r.body, w) {
			t.Errorf("page lacks %q (HTTP %d)", w, r.code)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", r.body)
	}
}

func TestScheduleAssembly(t *testing.T) {
	e := newAsmEnv(t, winter)
	b := e.coordinator()

	form := b.get("/console/assemblies/new")
	if form.code != http.StatusOK {
		t.Fatalf("schedule form: HTTP %d\n%s", form.code, form.body)
	}
	mustContain(t, form, "Leadership Board", "Anouk Voorbeeld", `<option value="America/Maceio"`, `type="time"`,
		`<label for="schedule-start_date">`, `aria-current="page">Assemblies`)

	r := b.post("/console/assemblies/new", scheduleForm(b.csrf("/console/assemblies/new")))
	if r.code != http.StatusSeeOther || r.location != "/console/assemblies/"+asmID {
		t.Fatalf("schedule: HTTP %d to %q\n%s", r.code, r.location, r.body)
	}
	reqs := requests[*eventsv1.ScheduleAssemblyRequest](e.events)
	if len(reqs) != 1 {
		t.Fatalf("%d ScheduleAssembly calls, want 1", len(reqs))
	}
	got := reqs[0]
	// 15:00 in Amsterdam in March 2027 is CET (UTC+1): 14:00 UTC.
	if s, en := got.GetStartsAt().AsTime(), got.GetEndsAt().AsTime(); !s.Equal(time.Date(2027, 3, 2, 14, 0, 0, 0, time.UTC)) || en.Sub(s) != 90*time.Minute {
		t.Errorf("times sent: %v – %v, want 14:00–15:30 UTC", s, en)
	}
	if d := got.GetRsvpDeadline().AsTime(); !d.Equal(time.Date(2027, 3, 1, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("RSVP deadline sent: %v, want 11:00 UTC (12:00 in Amsterdam)", d)
	}
	if got.GetTimeZone() != "Europe/Amsterdam" || got.GetKind() != eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD || !got.GetPublic() ||
		got.GetCapacity() != 20 || got.GetPlace().GetVenue() != "City Hall" || got.GetOnlineUrl() != "https://meet.example.org/board" {
		t.Errorf("request: %v", got)
	}
	if len(got.GetBodyIds()) != 1 || got.GetBodyIds()[0] != boardID {
		t.Errorf("bodies sent: %v", got.GetBodyIds())
	}
	if p := got.GetPeople(); len(p) != 1 || p[0].GetEmail() != "iara@example.org" || p[0].GetTimeZone() != "America/Maceio" || p[0].GetLanguage() != "pt" || p[0].GetName() != "Iara Exemplo" {
		t.Errorf("people sent: %v", p)
	}
	if a := got.GetAgenda(); len(a) != 2 || a[0].GetTitle() != "Welcome" || a[1].GetTitle() != "Budget for 2028" || a[1].GetMinutes() != 30 {
		t.Errorf("agenda sent: %v", a)
	}

	page := b.get(r.location)
	if page.code != http.StatusOK {
		t.Fatalf("assembly page: HTTP %d\n%s", page.code, page.body)
	}
	mustContain(t, page, "Scheduled: Leadership Board meeting", "Invitations are on their way to 3 people",
		"Tue 2 Mar 2027, 15:00–16:30 CET (UTC&#43;01:00)", // planned, in its zone
		"Tue 2 Mar 2027, 11:00–12:30 -03",                 // Iara's, in hers
		"Quorum by body", "<strong>expected</strong>", "1 accepted", "Cancel the assembly", "/console/assemblies/"+asmID+"/reschedule")
}

func TestScheduleBadInputChangesNothing(t *testing.T) {
	e := newAsmEnv(t, winter)
	b := e.coordinator()
	csrf := b.csrf("/console/assemblies/new")
	for _, tc := range []struct {
		name   string
		change url.Values
		want   string
	}{
		{"no title", url.Values{"title": {""}}, "Enter a title."},
		{"no kind", url.Values{"kind": {""}}, "Choose the kind of assembly."},
		{"not a kind", url.Values{"kind": {"ASSEMBLY_KIND_PARTY"}}, "Choose the kind of assembly."},
		{"unknown zone", url.Values{"time_zone": {"Mars/Olympus_Mons"}}, "Choose a time zone from the list"},
		{"local zone", url.Values{"time_zone": {"Local"}}, "Choose a time zone from the list"},
		// The clocks in Amsterdam go from 02:00 to 03:00 on 28 March 2027.
		{"skipped time", url.Values{"start_date": {"2027-03-28"}, "start_time": {"02:30"}}, "02:30 on 2027-03-28 does not exist in Europe/Amsterdam"},
		{"not a date", url.Values{"start_date": {"2 March"}}, "Enter the start as a date and a time"},
		{"no start", url.Values{"start_date": {""}, "start_time": {""}}, "Enter the day it starts."},
		{"no length", url.Values{"duration": {""}}, "Choose how long it lasts, or give the end."},
		{"length and end", url.Values{"end_date": {"2027-03-02"}, "end_time": {"17:00"}}, "Give either a length or an end, not both."},
		{"end before start", url.Values{"duration": {""}, "end_date": {"2027-03-02"}, "end_time": {"14:00"}}, "The end must be after the start."},
		{"odd length", url.Values{"duration": {"17h"}}, "Choose a length from the list."},
		{"script link", url.Values{"online_url": {"javascript:alert(1)"}}, "web address starting with https://"},
		{"negative places", url.Values{"capacity": {"-1"}}, "whole number from 0 to 100"},
		{"unknown body", url.Values{"bodies": {"0190c000-0000-7000-8000-0000000000ff"}}, "Choose bodies from the list"},
		{"unknown person", url.Values{"people": {"not-an-id"}}, "Choose people from the list"},
		{"half a deadline", url.Values{"rsvp_time": {""}}, "Enter the time of the RSVP deadline too."},
		{"long agenda item", url.Values{"agenda": {strings.Repeat("x", 301)}}, "Each agenda item is at most 300 characters."},
		{"long field", url.Values{"venue": {strings.Repeat("v", 20_001)}}, "This is too long."},
		{"no action", url.Values{"action": {""}}, "Choose what to do with the form"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := scheduleForm(csrf)
			for k, v := range tc.change {
				f[k] = v
			}
			r := b.post("/console/assemblies/new", f)
			if r.code != http.StatusBadRequest {
				t.Fatalf("HTTP %d, want 400\n%s", r.code, r.body)
			}
			mustContain(t, r, tc.want, `class="error-summary"`, "Leadership Board meeting")
		})
	}
	if n := len(requests[*eventsv1.ScheduleAssemblyRequest](e.events)); n != 0 {
		t.Fatalf("bad forms made %d ScheduleAssembly calls", n)
	}
}

// TestServiceViolationsLandOnTheirFields: what the events service refuses
// is shown on the field it concerns, and the form keeps what was entered.
func TestServiceViolationsLandOnTheirFields(t *testing.T) {
	e := newAsmEnv(t, winter)
	b := e.coordinator()
	st, _ := status.New(codes.InvalidArgument, "invalid request").WithDetails(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
		{Field: "rsvp_deadline", Description: "the RSVP deadline must be before the assembly ends"}}})
	e.events.failNext(st.Err())
	r := b.post("/console/assemblies/new", scheduleForm(b.csrf("/console/assemblies/new")))
	if r.code != http.StatusBadRequest {
		t.Fatalf("HTTP %d, want 400\n%s", r.code, r.body)
	}
	mustContain(t, r, `<a href="#schedule-rsvp_date">The RSVP deadline must be before the assembly ends.</a>`,
		`id="schedule-rsvp_date" name="rsvp_date" value="2027-03-01"`, `value="Leadership Board meeting"`)

	e.events.failNext(status.Error(codes.Unavailable, "membership service unavailable"))
	if r := b.post("/console/assemblies/new", scheduleForm(b.csrf("/console/assemblies/new"))); r.code != http.StatusServiceUnavailable {
		t.Fatalf("events unavailable: HTTP %d, want 503", r.code)
	}
}

var slotButton = regexp.MustCompile(`name="slot" value="([^"]+)"`)

func TestCheckAndSuggestChangeNothing(t *testing.T) {
	e := newAsmEnv(t, winter)
	b := e.coordinator()
	csrf := b.csrf("/console/assemblies/new")

	f := scheduleForm(csrf)
	f.Set("action", "check")
	f["people"] = []string{anoukID}
	r := b.post("/console/assemblies/new", f)
	if r.code != http.StatusOK {
		t.Fatalf("check: HTTP %d\n%s", r.code, r.body)
	}
	mustContain(t, r, "Found 1 overlap", "Anouk Voorbeeld (anouk@example.org)", `href="/console/assemblies/`+otherAsmID+`">Working group on urban AI`)
	chk := requests[*eventsv1.CheckConflictsRequest](e.events)
	if len(chk) != 1 || len(chk[0].GetEmails()) != 1 || chk[0].GetEmails()[0] != "anouk@example.org" || chk[0].GetBodyIds()[0] != boardID ||
		!chk[0].GetStartsAt().AsTime().Equal(time.Date(2027, 3, 2, 14, 0, 0, 0, time.UTC)) {
		t.Fatalf("CheckConflicts requests: %v", chk)
	}

	f = scheduleForm(csrf)
	f.Set("action", "check")
	delete(f, "bodies")
	delete(f, "people")
	if r := b.post("/console/assemblies/new", f); r.code != http.StatusBadRequest || !strings.Contains(r.body, "Choose whom to invite first") {
		t.Fatalf("check without invitees: HTTP %d\n%s", r.code, r.body)
	}

	f = scheduleForm(csrf)
	f.Set("action", "suggest")
	r = b.post("/console/assemblies/new", f)
	if r.code != http.StatusOK {
		t.Fatalf("suggest: HTTP %d\n%s", r.code, r.body)
	}
	mustContain(t, r, "Suggested times", "2 of 2 invitees inside working hours", "1 of 2 invitees inside working hours (outside: Iara Exemplo)")
	sug := requests[*eventsv1.SuggestSlotsRequest](e.events)
	if len(sug) != 1 {
		t.Fatalf("%d SuggestSlots calls", len(sug))
	}
	// The fortnight from the start day, midnight in Amsterdam.
	if ws := sug[0].GetWindowStart().AsTime(); !ws.Equal(time.Date(2027, 3, 1, 23, 0, 0, 0, time.UTC)) ||
		sug[0].GetWindowEnd().AsTime().Sub(ws) != 14*24*time.Hour || sug[0].GetDuration().AsDuration() != 90*time.Minute {
		t.Errorf("SuggestSlots window %v – %v, duration %v", ws, sug[0].GetWindowEnd().AsTime(), sug[0].GetDuration().AsDuration())
	}
	slots := slotButton.FindAllStringSubmatch(r.body, -1)
	if len(slots) != 2 {
		t.Fatalf("%d slot buttons, want 2", len(slots))
	}

	// One click on a suggestion fills the times in (13:00 UTC is 14:00 CET).
	f = scheduleForm(csrf)
	delete(f, "action")
	f.Set("slot", strings.ReplaceAll(slots[0][1], "&#43;", "+"))
	r = b.post("/console/assemblies/new", f)
	if r.code != http.StatusOK {
		t.Fatalf("use a suggestion: HTTP %d\n%s", r.code, r.body)
	}
	mustContain(t, r, `id="schedule-start_date" name="start_date" value="2027-03-02"`, `id="schedule-start_time" name="start_time" value="14:00"`,
		`<option value="1h30m" selected>`, "The times are filled in from the suggestion")

	if n := len(requests[*eventsv1.ScheduleAssemblyRequest](e.events)); n != 0 {
		t.Fatalf("checking and suggesting made %d ScheduleAssembly calls", n)
	}
}

func TestAssemblyScreensAreForCoordinators(t *testing.T) {
	e := newAsmEnv(t, winter)
	e.events.put(scheduled(asmID))
	rep := e.browser()
	rep.signIn(repEmail)
	for _, path := range []string{"/console/assemblies", "/console/assemblies/new", "/console/assemblies/" + asmID, "/console/assemblies/" + asmID + "/invitees"} {
		if r := rep.get(path); r.code != http.StatusForbidden {
			t.Errorf("representative GET %s: HTTP %d, want 403", path, r.code)
		}
	}
	csrf := rep.csrf("/console/me")
	for _, path := range []string{"/console/assemblies/new", "/console/assemblies/" + asmID + "/cancel", "/console/assemblies/" + asmID + "/invitees/add"} {
		f := scheduleForm(csrf)
		f.Set("reason", "because")
		if r := rep.post(path, f); r.code != http.StatusForbidden {
			t.Errorf("representative POST %s: HTTP %d, want 403", path, r.code)
		}
	}
	// Without the form's token nothing happens either.
	coord := e.coordinator()
	if r := coord.post("/console/assemblies/"+asmID+"/cancel", url.Values{"reason": {"no token"}}); r.code != http.StatusForbidden {
		t.Errorf("cancel without the synchroniser token: HTTP %d, want 403", r.code)
	}
	if n := len(requests[proto.Message](e.events)); n != 0 {
		t.Fatalf("refused requests made %d calls", n)
	}
	if r := coord.get("/console/assemblies/not-an-id"); r.code != http.StatusNotFound {
		t.Errorf("bad id: HTTP %d, want 404", r.code)
	}
	if r := coord.get("/console/assemblies/" + otherAsmID); r.code != http.StatusNotFound {
		t.Errorf("unknown assembly: HTTP %d, want 404", r.code)
	}
}

// scheduled is an assembly on Tuesday 2 March 2027, 15:00–16:30 in Amsterdam.
func scheduled(id string) *eventsv1.Assembly {
	return &eventsv1.Assembly{Id: id, Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD, Title: "Leadership Board meeting",
		StartsAt: timestamppb.New(time.Date(2027, 3, 2, 14, 0, 0, 0, time.UTC)), EndsAt: timestamppb.New(time.Date(2027, 3, 2, 15, 30, 0, 0, time.UTC)),
		TimeZone: "Europe/Amsterdam", Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED, BodyIds: []string{boardID}, InviteeCount: 2,
		Agenda: []*eventsv1.AgendaItem{{Title: "Welcome", Description: "kept: only the API shows it"}}, Uid: id + "@coalition"}
}

func TestCancelAssembly(t *testing.T) {
	e := newAsmEnv(t, winter)
	e.events.put(scheduled(asmID))
	b := e.coordinator()
	path := "/console/assemblies/" + asmID
	csrf := b.csrf(path)
	if r := b.post(path+"/cancel", url.Values{"csrf": {csrf}, "reason": {"  "}}); r.code != http.StatusBadRequest || !strings.Contains(r.body, "Enter the reason") {
		t.Fatalf("cancel without a reason: HTTP %d\n%s", r.code, r.body)
	}
	if n := len(requests[*eventsv1.CancelAssemblyRequest](e.events)); n != 0 {
		t.Fatalf("%d CancelAssembly calls without a reason", n)
	}
	r := b.post(path+"/cancel", url.Values{"csrf": {csrf}, "reason": {"The venue is closed."}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("cancel: HTTP %d\n%s", r.code, r.body)
	}
	if c := requests[*eventsv1.CancelAssemblyRequest](e.events); len(c) != 1 || c[0].GetReason() != "The venue is closed." {
		t.Fatalf("CancelAssembly requests: %v", c)
	}
	page := b.get(path)
	mustContain(t, page, "Cancelled: The venue is closed.", "Cancelled. The invitees are told")
	if strings.Contains(page.body, "Cancel the assembly") || strings.Contains(page.body, path+"/reschedule") {
		t.Error("a cancelled assembly still offers changes")
	}
	for _, p := range []string{path + "/edit", path + "/reschedule", path + "/invitees"} {
		if r := b.get(p); r.code != http.StatusConflict {
			t.Errorf("GET %s of a cancelled assembly: HTTP %d, want 409", p, r.code)
		}
	}
}

func TestRescheduleAssembly(t *testing.T) {
	e := newAsmEnv(t, winter)
	e.events.put(scheduled(asmID))
	b := e.coordinator()
	path := "/console/assemblies/" + asmID + "/reschedule"
	form := b.get(path)
	mustContain(t, form, `name="start_date" value="2027-03-02"`, `name="start_time" value="15:00"`, `<option value="1h30m" selected>`,
		`<option value="Europe/Amsterdam" selected>`)
	csrf := b.csrf(path)
	times := url.Values{"csrf": {csrf}, "time_zone": {"America/Maceio"}, "start_date": {"2027-03-03"}, "start_time": {"11:00"}, "duration": {"2h"}}

	times.Set("action", "check")
	if r := b.post(path, times); r.code != http.StatusOK || !strings.Contains(r.body, "Found 1 overlap") {
		t.Fatalf("check: HTTP %d\n%s", r.code, r.body)
	}
	chk := requests[*eventsv1.CheckConflictsRequest](e.events)
	if len(chk) != 1 || chk[0].GetExcludeAssemblyId() != asmID || len(chk[0].GetEmails()) != 2 {
		t.Fatalf("CheckConflicts: %v", chk)
	}

	times.Set("action", "reschedule")
	r := b.post(path, times)
	if r.code != http.StatusSeeOther {
		t.Fatalf("reschedule: HTTP %d\n%s", r.code, r.body)
	}
	rs := requests[*eventsv1.RescheduleAssemblyRequest](e.events)
	// 11:00 in Maceió (UTC-3) is 14:00 UTC.
	if len(rs) != 1 || !rs[0].GetStartsAt().AsTime().Equal(time.Date(2027, 3, 3, 14, 0, 0, 0, time.UTC)) ||
		rs[0].GetEndsAt().AsTime().Sub(rs[0].GetStartsAt().AsTime()) != 2*time.Hour || rs[0].GetTimeZone() != "America/Maceio" {
		t.Fatalf("RescheduleAssembly: %v", rs)
	}
	mustContain(t, b.get(r.location), "Rescheduled to Wed 3 Mar 2027, 11:00–13:00 -03")

	e.events.failNext(status.Error(codes.FailedPrecondition, "the assembly is cancelled"))
	if r := b.post(path, times); r.code != http.StatusConflict || !strings.Contains(r.body, "The assembly is cancelled.") {
		t.Fatalf("refused reschedule: HTTP %d\n%s", r.code, r.body)
	}
}

func TestEditAssembly(t *testing.T) {
	e := newAsmEnv(t, winter)
	a := scheduled(asmID)
	a.RsvpDeadline = timestamppb.New(time.Date(2027, 3, 1, 11, 0, 0, 0, time.UTC))
	a.Description = "Line one.\nLine two."
	e.events.put(a)
	b := e.coordinator()
	path := "/console/assemblies/" + asmID + "/edit"
	form := b.get(path)
	mustContain(t, form, `name="title" value="Leadership Board meeting"`, `>Welcome</textarea>`, `name="rsvp_date" value="2027-03-01"`, `name="rsvp_time" value="12:00"`)
	csrf := b.csrf(path)
	// Browsers send textarea lines ending in CRLF.
	edit := url.Values{"csrf": {csrf}, "title": {"Leadership Board: spring meeting"}, "agenda": {"Welcome\r\n"}, "host_city": {"Utrecht"},
		"description": {"Line one.\r\nLine two."},
		"rsvp_date":   {"2027-03-01"}, "rsvp_time": {"12:00"}}
	r := b.post(path, edit)
	if r.code != http.StatusSeeOther {
		t.Fatalf("edit: HTTP %d\n%s", r.code, r.body)
	}
	up := requests[*eventsv1.UpdateAssemblyRequest](e.events)
	if len(up) != 1 || up[0].GetTitle() != "Leadership Board: spring meeting" || up[0].GetPlace().GetHostCity() != "Utrecht" {
		t.Fatalf("UpdateAssembly: %v", up)
	}
	if up[0].GetDescription() != "Line one.\nLine two." {
		t.Errorf("description sent as %q: an unchanged one must not read as changed", up[0].GetDescription())
	}
	if up[0].GetReplaceAgenda() || up[0].GetRsvpDeadline() != nil {
		t.Errorf("an unchanged agenda or deadline was sent as a change (the agenda's descriptions would be lost): %v", up[0])
	}

	edit.Set("rsvp_date", "")
	edit.Set("rsvp_time", "")
	if r := b.post(path, edit); r.code != http.StatusBadRequest || !strings.Contains(r.body, "can be moved but not removed") {
		t.Fatalf("removing the deadline: HTTP %d\n%s", r.code, r.body)
	}
	if n := len(requests[*eventsv1.UpdateAssemblyRequest](e.events)); n != 1 {
		t.Fatalf("%d UpdateAssembly calls after a refused edit, want still 1", n)
	}
}

func TestChangeInvitees(t *testing.T) {
	e := newAsmEnv(t, winter)
	e.events.put(scheduled(asmID))
	b := e.coordinator()
	path := "/console/assemblies/" + asmID + "/invitees"
	page := b.get(path)
	if page.code != http.StatusOK {
		t.Fatalf("invitees page: HTTP %d\n%s", page.code, page.body)
	}
	mustContain(t, page, "anouk@example.org", "iara@example.org", "Bodies invited whole", "Working group on digital inclusion")
	csrf := b.csrf(path)

	if r := b.post(path+"/add", url.Values{"csrf": {csrf}}); r.code != http.StatusBadRequest || !strings.Contains(r.body, "Choose bodies or people to invite.") {
		t.Fatalf("add nobody: HTTP %d\n%s", r.code, r.body)
	}
	r := b.post(path+"/add", url.Values{"csrf": {csrf}, "bodies": {groupID}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("add: HTTP %d\n%s", r.code, r.body)
	}
	if add := requests[*eventsv1.AddInviteesRequest](e.events); len(add) != 1 || len(add[0].GetBodyIds()) != 1 || add[0].GetBodyIds()[0] != groupID {
		t.Fatalf("AddInvitees: %v", add)
	}

	if r := b.post(path+"/remove", url.Values{"csrf": {csrf}, "emails": {"stranger@example.org"}}); r.code != http.StatusBadRequest {
		t.Fatalf("remove someone not invited: HTTP %d\n%s", r.code, r.body)
	}
	r = b.post(path+"/remove", url.Values{"csrf": {csrf}, "emails": {"iara@example.org"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("remove: HTTP %d\n%s", r.code, r.body)
	}
	rm := requests[*eventsv1.RemoveInviteesRequest](e.events)
	if len(rm) != 1 || len(rm[0].GetEmails()) != 1 || rm[0].GetEmails()[0] != "iara@example.org" {
		t.Fatalf("RemoveInvitees: %v", rm)
	}
	mustContain(t, b.get(r.location), "Withdrew 1 invitation: each person removed gets a cancellation")
}

func TestPublishMinutes(t *testing.T) {
	e := newAsmEnv(t, winter)
	e.events.put(scheduled(asmID))
	b := e.coordinator()
	path := "/console/assemblies/" + asmID
	if page := b.get(path); strings.Contains(page.body, "Publish the minutes") || !strings.Contains(page.body, "once it has ended") {
		t.Fatalf("minutes form before the assembly ended:\n%s", page.body)
	}
	e.advance(12 * 24 * time.Hour) // after 2 March
	b = e.coordinator()            // the session has expired meanwhile
	page := b.get(path)
	mustContain(t, page, "Publish the minutes", "Ended, no minutes yet")
	if strings.Contains(page.body, "Cancel the assembly") {
		t.Error("an assembly that has ended still offers to cancel it")
	}
	csrf := b.csrf(path)
	if r := b.post(path+"/minutes", url.Values{"csrf": {csrf}, "text": {""}}); r.code != http.StatusBadRequest || !strings.Contains(r.body, "Enter the minutes.") {
		t.Fatalf("empty minutes: HTTP %d\n%s", r.code, r.body)
	}
	long := strings.Repeat("m", 100_001)
	if r := b.post(path+"/minutes", url.Values{"csrf": {csrf}, "text": {long}}); r.code != http.StatusBadRequest {
		t.Fatalf("overlong minutes: HTTP %d", r.code)
	}
	r := b.post(path+"/minutes", url.Values{"csrf": {csrf}, "text": {"We met.\n\nWe agreed."}, "outcomes": {"Adopt the strategy\n\n Hold the conference in Barcelona \n"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("publish: HTTP %d\n%s", r.code, r.body)
	}
	pm := requests[*eventsv1.PublishMinutesRequest](e.events)
	if len(pm) != 1 || len(pm[0].GetOutcomes()) != 2 || pm[0].GetOutcomes()[1] != "Hold the conference in Barcelona" {
		t.Fatalf("PublishMinutes: %v", pm)
	}
	mustContain(t, b.get(path), "<p>We met.</p>", "<li>Adopt the strategy</li>", "Minutes published")
}

func TestAssembliesList(t *testing.T) {
	e := newAsmEnv(t, winter)
	e.events.put(scheduled(asmID))
	cancelled := scheduled(otherAsmID)
	cancelled.Title, cancelled.Status, cancelled.Public = "Working group call", eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED, true
	cancelled.Kind = eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP
	e.events.put(cancelled)
	past := scheduled("0190c000-0000-7000-8000-0000000000e3")
	past.Title = "January board meeting"
	past.StartsAt, past.EndsAt = timestamppb.New(winter.AddDate(0, -1, 0)), timestamppb.New(winter.AddDate(0, -1, 0).Add(time.Hour))
	e.events.put(past)
	b := e.coordinator()

	list := b.get("/console/assemblies")
	mustContain(t, list, "Leadership Board meeting", "Working group call", "Tue 2 Mar 2027, 15:00–16:30 CET", "(closed)")
	if strings.Contains(list.body, "January board meeting") {
		t.Error("an assembly that has ended is listed as upcoming")
	}
	only := b.get("/console/assemblies?state=cancelled")
	if strings.Contains(only.body, ">Leadership Board meeting</a>") || !strings.Contains(only.body, "Working group call") {
		t.Errorf("status filter:\n%s", only.body)
	}
	kind := b.get("/console/assemblies?kind=ASSEMBLY_KIND_WORKING_GROUP&when=all")
	if strings.Contains(kind.body, ">Leadership Board meeting</a>") || !strings.Contains(kind.body, "Working group call") {
		t.Errorf("kind filter:\n%s", kind.body)
	}
	pastList := b.get("/console/assemblies?when=past")
	mustContain(t, pastList, "January board meeting")
	if strings.Contains(pastList.body, "Working group call") {
		t.Error("an upcoming assembly is listed as past")
	}
	// Unknown filter values are ignored rather than failing.
	if r := b.get("/console/assemblies?when=%3Cscript%3E&kind=x&state=y"); r.code != http.StatusOK || strings.Contains(r.body, "<script>") {
		t.Errorf("odd filters: HTTP %d", r.code)
	}
}

// TestRepeatedHourIsTheFirst: a time the clocks pass twice (02:30 on 31
// October 2027 in Amsterdam, when 03:00 summer time becomes 02:00 winter
// time) is read as the first, still on summer time, as RFC 5545 and the
// events service read it.
func TestRepeatedHourIsTheFirst(t *testing.T) {
	e := newAsmEnv(t, winter)
	b := e.coordinator()
	f := scheduleForm(b.csrf("/console/assemblies/new"))
	f.Set("start_date", "2027-10-31")
	f.Set("start_time", "02:30")
	f.Set("rsvp_date", "2027-10-30")
	if r := b.post("/console/assemblies/new", f); r.code != http.StatusSeeOther {
		t.Fatalf("schedule: HTTP %d\n%s", r.code, r.body)
	}
	reqs := requests[*eventsv1.ScheduleAssemblyRequest](e.events)
	if len(reqs) != 1 || !reqs[0].GetStartsAt().AsTime().Equal(time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC)) {
		t.Fatalf("start sent: %v, want 00:30 UTC (02:30 CEST)", reqs)
	}
}
