package service_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func emailsOf[T interface{ GetEmail() string }](list []T) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, v.GetEmail())
	}
	slices.Sort(out)
	return out
}

func inviteeEmails(list []*eventsv1.Invitation) []string {
	out := make([]string, 0, len(list))
	for _, i := range list {
		out = append(out, i.GetInvitee().GetEmail())
	}
	slices.Sort(out)
	return out
}

// TestAddAndRemoveInvitees: people and bodies are added to and removed from
// a scheduled assembly. Each change is one event naming only those it
// concerns (the newly invited with RSVP and feed links, the removed for
// their cancellation), SEQUENCE goes up with each, a repeated request
// changes nothing, a removed person's RSVP link stops working, and someone
// sitting on a body that stays invited is not removed with another.
func TestAddAndRemoveInvitees(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	board, team := "0190a1b2-0000-7000-8000-00000000b0a1", "0190a1b2-0000-7000-8000-00000000b0a2"
	h.membership.setBody(board,
		&membershipv1.BodyMember{Name: "Ana", Email: "ana@example.org", Language: "pt", TimeZone: "America/Maceio"},
		&membershipv1.BodyMember{Name: "Otto", Email: "otto@example.org", Language: "fi", TimeZone: "Europe/Helsinki"},
		&membershipv1.BodyMember{Name: "Bea", Email: "bea@example.org", Language: "es", TimeZone: "Europe/Madrid"},
	)
	h.membership.setBody(team,
		&membershipv1.BodyMember{Name: "Otto", Email: "otto@example.org", TimeZone: "Europe/Helsinki"},
		&membershipv1.BodyMember{Name: "Zoe", Email: "zoe@example.org", Language: "fr", TimeZone: "Europe/Paris"},
	)
	start := time.Now().UTC().Truncate(time.Second).Add(10 * 24 * time.Hour)
	resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD, Title: "Board", TimeZone: "Europe/Amsterdam",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)),
		BodyIds: []string{board}, People: []*eventsv1.Person{person("Lea", "lea@example.org", "Asia/Tokyo")},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()
	if resp.GetAssembly().GetOrganizer().GetEmail() != "coordination@coalition.example" || resp.GetAssembly().GetOrganizer().GetName() != "Coordination Team" {
		t.Errorf("organizer %v", resp.GetAssembly().GetOrganizer())
	}

	// Add: Lea again (already invited), a new named person, and the team,
	// whose Otto is already invited through the board.
	addReq := &eventsv1.AddInviteesRequest{AssemblyId: id, BodyIds: []string{team},
		People: []*eventsv1.Person{person("Lea L.", "LEA@example.org", ""), {Name: "Nia", Email: "nia@example.org", Language: "ca", TimeZone: "America/Bogota"}}}
	added, err := h.coordinator.AddInvitees(ctx, addReq)
	if err != nil {
		t.Fatal(err)
	}
	if a := added.GetAssembly(); a.GetSequence() != 1 || a.GetInviteeCount() != 6 || !slices.Equal(a.GetBodyIds(), []string{board, team}) {
		t.Fatalf("after adding: %v", a)
	}
	if got := emailsOf(added.GetAdded()); !slices.Equal(got, []string{"nia@example.org", "zoe@example.org"}) {
		t.Fatalf("added %v", got)
	}
	ev := published(t, h, "events.assembly.invitees_added", 1, byAssembly[*eventsv1.AssemblyInviteesAdded](id),
		func() *eventsv1.AssemblyInviteesAdded { return &eventsv1.AssemblyInviteesAdded{} })[0]
	if ev.GetAssembly().GetSequence() != 1 || ev.GetAssembly().GetOrganizer().GetEmail() == "" ||
		!slices.Equal(inviteeEmails(ev.GetInvitations()), []string{"nia@example.org", "zoe@example.org"}) {
		t.Fatalf("invitees_added %v", ev)
	}
	rsvp := map[string]string{}
	for _, inv := range ev.GetInvitations() {
		u, err := url.Parse(inv.GetRsvpUrl())
		if err != nil || u.Query().Get("assembly") != id || u.Query().Get("token") == "" || !strings.HasSuffix(inv.GetFeedUrl(), ".ics") {
			t.Errorf("invitation links %q %q", inv.GetRsvpUrl(), inv.GetFeedUrl())
		}
		rsvp[inv.GetInvitee().GetEmail()] = u.Query().Get("token")
		if inv.GetInvitee().GetEmail() == "nia@example.org" && (inv.GetTimes().GetStarts().GetTimeZone() != "America/Bogota" || inv.GetInvitee().GetLanguage() != "ca") {
			t.Errorf("Nia's invitation %v", inv)
		}
	}
	respond := func(email string, r eventsv1.Response) error {
		_, err := h.anonymous.RespondToInvitation(ctx, &eventsv1.RespondToInvitationRequest{AssemblyId: id, Token: rsvp[email], Response: r})
		return err
	}
	if err := respond("zoe@example.org", eventsv1.Response_RESPONSE_ACCEPTED); err != nil {
		t.Fatalf("the added answer with their link: %v", err)
	}
	// The same request again adds nobody and changes nothing.
	again, err := h.coordinator.AddInvitees(ctx, addReq)
	if err != nil || again.GetAssembly().GetSequence() != 1 || len(again.GetAdded()) != 0 {
		t.Fatalf("repeated add: %v %v", again, err)
	}

	// Remove Ana by email (any case) and the board: Bea goes with it, Otto
	// stays through the team.
	removed, err := h.coordinator.RemoveInvitees(ctx, &eventsv1.RemoveInviteesRequest{AssemblyId: id, Emails: []string{"ANA@example.org"}, BodyIds: []string{board}})
	if err != nil {
		t.Fatal(err)
	}
	if a := removed.GetAssembly(); a.GetSequence() != 2 || a.GetInviteeCount() != 4 || !slices.Equal(a.GetBodyIds(), []string{team}) {
		t.Fatalf("after removing: %v", a)
	}
	if got := emailsOf(removed.GetRemoved()); !slices.Equal(got, []string{"ana@example.org", "bea@example.org"}) {
		t.Fatalf("removed %v", got)
	}
	rm := published(t, h, "events.assembly.invitees_removed", 1, byAssembly[*eventsv1.AssemblyInviteesRemoved](id),
		func() *eventsv1.AssemblyInviteesRemoved { return &eventsv1.AssemblyInviteesRemoved{} })[0]
	if rm.GetAssembly().GetSequence() != 2 || !slices.Equal(inviteeEmails(rm.GetInvitations()), []string{"ana@example.org", "bea@example.org"}) ||
		rm.GetInvitations()[0].GetRsvpUrl() != "" {
		t.Fatalf("invitees_removed %v", rm)
	}
	att, err := h.coordinator.GetAttendance(ctx, &eventsv1.GetAttendanceRequest{AssemblyId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got := emailsOf(att.GetAttendees()); !slices.Equal(got, []string{"lea@example.org", "nia@example.org", "otto@example.org", "zoe@example.org"}) {
		t.Fatalf("attendees %v", got)
	}
	for _, a := range att.GetAttendees() {
		if a.GetEmail() == "otto@example.org" && a.GetBodyId() != team {
			t.Errorf("Otto now through %q, want the team", a.GetBodyId())
		}
		if a.GetEmail() == "zoe@example.org" && a.GetResponse() != eventsv1.Response_RESPONSE_ACCEPTED {
			t.Errorf("Zoe's answer lost: %v", a.GetResponse())
		}
	}
	// A removed person's link stops working; removing again changes nothing.
	first := tokens(t, h, id) // the invitations sent at scheduling
	_, err = h.anonymous.RespondToInvitation(ctx, &eventsv1.RespondToInvitationRequest{AssemblyId: id, Token: first["ana@example.org"], Response: eventsv1.Response_RESPONSE_ACCEPTED})
	testkit.WantCode(t, err, codes.NotFound)
	again2, err := h.coordinator.RemoveInvitees(ctx, &eventsv1.RemoveInviteesRequest{AssemblyId: id, Emails: []string{"ana@example.org", "nobody@example.org"}})
	if err != nil || again2.GetAssembly().GetSequence() != 2 || len(again2.GetRemoved()) != 0 {
		t.Fatalf("repeated remove: %v %v", again2, err)
	}
	// Exactly one event per change, the repeats published nothing.
	published(t, h, "events.assembly.invitees_added", 1, byAssembly[*eventsv1.AssemblyInviteesAdded](id),
		func() *eventsv1.AssemblyInviteesAdded { return &eventsv1.AssemblyInviteesAdded{} })
	published(t, h, "events.assembly.invitees_removed", 1, byAssembly[*eventsv1.AssemblyInviteesRemoved](id),
		func() *eventsv1.AssemblyInviteesRemoved { return &eventsv1.AssemblyInviteesRemoved{} })

	// Bad input changes nothing.
	_, err = h.coordinator.AddInvitees(ctx, &eventsv1.AddInviteesRequest{AssemblyId: id})
	if f := testkit.FieldViolations(t, err); len(f) != 1 {
		t.Errorf("nobody to add: %v", f)
	}
	_, err = h.coordinator.AddInvitees(ctx, &eventsv1.AddInviteesRequest{AssemblyId: id, People: []*eventsv1.Person{person("X", "x@example.org", "Mars/Olympus")}})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"people[0].time_zone"}) {
		t.Errorf("bad zone: %v", f)
	}
	_, err = h.coordinator.AddInvitees(ctx, &eventsv1.AddInviteesRequest{AssemblyId: id, BodyIds: []string{"0190a1b2-0000-7000-8000-0000000000ff"}})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"body_ids"}) {
		t.Errorf("unknown body: %v", f)
	}
	_, err = h.coordinator.RemoveInvitees(ctx, &eventsv1.RemoveInviteesRequest{AssemblyId: id, Emails: []string{"not an email"}})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"emails[0]"}) {
		t.Errorf("bad email: %v", f)
	}
	_, err = h.as(optionsv1.Role_ROLE_REPRESENTATIVE).AddInvitees(ctx, &eventsv1.AddInviteesRequest{AssemblyId: id, People: []*eventsv1.Person{person("X", "x@example.org", "")}})
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = h.coordinator.RemoveInvitees(ctx, &eventsv1.RemoveInviteesRequest{AssemblyId: "0190a1b2-0000-7000-8000-0000000000ff", Emails: []string{"x@example.org"}})
	testkit.WantCode(t, err, codes.NotFound)
	if a, err := h.coordinator.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: id}); err != nil || a.GetAssembly().GetSequence() != 2 || a.GetAssembly().GetInviteeCount() != 4 {
		t.Fatalf("bad input changed the assembly: %v %v", a, err)
	}

	// Once cancelled, or over, invitees no longer change.
	if _, err := h.coordinator.CancelAssembly(ctx, &eventsv1.CancelAssemblyRequest{AssemblyId: id}); err != nil {
		t.Fatal(err)
	}
	_, err = h.coordinator.AddInvitees(ctx, &eventsv1.AddInviteesRequest{AssemblyId: id, People: []*eventsv1.Person{person("X", "x@example.org", "")}})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	past := time.Now().Add(-3 * time.Hour)
	over, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER, Title: "Over", TimeZone: "UTC",
		StartsAt: timestamppb.New(past), EndsAt: timestamppb.New(past.Add(time.Hour)),
		People: []*eventsv1.Person{person("Lea", "lea@example.org", "")},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.coordinator.RemoveInvitees(ctx, &eventsv1.RemoveInviteesRequest{AssemblyId: over.GetAssembly().GetId(), Emails: []string{"lea@example.org"}})
	testkit.WantCode(t, err, codes.FailedPrecondition)
}

// TestUpdateSaysWhatChanged: AssemblyUpdated names the fields that changed;
// an update that changes nothing publishes nothing and keeps SEQUENCE.
func TestUpdateSaysWhatChanged(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	start := time.Now().UTC().Truncate(time.Second).Add(5 * 24 * time.Hour)
	resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP, Title: "Open data", TimeZone: "Europe/Lisbon",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)), Place: &eventsv1.Place{HostCity: "Lisboa"},
		People: []*eventsv1.Person{person("Rui", "rui@example.org", "")},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()
	same := "Open data"
	up, err := h.coordinator.UpdateAssembly(ctx, &eventsv1.UpdateAssemblyRequest{AssemblyId: id, Title: &same, Place: &eventsv1.Place{HostCity: "Lisboa"}})
	if err != nil || up.GetAssembly().GetSequence() != 0 {
		t.Fatalf("no-op update: %v %v", up, err)
	}
	link := "https://meet.example.org/open-data"
	up, err = h.coordinator.UpdateAssembly(ctx, &eventsv1.UpdateAssemblyRequest{AssemblyId: id, Title: &same, OnlineUrl: &link,
		Place: &eventsv1.Place{HostCity: "Porto", Venue: "Câmara"}, ReplaceAgenda: true, Agenda: []*eventsv1.AgendaItem{{Title: "Portal"}}})
	if err != nil || up.GetAssembly().GetSequence() != 1 {
		t.Fatalf("update: %v %v", up, err)
	}
	ev := published(t, h, "events.assembly.updated", 1, byAssembly[*eventsv1.AssemblyUpdated](id),
		func() *eventsv1.AssemblyUpdated { return &eventsv1.AssemblyUpdated{} })[0]
	if !slices.Equal(ev.GetChanged(), []string{"place", "online_url", "agenda"}) || ev.GetAssembly().GetSequence() != 1 || len(ev.GetInvitations()) != 1 {
		t.Errorf("updated %v", ev)
	}
}

// TestMinutesEventCarriesInvitees: the minutes event carries the assembly
// and every invitee (also those who declined), so notification can write
// to them without asking.
func TestMinutesEventCarriesInvitees(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	past := time.Now().UTC().Truncate(time.Second).Add(-5 * time.Hour)
	resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_COORDINATION_TEAM, Title: "Team", TimeZone: "America/Maceio",
		StartsAt: timestamppb.New(past), EndsAt: timestamppb.New(past.Add(time.Hour)),
		People: []*eventsv1.Person{person("Rui", "rui@example.org", ""), person("Ana", "ana@example.org", "Europe/Lisbon")},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()
	if _, err := h.coordinator.PublishMinutes(ctx, &eventsv1.PublishMinutesRequest{AssemblyId: id, Text: "We met.", Outcomes: []string{"Plan adopted"}}); err != nil {
		t.Fatal(err)
	}
	ev := published(t, h, "events.assembly.minutes_published", 1,
		func(e *eventsv1.AssemblyMinutesPublished) bool { return e.GetAssemblyId() == id },
		func() *eventsv1.AssemblyMinutesPublished { return &eventsv1.AssemblyMinutesPublished{} })[0]
	if ev.GetAssembly().GetId() != id || ev.GetAssembly().GetMinutes() != nil || ev.GetMinutes().GetText() != "We met." ||
		!slices.Equal(inviteeEmails(ev.GetInvitations()), []string{"ana@example.org", "rui@example.org"}) {
		t.Errorf("minutes event %v", ev)
	}
}
