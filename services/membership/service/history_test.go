package service_test

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// TestMemberStatusHistory: GetMember tells how a member's status came to
// be — coordinators see who and why, everyone else only what and when.
func TestMemberStatusHistory(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	ana := h.as("ana.coordinator@example.org", optionsv1.Role_ROLE_COORDINATOR, "")
	bo := h.as("bo.coordinator@example.org", optionsv1.Role_ROLE_COORDINATOR, "")

	created, err := ana.CreateMember(ctx, cityReq("Lyon", "FR"))
	if err != nil {
		t.Fatal(err)
	}
	id := created.GetMember().GetId()
	if _, err := bo.SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: id, Reason: "Dues unpaid since 2025"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ana.ReadmitMember(ctx, &membershipv1.ReadmitMemberRequest{MemberId: id, Reason: "Dues paid"}); err != nil {
		t.Fatal(err)
	}
	// An edit is not a status change.
	upd := edit(created.GetMember())
	upd.Region = "Auvergne-Rhône-Alpes"
	if _, err := ana.UpdateMember(ctx, upd); err != nil {
		t.Fatal(err)
	}

	type step struct {
		from, to   membershipv1.MemberStatus
		by, reason string
	}
	const (
		none      = membershipv1.MemberStatus_MEMBER_STATUS_UNSPECIFIED
		member    = membershipv1.MemberStatus_MEMBER_STATUS_MEMBER
		suspended = membershipv1.MemberStatus_MEMBER_STATUS_SUSPENDED
	)
	history := func(c membershipv1.MembershipServiceClient) ([]step, string) {
		t.Helper()
		resp, err := c.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: id})
		if err != nil {
			t.Fatal(err)
		}
		var out []step
		for i, s := range resp.GetHistory() {
			if s.GetAt() == nil || (i > 0 && s.GetAt().AsTime().Before(resp.GetHistory()[i-1].GetAt().AsTime())) {
				t.Errorf("step %d at %v", i, s.GetAt())
			}
			out = append(out, step{s.GetFrom(), s.GetTo(), s.GetBy(), s.GetReason()})
		}
		raw, _ := protojson.Marshal(resp)
		return out, string(raw)
	}

	full, _ := history(h.coordinator)
	want := []step{
		{none, member, "ana.coordinator@example.org", "recorded on the register"},
		{member, suspended, "bo.coordinator@example.org", "Dues unpaid since 2025"},
		{suspended, member, "ana.coordinator@example.org", "Dues paid"},
	}
	if !slices.Equal(full, want) {
		t.Fatalf("coordinator's history %v, want %v", full, want)
	}
	for _, c := range []struct {
		who    string
		client membershipv1.MembershipServiceClient
	}{
		{"public", h.anonymous},
		{"the member's representative", h.as("rep@example.org", optionsv1.Role_ROLE_REPRESENTATIVE, id)},
	} {
		got, raw := history(c.client)
		var wantPublic []step
		for _, s := range want {
			wantPublic = append(wantPublic, step{from: s.from, to: s.to})
		}
		if !slices.Equal(got, wantPublic) {
			t.Errorf("%s sees %v, want %v", c.who, got, wantPublic)
		}
		for _, secret := range []string{"@", "coordinator", "Dues"} {
			if strings.Contains(raw, secret) {
				t.Errorf("%s's GetMember contains %q: %s", c.who, secret, raw)
			}
		}
	}
	// The directory lists no history at all.
	list, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := protojson.Marshal(list); strings.Contains(string(raw), "@") || strings.Contains(string(raw), "Dues") {
		t.Errorf("directory: %s", raw)
	}
}

// TestApprovalHistory: a member that joined through an application, and
// the application itself, record each step with who and why.
func TestApprovalHistory(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	reviewer := h.as("carla.coordinator", optionsv1.Role_ROLE_COORDINATOR, "")

	id := reviewed(t, h, applicationReq("Ghent", "BE"))
	approved, err := reviewer.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id})
	if err != nil {
		t.Fatal(err)
	}
	got, err := h.coordinator.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: approved.GetMember().GetId()})
	if err != nil {
		t.Fatal(err)
	}
	hist := got.GetHistory()
	if len(hist) != 1 || hist[0].GetTo() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER || hist[0].GetBy() != "carla.coordinator" ||
		!strings.Contains(hist[0].GetReason(), id) {
		t.Fatalf("member history %v", hist)
	}

	rej := reviewed(t, h, applicationReq("Bruges", "BE"))
	if _, err := reviewer.RejectApplication(ctx, &membershipv1.RejectApplicationRequest{ApplicationId: rej, Reason: "No resolution yet."}); err != nil {
		t.Fatal(err)
	}
	ap, err := h.coordinator.GetApplication(ctx, &membershipv1.GetApplicationRequest{ApplicationId: rej})
	if err != nil {
		t.Fatal(err)
	}
	steps := ap.GetApplication().GetHistory()
	last := steps[len(steps)-1]
	if len(steps) != 4 || last.GetFrom() != membershipv1.ApplicationStatus_APPLICATION_STATUS_UNDER_REVIEW ||
		last.GetTo() != membershipv1.ApplicationStatus_APPLICATION_STATUS_REJECTED || last.GetBy() != "carla.coordinator" ||
		last.GetReason() != "No resolution yet." || last.GetAt() == nil {
		t.Fatalf("application history %v", steps)
	}
}
