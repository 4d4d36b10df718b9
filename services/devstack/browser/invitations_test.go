package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// scheduleForCoordinationTeam schedules, through the coordinators' gRPC
// API, a closed meeting of the demo Executive Coordination Team (the demo
// representative, Porto's, sits on it) planned in Maceió time, ten days
// ahead, and returns its id.
func scheduleForCoordinationTeam(t *testing.T, title string) string {
	t.Helper()
	token, err := shared.Token("browser-tests", optionsv1.Role_ROLE_COORDINATOR, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dial := func(addr string) *grpc.ClientConn {
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithPerRPCCredentials(auth.BearerToken(token)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		return conn
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	bodies, err := membershipv1.NewMembershipServiceClient(dial(shared.Addresses().Membership)).ListBodies(ctx, &membershipv1.ListBodiesRequest{})
	if err != nil {
		t.Fatalf("list bodies: %v", err)
	}
	team := ""
	for _, b := range bodies.GetBodies() {
		if b.GetName() == "Executive Coordination Team" {
			team = b.GetId()
		}
	}
	if team == "" {
		t.Fatal("the demo data has no Executive Coordination Team")
	}
	start := time.Now().Add(10 * 24 * time.Hour).Truncate(time.Hour)
	resp, err := eventsv1.NewEventsServiceClient(dial(shared.Addresses().Events)).ScheduleAssembly(ctx, &eventsv1.ScheduleAssemblyRequest{
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_COORDINATION_TEAM, Title: title, TimeZone: "America/Maceio",
		StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(time.Hour)), BodyIds: []string{team},
		OnlineUrl: "https://meet.example.org/ccdr-coordination-team",
	})
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	return resp.GetAssembly().GetId()
}

// TestRepresentativeAnswersInvitation: a coordinator schedules a closed
// meeting of a body the demo representative sits on; the representative
// signs in, finds it under Your invitations with the times in their own
// zone (Lisbon) and the planning zone (Maceió), and accepts it with one
// click; the coordinator then sees the acceptance on the assembly's page.
// Both pages pass axe-core and are kept as screenshots.
func TestRepresentativeAnswersInvitation(t *testing.T) {
	const title = "Coordination Team call (invitation test)"
	id := scheduleForCoordinationTeam(t, title)
	card := "#invitation-" + id

	rep := newTab(t)
	rep.open(t, "/console/sign-in", http.StatusOK)
	signInWithMouse(t, rep, consoleLogin(t, "representative"))
	rep.navigateBy(t, "open Your invitations", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="/console/invitations"]`)))
	consolePage(t, rep, "rep-invitations", "Your invitations")
	got := rep.text(t, card)
	for _, want := range []string{title, "closed meeting", "Executive Coordination Team", "Your time (Europe/Lisbon)",
		"Planned in America/Maceio", "No answer yet"} {
		if !strings.Contains(got, want) {
			t.Errorf("the invitation lacks %q:\n%s", want, got)
		}
	}

	rep.navigateBy(t, "accept", http.StatusOK, chromedp.Click(chromedp.CSS(card+` button[value="accepted"]`)))
	if got := rep.text(t, ".flash"); got != "Your answer to “"+title+"” is recorded: accepted." {
		t.Errorf("after accepting the page says %q", got)
	}
	consolePage(t, rep, "rep-invitation-accepted", "Your invitations")
	if got := rep.text(t, card+" .answer"); !strings.HasPrefix(got, "Accepted") {
		t.Errorf("the answer shown is %q", got)
	}
	if eval[bool](t, rep, `document.querySelector('`+card+` button[value="accepted"]') !== null`) {
		t.Error("Accept is still offered after accepting")
	}

	coord := newTab(t)
	coord.open(t, "/console/sign-in", http.StatusOK)
	signInWithMouse(t, coord, consoleLogin(t, "coordinator"))
	coord.open(t, "/console/assemblies/"+id, http.StatusOK)
	coord.heading(t, title)
	row := eval[string](t, coord, `(Array.from(document.querySelectorAll("table tbody tr")).find(r => r.textContent.includes("porto.political@example.org")) || {}).textContent || ""`)
	if !strings.Contains(row, "Accepted") {
		t.Errorf("the coordinator does not see the acceptance; Porto's row: %q", row)
	}
	if got := coord.text(t, "main"); !strings.Contains(got, "1 accepted") {
		t.Errorf("the assembly's counts do not include the acceptance:\n%s", got)
	}
	// The closed meeting is in the coordinators' list too.
	coord.navigateBy(t, "open Assemblies", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="/console/assemblies"]`)))
	if !eval[bool](t, coord, `document.querySelector('main a[href="/console/assemblies/`+id+`"]') !== null`) {
		t.Error("the closed meeting is not in the coordinators' list of assemblies")
	}
}
