package service_test

import (
	"testing"

	"google.golang.org/grpc/codes"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// TestRepresentativeTokenNeedsCurrentRepresentative: a representative's
// token acts for its member only while its subject is a current
// representative of that member (by id or address). Once removed, the
// token they still hold changes and lists nothing.
func TestRepresentativeTokenNeedsCurrentRepresentative(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	m, err := h.coordinator.CreateMember(ctx, cityReq("Braga", "PT"))
	if err != nil {
		t.Fatal(err)
	}
	memberID := m.GetMember().GetId()
	other, err := h.coordinator.CreateMember(ctx, cityReq("Coimbra", "PT"))
	if err != nil {
		t.Fatal(err)
	}
	rui := addRep(t, h.coordinator, memberID, rep("Fictional Rui Exemplo", "rui@example.org", political))
	eva := addRep(t, h.coordinator, other.GetMember().GetId(), rep("Fictional Eva Modelo", "eva@example.org", political))
	list := &membershipv1.ListRepresentativesRequest{MemberId: memberID}

	for name, c := range map[string]membershipv1.MembershipServiceClient{
		"by id":      h.as(rui.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
		"by address": h.as("RUI@example.org", optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
	} {
		if _, err := c.ListRepresentatives(ctx, list); err != nil {
			t.Fatalf("current representative %s: %v", name, err)
		}
	}
	// Refused: a subject that is no representative, an unknown
	// representative id, another member's representative (by id or address).
	for _, c := range []membershipv1.MembershipServiceClient{
		h.as("someone", optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
		h.as("018f0000-0000-7000-8000-000000000000", optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
		h.as(eva.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
		h.as("eva@example.org", optionsv1.Role_ROLE_REPRESENTATIVE, memberID),
	} {
		_, err := c.ListRepresentatives(ctx, list)
		testkit.WantCode(t, err, codes.PermissionDenied)
		_, err = c.UpdateMember(ctx, edit(m.GetMember()))
		testkit.WantCode(t, err, codes.PermissionDenied)
	}

	// Removed: the token Rui still holds no longer works.
	ofBraga := h.as(rui.GetId(), optionsv1.Role_ROLE_REPRESENTATIVE, memberID)
	if _, err := h.coordinator.RemoveRepresentative(ctx, &membershipv1.RemoveRepresentativeRequest{MemberId: memberID, RepresentativeId: rui.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = ofBraga.ListRepresentatives(ctx, list)
	testkit.WantCode(t, err, codes.PermissionDenied)
	req := edit(m.GetMember())
	req.Region = "Minho"
	_, err = ofBraga.UpdateMember(ctx, req)
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = ofBraga.AddRepresentative(ctx, &membershipv1.AddRepresentativeRequest{MemberId: memberID, Representative: rep("Fictional Ana Nova", "ana@example.org", political)})
	testkit.WantCode(t, err, codes.PermissionDenied)
	got, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: memberID})
	if err != nil || got.GetMember().GetRegion() != "" {
		t.Fatalf("a removed representative's edit changed the member: %v %v", got, err)
	}
	if reps, err := h.coordinator.ListRepresentatives(ctx, list); err != nil || len(reps.GetRepresentatives()) != 0 {
		t.Fatalf("representatives after removal: %v %v", reps, err)
	}
}
