package service_test

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// Each person gets a private feed URL with their first invitation; it lists
// every assembly they are invited to, public or not, and nobody else's.
func TestPersonalFeed(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	start := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	schedule := func(title string, at time.Time, people ...*eventsv1.Person) string {
		t.Helper()
		resp, err := h.coordinator.ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
			Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP, Title: title, TimeZone: "Europe/Lisbon",
			StartsAt: timestamppb.New(at), EndsAt: timestamppb.New(at.Add(time.Hour)), People: people,
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetAssembly().GetId()
	}
	invitations := func(id string) map[string]*eventsv1.Invitation {
		ev := published(t, h, "events.assembly.invited", 1, byAssembly[*eventsv1.AssemblyInvited](id), func() *eventsv1.AssemblyInvited { return &eventsv1.AssemblyInvited{} })[0]
		out := map[string]*eventsv1.Invitation{}
		for _, i := range ev.GetInvitations() {
			out[i.GetInvitee().GetEmail()] = i
		}
		return out
	}
	first := schedule("First", start, person("Ana", "ana@example.org", ""), person("Bob", "bob@example.org", ""))
	second := schedule("Second", start.Add(24*time.Hour), person("Ana", "ANA@example.org", ""), person("Cy", "cy@example.org", ""))

	inv1, inv2 := invitations(first), invitations(second)
	anaURL := inv1["ana@example.org"].GetFeedUrl()
	if !strings.HasPrefix(anaURL, "https://coalition.example/calendars/") || !strings.HasSuffix(anaURL, ".ics") ||
		inv1["bob@example.org"].GetFeedUrl() == "" || inv2["ANA@example.org"].GetFeedUrl() != "" || inv2["cy@example.org"].GetFeedUrl() == "" {
		t.Fatalf("feed urls: %v / %v", inv1, inv2)
	}
	feed := func(url string) ([]string, error) {
		token := strings.TrimSuffix(url[strings.LastIndex(url, "/")+1:], ".ics")
		resp, err := h.anonymous.GetPersonalCalendar(ctx, &eventsv1.GetPersonalCalendarRequest{FeedToken: token})
		if err != nil {
			return nil, err
		}
		cal, err := ics.ParseCalendar(strings.NewReader(resp.GetIcs()))
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, e := range cal.Events() {
			titles = append(titles, e.GetProperty(ics.ComponentPropertySummary).Value)
		}
		return titles, nil
	}
	if got, err := feed(anaURL); err != nil || strings.Join(got, ",") != "First,Second" {
		t.Fatalf("Ana's feed %v (%v)", got, err)
	}
	if got, err := feed(inv1["bob@example.org"].GetFeedUrl()); err != nil || strings.Join(got, ",") != "First" {
		t.Fatalf("Bob's feed %v (%v)", got, err)
	}
	// A coordinator issues Ana a new URL: the old one stops working.
	issued, err := h.coordinator.IssueFeedToken(ctx, &eventsv1.IssueFeedTokenRequest{Email: "Ana@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = feed(anaURL)
	testkit.WantCode(t, err, codes.NotFound)
	if got, err := feed(issued.GetFeedUrl()); err != nil || len(got) != 2 {
		t.Fatalf("Ana's new feed %v (%v)", got, err)
	}
	_, err = feed("https://x/calendars/" + strings.Repeat("a", 43) + ".ics")
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.anonymous.IssueFeedToken(ctx, &eventsv1.IssueFeedTokenRequest{Email: "ana@example.org"})
	testkit.WantCode(t, err, codes.Unauthenticated)
}
