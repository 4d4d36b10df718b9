package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// published waits until the EVENTS stream holds n events on subject that
// match, and returns them decoded (more than n fails the test).
func published[T proto.Message](t *testing.T, h *harness, subject string, n int, match func(T) bool, newT func() T) []T {
	t.Helper()
	_, js := h.env.JetStream(t)
	var got []T
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		got = nil
		for _, msg := range testkit.StreamMessages(t, js, broker.StreamName(service.Name), subject) {
			ev, err := broker.EventFromMsg(msg.Subject(), msg.Headers(), msg.Data())
			if err != nil {
				return false, err
			}
			v := newT()
			if err := ev.Decode(v); err != nil {
				return false, err
			}
			if match(v) {
				got = append(got, v)
			}
		}
		return len(got) >= n, nil
	})
	if len(got) != n {
		t.Fatalf("%s: %d events, want %d", subject, len(got), n)
	}
	return got
}

func person(name, email, zone string) *eventsv1.Person {
	return &eventsv1.Person{Name: name, Email: email, Language: "en", TimeZone: zone}
}

// An assembly planned at 10:00 in Amsterdam on the last Sunday of March
// 2027, hours after the switch to summer time (02:00 → 03:00): 08:00 UTC,
// 05:00 in São Paulo (no daylight saving since 2019), 04:00 in New York
// (summer time since 14 March).
func TestInviteeTimesAcrossZonesAndDST(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	schedule := func(title, zone, from, to string, people ...*eventsv1.Person) *eventsv1.Assembly {
		t.Helper()
		resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
			Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD, Title: title, TimeZone: zone,
			LocalStart: from, LocalEnd: to, People: people,
		})
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		return resp.GetAssembly()
	}
	board := schedule("Board", "Europe/Amsterdam", "2027-03-28T10:00", "2027-03-28T11:30",
		person("Ana", "ana@example.org", "America/Sao_Paulo"),
		person("Bob", "Bob@Example.org", "America/New_York"),
		person("Eva", "eva@example.org", ""), // the assembly's zone
	)
	if got := board.GetStartsAt().AsTime(); !got.Equal(time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("starts_at %v, want 08:00 UTC", got)
	}
	if board.GetPlannedLocalStart() != "2027-03-28T10:00:00" || board.GetPlannedLocalEnd() != "2027-03-28T11:30:00" ||
		board.GetInviteeCount() != 3 || board.GetSequence() != 0 || !strings.Contains(board.GetUid(), board.GetId()) {
		t.Fatalf("scheduled %v", board)
	}

	times, err := h.coordinator.GetInviteeTimes(ctx, &eventsv1.GetInviteeTimesRequest{AssemblyId: board.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]*eventsv1.LocalTime{
		"ana@example.org": {{Local: "2027-03-28T05:00:00", TimeZone: "America/Sao_Paulo", UtcOffset: "-03:00", Abbreviation: "-03"},
			{Local: "2027-03-28T06:30:00", TimeZone: "America/Sao_Paulo", UtcOffset: "-03:00", Abbreviation: "-03"}},
		"Bob@Example.org": {{Local: "2027-03-28T04:00:00", TimeZone: "America/New_York", UtcOffset: "-04:00", Abbreviation: "EDT"},
			{Local: "2027-03-28T05:30:00", TimeZone: "America/New_York", UtcOffset: "-04:00", Abbreviation: "EDT"}},
		"eva@example.org": {{Local: "2027-03-28T10:00:00", TimeZone: "Europe/Amsterdam", UtcOffset: "+02:00", Abbreviation: "CEST"},
			{Local: "2027-03-28T11:30:00", TimeZone: "Europe/Amsterdam", UtcOffset: "+02:00", Abbreviation: "CEST"}},
	}
	if len(times.GetInvitees()) != 3 {
		t.Fatalf("times for %d invitees", len(times.GetInvitees()))
	}
	for _, it := range times.GetInvitees() {
		w := want[it.GetEmail()]
		if !proto.Equal(it.GetStarts(), w[0]) || !proto.Equal(it.GetEnds(), w[1]) || it.GetCrossesMidnight() || it.GetCrossesOffsetChange() {
			t.Errorf("%s: %v", it.GetEmail(), it)
		}
	}
	if p := times.GetPlanned().GetStarts(); p.GetLocal() != "2027-03-28T10:00:00" || p.GetAbbreviation() != "CEST" {
		t.Errorf("planned %v", p)
	}

	// Late evening in Amsterdam runs past midnight; in São Paulo it does not.
	late := schedule("Late call", "Europe/Amsterdam", "2027-06-10T22:30", "2027-06-11T01:00",
		person("Ana", "ana@example.org", "America/Sao_Paulo"))
	times, err = h.coordinator.GetInviteeTimes(ctx, &eventsv1.GetInviteeTimesRequest{AssemblyId: late.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if !times.GetPlanned().GetCrossesMidnight() || times.GetPlanned().GetEnds().GetLocal() != "2027-06-11T01:00:00" {
		t.Errorf("planned %v", times.GetPlanned())
	}
	if ana := times.GetInvitees()[0]; ana.GetCrossesMidnight() || ana.GetStarts().GetLocal() != "2027-06-10T17:30:00" || ana.GetEnds().GetLocal() != "2027-06-10T20:00:00" {
		t.Errorf("São Paulo %v", ana)
	}

	// Through the night summer time ends (03:00 CEST → 02:00 CET, 31 Oct
	// 2027): 22:00 to 04:00 local is seven hours, not six.
	night := schedule("Hackathon", "Europe/Amsterdam", "2027-10-30T22:00", "2027-10-31T04:00",
		person("Bob", "bob@example.org", "America/New_York"))
	if d := night.GetEndsAt().AsTime().Sub(night.GetStartsAt().AsTime()); d != 7*time.Hour {
		t.Errorf("lasts %v, want 7h", d)
	}
	times, err = h.coordinator.GetInviteeTimes(ctx, &eventsv1.GetInviteeTimesRequest{AssemblyId: night.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	p := times.GetPlanned()
	if !p.GetCrossesOffsetChange() || !p.GetCrossesMidnight() || p.GetStarts().GetUtcOffset() != "+02:00" || p.GetEnds().GetUtcOffset() != "+01:00" ||
		p.GetEnds().GetLocal() != "2027-10-31T04:00:00" || p.GetEnds().GetAbbreviation() != "CET" {
		t.Errorf("planned %v", p)
	}
	// New York switches a week later: no change for Bob that night (16:00–23:00 EDT).
	if bob := times.GetInvitees()[0]; bob.GetCrossesOffsetChange() || bob.GetStarts().GetLocal() != "2027-10-30T16:00:00" || bob.GetEnds().GetLocal() != "2027-10-30T23:00:00" {
		t.Errorf("New York %v", bob)
	}

	// 02:30 does not exist in Amsterdam on 28 March 2027.
	_, err = h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER, Title: "Gap", TimeZone: "Europe/Amsterdam",
		LocalStart: "2027-03-28T02:30", LocalEnd: "2027-03-28T04:00",
	})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"local_start"}) {
		t.Errorf("nonexistent local time: violations %v", f)
	}
	_, err = h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER, Title: "Bad zone", TimeZone: "Europe/Amsterdam",
		LocalStart: "2027-03-29T10:00", LocalEnd: "2027-03-29T11:00", People: []*eventsv1.Person{person("X", "x@example.org", "Mars/Base")},
	})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"people[0].time_zone"}) {
		t.Errorf("bad invitee zone: violations %v", f)
	}
	_, err = h.anonymous.GetInviteeTimes(ctx, &eventsv1.GetInviteeTimesRequest{AssemblyId: board.GetId()})
	testkit.WantCode(t, err, codes.Unauthenticated)
}

// Bodies are resolved through membership; a person in two bodies, or also
// named, is invited once; overlapping invitations are reported.
func TestBodiesAndConflicts(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	board, team := "0190a1b2-0000-7000-8000-000000000001", "0190a1b2-0000-7000-8000-000000000002"
	h.membership.setBody(board,
		&membershipv1.BodyMember{Name: "Ana", Email: "ana@example.org", Language: "pt-BR", TimeZone: "America/Maceio"},
		&membershipv1.BodyMember{Name: "Otto", Email: "otto@example.org", Language: "fi", TimeZone: "Europe/Helsinki"},
		&membershipv1.BodyMember{Name: "Nobody", Email: "", TimeZone: "UTC"},
	)
	h.membership.setBody(team, &membershipv1.BodyMember{Name: "Otto", Email: "OTTO@example.org", TimeZone: "Nowhere/Zone"})

	start := time.Date(2027, 5, 4, 12, 0, 0, 0, time.UTC)
	first, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD, Title: "Board", TimeZone: "Europe/Amsterdam",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(2 * time.Hour)),
		BodyIds: []string{board, team}, People: []*eventsv1.Person{person("Ana Silva", "Ana@Example.org", "America/Maceio")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := first.GetAssembly().GetInviteeCount(); n != 2 || len(first.GetConflicts()) != 0 {
		t.Fatalf("invitees %d, conflicts %v", n, first.GetConflicts())
	}
	att, err := h.coordinator.GetAttendance(ctx, &eventsv1.GetAttendanceRequest{AssemblyId: first.GetAssembly().GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if a := att.GetAttendees(); len(a) != 2 || a[0].GetName() != "Ana Silva" || a[0].GetBodyId() != "" || a[1].GetBodyId() != board || a[1].GetTimeZone() != "Europe/Helsinki" {
		t.Fatalf("attendees %v", a)
	}

	// A second meeting an hour later overlaps for Otto (via the team).
	second, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP, Title: "Working group", TimeZone: "Europe/Helsinki",
		StartsAt: timestamppb.New(start.Add(time.Hour)), EndsAt: timestamppb.New(start.Add(3 * time.Hour)),
		BodyIds: []string{team}, People: []*eventsv1.Person{person("Zoe", "zoe@example.org", "")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := second.GetConflicts(); len(c) != 1 || c[0].GetEmail() != "otto@example.org" || c[0].GetAssemblyId() != first.GetAssembly().GetId() {
		t.Fatalf("conflicts %v", c)
	}
	// The console asks before scheduling.
	check := func(from, to time.Time, emails ...string) []*eventsv1.Conflict {
		t.Helper()
		resp, err := h.coordinator.CheckConflicts(ctx, &eventsv1.CheckConflictsRequest{
			StartsAt: timestamppb.New(from), EndsAt: timestamppb.New(to), Emails: emails})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetConflicts()
	}
	if c := check(start.Add(90*time.Minute), start.Add(4*time.Hour), "otto@example.org", "zoe@example.org", "new@example.org"); len(c) != 3 {
		t.Errorf("conflicts %v, want otto twice and zoe once", c)
	}
	if c := check(start.Add(3*time.Hour), start.Add(4*time.Hour), "otto@example.org"); len(c) != 0 {
		t.Errorf("back-to-back is no conflict: %v", c)
	}
	resp, err := h.coordinator.CheckConflicts(ctx, &eventsv1.CheckConflictsRequest{
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)), BodyIds: []string{board}})
	if err != nil || len(resp.GetConflicts()) != 2 {
		t.Errorf("conflicts of the board %v (%v), want ana and otto", resp.GetConflicts(), err)
	}
	// Cancelled assemblies conflict with nothing.
	if _, err := h.coordinator.CancelAssembly(ctx, &eventsv1.CancelAssemblyRequest{AssemblyId: first.GetAssembly().GetId()}); err != nil {
		t.Fatal(err)
	}
	if c := check(start, start.Add(time.Hour), "otto@example.org", "ana@example.org"); len(c) != 0 {
		t.Errorf("conflicts with a cancelled assembly: %v", c)
	}

	_, err = h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER, Title: "Unknown body", TimeZone: "UTC",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)),
		BodyIds: []string{"0190a1b2-0000-7000-8000-0000000000ff"},
	})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"body_ids"}) {
		t.Errorf("unknown body: %v", f)
	}
	_, err = h.as(optionsv1.Role_ROLE_REPRESENTATIVE).CheckConflicts(ctx, &eventsv1.CheckConflictsRequest{
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour))})
	testkit.WantCode(t, err, codes.PermissionDenied)
}

func TestMembershipDownIsUnavailable(t *testing.T) {
	t.Parallel()
	h := start(t, func(c *service.Config) { c.MembershipAddr = "127.0.0.1:1" })
	ctx := testkit.Context(t)
	start := time.Now().Add(48 * time.Hour)
	_, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER, Title: "Board", TimeZone: "UTC",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)),
		BodyIds: []string{"0190a1b2-0000-7000-8000-000000000001"},
	})
	testkit.WantCode(t, err, codes.Unavailable)
}

func TestSuggestSlots(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	// Monday 7 June 2027, whole day UTC, one-hour meetings.
	day := time.Date(2027, 6, 7, 0, 0, 0, 0, time.UTC)
	resp, err := h.coordinator.SuggestSlots(ctx, &eventsv1.SuggestSlotsRequest{
		People: []*eventsv1.Person{
			person("Ana", "ana@example.org", "America/Maceio"),
			person("Otto", "otto@example.org", "Europe/Helsinki"),
			person("Bob", "bob@example.org", "America/New_York"),
		},
		Duration: durationpb.New(time.Hour), WindowStart: timestamppb.New(day), WindowEnd: timestamppb.New(day.Add(24 * time.Hour)),
		Step: durationpb.New(time.Hour), MaxResults: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Helsinki 09–17 is 06–14 UTC, Maceió 12–20 UTC, New York (EDT) 13–21
	// UTC: all three only 13:00 UTC (16:00 Helsinki, 10:00 Maceió, 09:00 New York).
	s := resp.GetSlots()
	if len(s) != 3 || s[0].GetInWorkingHours() != 3 || !s[0].GetStartsAt().AsTime().Equal(day.Add(13*time.Hour)) ||
		s[1].GetInWorkingHours() != 2 || !s[1].GetStartsAt().AsTime().Equal(day.Add(12*time.Hour)) || s[0].GetInvitees() != 3 {
		t.Fatalf("slots %v", s)
	}
	_, err = h.coordinator.SuggestSlots(ctx, &eventsv1.SuggestSlotsRequest{
		Duration: durationpb.New(time.Hour), WindowStart: timestamppb.New(day), WindowEnd: timestamppb.New(day.Add(-time.Hour)),
	})
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = h.coordinator.SuggestSlots(ctx, &eventsv1.SuggestSlotsRequest{
		WindowStart: timestamppb.New(day), WindowEnd: timestamppb.New(day.Add(time.Hour)),
	})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"duration"}) {
		t.Errorf("no duration: violations %v", f)
	}
}
