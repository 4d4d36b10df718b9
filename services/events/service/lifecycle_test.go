package service_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func byAssembly[T interface{ GetAssembly() *eventsv1.Assembly }](id string) func(T) bool {
	return func(v T) bool { return v.GetAssembly().GetId() == id }
}

// tokens reads each invitee's RSVP token from the invitation event.
func tokens(t *testing.T, h *harness, id string) map[string]string {
	t.Helper()
	inv := published(t, h, "events.assembly.invited", 1, byAssembly[*eventsv1.AssemblyInvited](id), func() *eventsv1.AssemblyInvited { return &eventsv1.AssemblyInvited{} })[0]
	out := map[string]string{}
	for _, i := range inv.GetInvitations() {
		u, err := url.Parse(i.GetRsvpUrl())
		if err != nil || !strings.HasPrefix(i.GetRsvpUrl(), "https://coalition.example/invitations/respond?") || u.Query().Get("assembly") != id {
			t.Fatalf("rsvp url %q", i.GetRsvpUrl())
		}
		out[i.GetInvitee().GetEmail()] = u.Query().Get("token")
	}
	return out
}

func TestRescheduleUpdateCancelKeepUIDAndCountSequence(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_COORDINATION_TEAM, Title: "Coordination", TimeZone: "America/Maceio",
		LocalStart: "2027-09-01T10:00", LocalEnd: "2027-09-01T11:00", OnlineUrl: "https://meet.example.org/ct",
		Agenda: []*eventsv1.AgendaItem{{Title: "Budget", Minutes: 20}},
		People: []*eventsv1.Person{person("Ana", "ana@example.org", "America/Maceio"), person("Otto", "otto@example.org", "Europe/Helsinki")},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := resp.GetAssembly()
	id, uid := a.GetId(), a.GetUid()
	inv := tokens(t, h, id)
	if len(inv) != 2 || inv["ana@example.org"] == "" || inv["ana@example.org"] == inv["otto@example.org"] {
		t.Fatalf("tokens %v", inv)
	}
	// Only hashes are stored.
	raw, err := h.db.Collection("assemblies").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw.String(), inv["ana@example.org"]) {
		t.Fatal("token stored in the clear")
	}

	re, err := h.coordinator.RescheduleAssembly(ctx, &eventsv1.RescheduleAssemblyRequest{AssemblyId: id, LocalStart: "2027-09-02T14:00", LocalEnd: "2027-09-02T15:30"})
	if err != nil {
		t.Fatal(err)
	}
	if a := re.GetAssembly(); a.GetSequence() != 1 || a.GetUid() != uid || a.GetPlannedLocalStart() != "2027-09-02T14:00:00" ||
		!a.GetStartsAt().AsTime().Equal(time.Date(2027, 9, 2, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("rescheduled %v", a)
	}
	title := "Coordination Team"
	up, err := h.coordinator.UpdateAssembly(ctx, &eventsv1.UpdateAssemblyRequest{AssemblyId: id, Title: &title,
		Place: &eventsv1.Place{HostCity: "Maceió", Venue: "City Hall"}, ReplaceAgenda: true,
		Agenda: []*eventsv1.AgendaItem{{Title: "Budget"}, {Title: "Conference"}}})
	if err != nil {
		t.Fatal(err)
	}
	if a := up.GetAssembly(); a.GetSequence() != 2 || a.GetTitle() != title || len(a.GetAgenda()) != 2 || a.GetPlace().GetVenue() != "City Hall" ||
		a.GetOnlineUrl() != "https://meet.example.org/ct" || a.GetPlannedLocalStart() != "2027-09-02T14:00:00" {
		t.Fatalf("updated %v", a)
	}
	cn, err := h.coordinator.CancelAssembly(ctx, &eventsv1.CancelAssemblyRequest{AssemblyId: id, Reason: "merged with the board"})
	if err != nil {
		t.Fatal(err)
	}
	if a := cn.GetAssembly(); a.GetSequence() != 3 || a.GetStatus() != eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED || a.GetCancelReason() != "merged with the board" {
		t.Fatalf("cancelled %v", a)
	}
	_, err = h.coordinator.RescheduleAssembly(ctx, &eventsv1.RescheduleAssemblyRequest{AssemblyId: id, LocalStart: "2027-09-03T14:00", LocalEnd: "2027-09-03T15:30"})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	_, err = h.coordinator.CancelAssembly(ctx, &eventsv1.CancelAssemblyRequest{AssemblyId: id})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	_, err = h.coordinator.UpdateAssembly(ctx, &eventsv1.UpdateAssemblyRequest{AssemblyId: "0190a1b2-0000-7000-8000-0000000000ff", Title: &title})
	testkit.WantCode(t, err, codes.NotFound)

	rs := published(t, h, "events.assembly.rescheduled", 1, byAssembly[*eventsv1.AssemblyRescheduled](id), func() *eventsv1.AssemblyRescheduled { return &eventsv1.AssemblyRescheduled{} })[0]
	if rs.GetAssembly().GetSequence() != 1 || !rs.GetPreviousStartsAt().AsTime().Equal(time.Date(2027, 9, 1, 13, 0, 0, 0, time.UTC)) ||
		len(rs.GetInvitations()) != 2 || rs.GetInvitations()[0].GetRsvpUrl() != "" {
		t.Errorf("rescheduled event %v", rs)
	}
	if otto := rs.GetInvitations()[1]; otto.GetTimes().GetStarts().GetLocal() != "2027-09-02T20:00:00" || otto.GetTimes().GetStarts().GetAbbreviation() != "EEST" {
		t.Errorf("Otto's times %v", otto.GetTimes())
	}
	ud := published(t, h, "events.assembly.updated", 1, byAssembly[*eventsv1.AssemblyUpdated](id), func() *eventsv1.AssemblyUpdated { return &eventsv1.AssemblyUpdated{} })[0]
	cc := published(t, h, "events.assembly.cancelled", 1, byAssembly[*eventsv1.AssemblyCancelled](id), func() *eventsv1.AssemblyCancelled { return &eventsv1.AssemblyCancelled{} })[0]
	if ud.GetAssembly().GetSequence() != 2 || cc.GetAssembly().GetSequence() != 3 || cc.GetReason() != "merged with the board" || len(cc.GetInvitations()) != 2 {
		t.Errorf("updated %v cancelled %v", ud, cc)
	}
	// Cancelling drops the pending reminders.
	if n, err := h.db.Collection("reminders").CountDocuments(ctx, bson.D{{Key: "assembly_id", Value: id}}); err != nil || n != 0 {
		t.Errorf("%d reminders left (%v)", n, err)
	}
}

func TestRespondToInvitation(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	body := "0190a1b2-0000-7000-8000-000000000003"
	h.membership.setBody(body,
		&membershipv1.BodyMember{Name: "A", Email: "a@example.org", TimeZone: "Europe/Madrid"},
		&membershipv1.BodyMember{Name: "B", Email: "b@example.org", TimeZone: "Europe/Madrid"},
		&membershipv1.BodyMember{Name: "C", Email: "c@example.org", TimeZone: "Europe/Madrid"},
	)
	schedule := func(title string, start time.Time, deadline time.Time) string {
		t.Helper()
		req := &eventsv1.ScheduleAssemblyRequest{
			Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD, Title: title, TimeZone: "Europe/Madrid",
			StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)), BodyIds: []string{body},
			People: []*eventsv1.Person{person("Guest", "guest@example.org", "")},
		}
		if !deadline.IsZero() {
			req.RsvpDeadline = timestamppb.New(deadline)
		}
		resp, err := h.coordinator.ScheduleAssembly(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetAssembly().GetId()
	}
	now := time.Now()
	open := schedule("Open", now.Add(72*time.Hour), now.Add(48*time.Hour))
	other := schedule("Other", now.Add(96*time.Hour), time.Time{})
	closed := schedule("Deadline passed", now.Add(72*time.Hour), now.Add(-time.Minute))
	over := schedule("Over", now.Add(-3*time.Hour), time.Time{})

	tok := tokens(t, h, open)
	respond := func(id, token string, r eventsv1.Response) error {
		_, err := h.anonymous.RespondToInvitation(ctx, &eventsv1.RespondToInvitationRequest{AssemblyId: id, Token: token, Response: r})
		return err
	}
	for email, r := range map[string]eventsv1.Response{
		"a@example.org": eventsv1.Response_RESPONSE_ACCEPTED, "b@example.org": eventsv1.Response_RESPONSE_TENTATIVE,
		"guest@example.org": eventsv1.Response_RESPONSE_DECLINED,
	} {
		if err := respond(open, tok[email], r); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
	}
	att, err := h.coordinator.GetAttendance(ctx, &eventsv1.GetAttendanceRequest{AssemblyId: open})
	if err != nil {
		t.Fatal(err)
	}
	if att.GetAccepted() != 1 || att.GetTentative() != 1 || att.GetDeclined() != 1 || att.GetNoAnswer() != 1 {
		t.Fatalf("attendance %v", att)
	}
	if b := att.GetBodies(); len(b) != 1 || b[0].GetInvited() != 3 || b[0].GetQuorum() != 2 || b[0].GetQuorumExpected() {
		t.Fatalf("body attendance %v", b)
	}
	// C accepts: two of three, a quorum; B changes their mind.
	if err := respond(open, tok["c@example.org"], eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatal(err)
	}
	if err := respond(open, tok["b@example.org"], eventsv1.Response_RESPONSE_DECLINED); err != nil {
		t.Fatal(err)
	}
	att, err = h.coordinator.GetAttendance(ctx, &eventsv1.GetAttendanceRequest{AssemblyId: open})
	if err != nil {
		t.Fatal(err)
	}
	if b := att.GetBodies()[0]; b.GetAccepted() != 2 || !b.GetQuorumExpected() || att.GetDeclined() != 2 {
		t.Fatalf("body attendance %v", att)
	}

	// Wrong token, another assembly's token, a closed or ended invitation.
	testkit.WantCode(t, respond(open, strings.Repeat("x", 43), eventsv1.Response_RESPONSE_ACCEPTED), codes.NotFound)
	otherTok := tokens(t, h, other)
	testkit.WantCode(t, respond(open, otherTok["a@example.org"], eventsv1.Response_RESPONSE_ACCEPTED), codes.NotFound)
	testkit.WantCode(t, respond(other, tok["a@example.org"], eventsv1.Response_RESPONSE_DECLINED), codes.NotFound)
	testkit.WantCode(t, respond(closed, tokens(t, h, closed)["a@example.org"], eventsv1.Response_RESPONSE_ACCEPTED), codes.FailedPrecondition)
	testkit.WantCode(t, respond(over, tokens(t, h, over)["a@example.org"], eventsv1.Response_RESPONSE_ACCEPTED), codes.FailedPrecondition)
	// needs_action is not an answer.
	err = respond(open, tok["a@example.org"], eventsv1.Response_RESPONSE_NEEDS_ACTION)
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"response"}) {
		t.Errorf("violations %v", f)
	}
	// A's answer is untouched by the refused attempts.
	att, _ = h.coordinator.GetAttendance(ctx, &eventsv1.GetAttendanceRequest{AssemblyId: open})
	for _, p := range att.GetAttendees() {
		if p.GetEmail() == "a@example.org" && p.GetResponse() != eventsv1.Response_RESPONSE_ACCEPTED {
			t.Errorf("a: %v", p)
		}
	}
	_, err = h.anonymous.GetAttendance(ctx, &eventsv1.GetAttendanceRequest{AssemblyId: open})
	testkit.WantCode(t, err, codes.Unauthenticated)

	// Two places: the third acceptance waits until someone declines.
	small, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP, Title: "Small room", TimeZone: "Europe/Madrid",
		StartsAt: timestamppb.New(now.Add(72 * time.Hour)), EndsAt: timestamppb.New(now.Add(73 * time.Hour)),
		BodyIds: []string{body}, Capacity: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	st := tokens(t, h, small.GetAssembly().GetId())
	sid := small.GetAssembly().GetId()
	if err := respond(sid, st["a@example.org"], eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatal(err)
	}
	if err := respond(sid, st["b@example.org"], eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatal(err)
	}
	testkit.WantCode(t, respond(sid, st["c@example.org"], eventsv1.Response_RESPONSE_ACCEPTED), codes.FailedPrecondition)
	if err := respond(sid, st["a@example.org"], eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatalf("accepting again: %v", err)
	}
	if err := respond(sid, st["b@example.org"], eventsv1.Response_RESPONSE_DECLINED); err != nil {
		t.Fatal(err)
	}
	if err := respond(sid, st["c@example.org"], eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatalf("after a place was freed: %v", err)
	}
}

// A reminder due while the service is down fires once, from the next
// instance on the same database.
func TestReminderSurvivesRestartAndFiresOnce(t *testing.T) {
	t.Parallel()
	lead := time.Hour
	h := start(t, func(c *service.Config) { c.ReminderLeads = []time.Duration{lead} })
	ctx := testkit.Context(t)

	startAt := time.Now().Add(lead + 2500*time.Millisecond)
	resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP, Title: "Reminded", TimeZone: "UTC",
		StartsAt: timestamppb.New(startAt), EndsAt: timestamppb.New(startAt.Add(time.Hour)),
		People: []*eventsv1.Person{person("Ana", "ana@example.org", "America/Maceio"), person("Bob", "bob@example.org", "")},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()
	tok := tokens(t, h, id) // the first instance's relay has published
	if _, err := h.anonymous.RespondToInvitation(ctx, &eventsv1.RespondToInvitationRequest{AssemblyId: id, Token: tok["bob@example.org"], Response: eventsv1.Response_RESPONSE_DECLINED}); err != nil {
		t.Fatal(err)
	}
	h.stop(t) // before the reminder is due
	if time.Now().After(startAt.Add(-lead)) {
		t.Fatal("the first instance ran past the reminder's due time")
	}
	var rem struct {
		Fired bool `bson:"fired"`
	}
	if err := h.db.Collection("reminders").FindOne(ctx, bson.D{{Key: "assembly_id", Value: id}}).Decode(&rem); err != nil || rem.Fired {
		t.Fatalf("reminder before restart: fired=%v err=%v", rem.Fired, err)
	}

	time.Sleep(time.Until(startAt.Add(-lead)) + 300*time.Millisecond)
	// One instance at a time: on the embedded store, the claim is atomic
	// only within one process (mongodb.DocLocks).
	h.serve(t, h.cfg)
	got := published(t, h, "events.assembly.reminder_due", 1, byAssembly[*eventsv1.AssemblyReminderDue](id), func() *eventsv1.AssemblyReminderDue { return &eventsv1.AssemblyReminderDue{} })
	time.Sleep(time.Second) // more rounds: nothing fires again
	got = published(t, h, "events.assembly.reminder_due", 1, byAssembly[*eventsv1.AssemblyReminderDue](id), func() *eventsv1.AssemblyReminderDue { return &eventsv1.AssemblyReminderDue{} })
	r := got[0]
	if r.GetLead().AsDuration() != lead || len(r.GetInvitations()) != 1 || r.GetInvitations()[0].GetInvitee().GetEmail() != "ana@example.org" {
		t.Fatalf("reminder %v (Bob declined)", r)
	}
}

func TestMinutesAndPublicCalendar(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	now := time.Now().UTC().Truncate(time.Second)
	sched := func(title string, start time.Time, public bool) string {
		t.Helper()
		resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
			Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_ANNUAL_CONFERENCE, Title: title, TimeZone: "Europe/Madrid",
			StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(8 * time.Hour)), Public: public,
			Place: &eventsv1.Place{HostCity: "Barcelona", Venue: "Palau"}, Description: "Strategy; outcomes, advocacy",
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetAssembly().GetId()
	}
	past := sched("Conference 2026", now.Add(-48*time.Hour), true)
	future := sched("Conference 2027", now.Add(30*24*time.Hour), true)
	hidden := sched("Board", now.Add(24*time.Hour), false)

	_, err := h.coordinator.PublishMinutes(ctx, &eventsv1.PublishMinutesRequest{AssemblyId: future, Text: "Not yet"})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	m, err := h.coordinator.PublishMinutes(ctx, &eventsv1.PublishMinutesRequest{AssemblyId: past, Text: "We met.", Outcomes: []string{"Joint declaration adopted"}})
	if err != nil {
		t.Fatal(err)
	}
	if mm := m.GetAssembly().GetMinutes(); mm.GetText() != "We met." || len(mm.GetOutcomes()) != 1 || mm.GetPublishedAt() == nil {
		t.Fatalf("minutes %v", mm)
	}
	got, err := h.anonymous.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: past})
	if err != nil || got.GetAssembly().GetMinutes().GetText() != "We met." {
		t.Fatalf("public minutes %v %v", got, err)
	}
	ev := published(t, h, "events.assembly.minutes_published", 1,
		func(e *eventsv1.AssemblyMinutesPublished) bool { return e.GetAssemblyId() == past },
		func() *eventsv1.AssemblyMinutesPublished { return &eventsv1.AssemblyMinutesPublished{} })[0]
	if !ev.GetPublic() || ev.GetMinutes().GetOutcomes()[0] != "Joint declaration adopted" {
		t.Errorf("event %v", ev)
	}

	feed, err := h.anonymous.GetPublicCalendar(ctx, &eventsv1.GetPublicCalendarRequest{})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(feed.GetIcs()))
	if err != nil {
		t.Fatalf("parse feed: %v\n%s", err, feed.GetIcs())
	}
	var uids []string
	for _, e := range cal.Events() {
		uids = append(uids, e.Id())
		if e.GetProperty(ics.ComponentPropertyLocation).Value != "Palau, Barcelona" || len(e.Attendees()) != 0 {
			t.Errorf("event %s", e.Serialize(nil))
		}
	}
	slices.Sort(uids)
	want := []string{"assembly-" + past + "@cc4dr-coalition", "assembly-" + future + "@cc4dr-coalition"}
	slices.Sort(want)
	if !slices.Equal(uids, want) || strings.Contains(feed.GetIcs(), hidden) {
		t.Fatalf("feed UIDs %v, want %v", uids, want)
	}
}
