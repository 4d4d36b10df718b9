package service_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/events/internal/app"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// fannedOut waits until the events on subject for assembly id carry an
// invitation for each of want people, and checks each person is in exactly
// one event and every event stays within the size budget. It returns how
// many events there were.
func fannedOut(t *testing.T, h *harness, subject, id string, want int, msg func() interface {
	proto.Message
	GetInvitations() []*eventsv1.Invitation
}) int {
	t.Helper()
	_, js := h.env.JetStream(t)
	var events, people int
	// Generous: megabytes of events go through the embedded store and the relay,
	// slow on a loaded CI machine; the test is about sizes, not speed.
	testkit.Eventually(t, 3*time.Minute, func() (bool, error) {
		seen := map[string]int{}
		events, people = 0, 0
		for _, m := range testkit.StreamMessages(t, js, broker.StreamName(service.Name), subject) {
			ev, err := broker.EventFromMsg(m.Subject(), m.Headers(), m.Data())
			if err != nil {
				return false, err
			}
			v := msg()
			if err := ev.Decode(v); err != nil {
				return false, err
			}
			if !strings.Contains(string(m.Data()), id) {
				continue
			}
			if n := len(m.Data()); n > app.MaxEventBytes {
				t.Fatalf("%s event of %d bytes, over %d", subject, n, app.MaxEventBytes)
			}
			if n := len(v.GetInvitations()); n > app.MaxInvitationsPerEvent {
				t.Fatalf("%s event with %d invitations", subject, n)
			}
			events++
			for _, inv := range v.GetInvitations() {
				seen[inv.GetInvitee().GetEmail()]++
				people++
			}
		}
		for e, n := range seen {
			if n != 1 {
				t.Fatalf("%s: %s in %d events", subject, e, n)
			}
		}
		return people >= want, nil
	})
	if people != want {
		t.Fatalf("%s: %d invitations, want %d", subject, people, want)
	}
	return events
}

// An assembly at every bound of the contract (1 000 invitees, a full
// agenda, the longest minutes) is announced in several events, each under
// NATS's 1 MB, each invitee in exactly one of them.
func TestLargestAssemblyIsSplitUnderTheMessageSize(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	body := "0190a1b2-0000-7000-8000-00000000f001"
	var people []*membershipv1.BodyMember
	for i := range 1000 {
		people = append(people, &membershipv1.BodyMember{
			RepresentativeId: fmt.Sprintf("0190a1b2-0000-7000-8000-%012d", i),
			Name:             strings.Repeat("N", 190) + fmt.Sprint(i), Email: fmt.Sprintf("%s%04d@example.org", strings.Repeat("e", 200), i),
			Language: "pt-BR", TimeZone: "America/Argentina/ComodRivadavia",
		})
	}
	h.membership.setBody(body, people...)
	agenda := make([]*eventsv1.AgendaItem, 100)
	for i := range agenda {
		agenda[i] = &eventsv1.AgendaItem{Title: strings.Repeat("t", 200), Description: strings.Repeat("d", 2000), Minutes: 30}
	}
	start := time.Now().UTC().Add(-72 * time.Hour).Truncate(time.Second)
	resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_ANNUAL_CONFERENCE, Title: strings.Repeat("T", 200), TimeZone: "Europe/Madrid",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(8 * time.Hour)),
		Description: strings.Repeat("D", 10000), Agenda: agenda, BodyIds: []string{body},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()
	if n := resp.GetAssembly().GetInviteeCount(); n != 1000 {
		t.Fatalf("%d invitees", n)
	}
	type withInvitations = interface {
		proto.Message
		GetInvitations() []*eventsv1.Invitation
	}
	if n := fannedOut(t, h, "events.assembly.invited", id, 1000, func() withInvitations { return &eventsv1.AssemblyInvited{} }); n < 5 {
		t.Errorf("%d invitation events, want at least 1000/%d", n, app.MaxInvitationsPerEvent)
	}

	outcomes := make([]string, 100)
	for i := range outcomes {
		outcomes[i] = strings.Repeat("o", 2000)
	}
	if _, err := h.coordinator.PublishMinutes(ctx, &eventsv1.PublishMinutesRequest{
		AssemblyId: id, Text: strings.Repeat("m", 100000), Outcomes: outcomes,
	}); err != nil {
		t.Fatal(err)
	}
	if n := fannedOut(t, h, "events.assembly.minutes_published", id, 1000, func() withInvitations { return &eventsv1.AssemblyMinutesPublished{} }); n < 5 {
		t.Errorf("%d minutes events", n)
	}
}

// Texts within the contract's character bounds but too many bytes to
// announce are refused with a field violation, and nothing changes.
func TestAssemblyTooLargeToAnnounceIsRefused(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	huge := make([]*eventsv1.AgendaItem, 100)
	for i := range huge {
		huge[i] = &eventsv1.AgendaItem{Title: "Point", Description: strings.Repeat("𝄞", 2000)} // 8 000 bytes each
	}
	start := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(time.Second)
	req := &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER, Title: "Too much", TimeZone: "Europe/Madrid",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)), Agenda: huge,
		People: []*eventsv1.Person{person("Ana", "ana@example.org", "Europe/Lisbon")},
	}
	_, err := h.coordinator.ScheduleAssembly(ctx, req)
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"agenda"}) {
		t.Fatalf("violations %v", f)
	}
	list, err := h.coordinator.ListAssemblies(ctx, &eventsv1.ListAssembliesRequest{})
	if err != nil || len(list.GetAssemblies()) != 0 {
		t.Fatalf("stored after refusal: %v %v", list, err)
	}

	req.Agenda = nil
	ok, err := h.coordinator.ScheduleAssembly(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	id := ok.GetAssembly().GetId()
	_, err = h.coordinator.UpdateAssembly(ctx, &eventsv1.UpdateAssemblyRequest{AssemblyId: id, Agenda: huge, ReplaceAgenda: true})
	if f := testkit.FieldViolations(t, err); !slices.Equal(f, []string{"agenda"}) {
		t.Fatalf("update violations %v", f)
	}
	got, err := h.coordinator.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: id})
	if err != nil || got.GetAssembly().GetSequence() != 0 || len(got.GetAssembly().GetAgenda()) != 0 {
		t.Fatalf("changed after refusal: %v %v", got, err)
	}
}
