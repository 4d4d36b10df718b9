package service_test

import (
	"strings"
	"testing"
	"time"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// Invitations stored before they recorded representative ids (a body's
// people listed without them, as membership did then) get them when the
// service starts again, so representatives find those assemblies among
// their invitations; nobody is told, SEQUENCE stays.
func TestRepresentativeIDsBackfilledAtStart(t *testing.T) {
	t.Parallel()
	h := startWithReps(t)
	ctx := testkit.Context(t)
	h.membership.setBody(boardBody,
		&membershipv1.BodyMember{Name: "Ana", Email: "ana@example.org", TimeZone: "America/Sao_Paulo"},
		&membershipv1.BodyMember{Name: "Ben", Email: "ben@example.org", TimeZone: "Europe/Madrid"},
	)
	r := meeting("Old board", time.Now().UTC().Add(72*time.Hour).Truncate(time.Second), "Europe/Amsterdam", false)
	r.BodyIds = []string{boardBody}
	r.People = []*eventsv1.Person{person("Cai", "cai@example.org", "Asia/Tokyo")}
	resp, err := h.coordinator.ScheduleAssembly(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetAssembly().GetId()
	mine := func(rep string) []*eventsv1.MyInvitation {
		t.Helper()
		l, err := h.rep(t, rep, optionsv1.Role_ROLE_REPRESENTATIVE).ListMyInvitations(ctx, &eventsv1.ListMyInvitationsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return l.GetInvitations()
	}
	if got := mine(repAnaID); len(got) != 0 {
		t.Fatalf("before: %v", got)
	}

	// Membership now knows them as representatives (Cai sits on no body).
	h.membership.setBody(boardBody,
		&membershipv1.BodyMember{RepresentativeId: repAnaID, Name: "Ana", Email: "ANA@example.org", TimeZone: "America/Sao_Paulo"},
		&membershipv1.BodyMember{RepresentativeId: repBenID, Name: "Ben", Email: "ben@example.org", TimeZone: "Europe/Madrid"},
	)
	h.stop(t)
	h.serve(t, h.cfg)
	testkit.Eventually(t, 10*time.Second, func() (bool, error) { return len(mine(repAnaID)) == 1, nil })
	if got := mine(repBenID); len(got) != 1 || got[0].GetAssembly().GetId() != id || got[0].GetTimes().GetEmail() != "ben@example.org" {
		t.Fatalf("Ben's invitations %v", got)
	}
	if got := mine(repCaiID); len(got) != 0 {
		t.Fatalf("Cai's invitations %v", got)
	}
	a, err := h.coordinator.GetAssembly(ctx, &eventsv1.GetAssemblyRequest{AssemblyId: id})
	if err != nil || a.GetAssembly().GetSequence() != 0 {
		t.Fatalf("assembly %v %v", a, err)
	}
	settle(t, h.harness)
	published(t, h.harness, "events.assembly.invited", 1, byAssembly[*eventsv1.AssemblyInvited](id), func() *eventsv1.AssemblyInvited { return &eventsv1.AssemblyInvited{} })
	for _, subject := range []string{"events.assembly.updated", "events.assembly.rescheduled", "events.assembly.invitees_added"} {
		_, js := h.env.JetStream(t)
		for _, m := range testkit.StreamMessages(t, js, broker.StreamName(service.Name), subject) {
			if strings.Contains(string(m.Data()), id) {
				t.Errorf("%s published for the backfill", subject)
			}
		}
	}
}
