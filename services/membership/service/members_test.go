package service_test

import (
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func TestMemberLifecycle(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	created, err := h.coordinator.CreateMember(ctx, cityReq("Lyon", "FR"))
	if err != nil {
		t.Fatal(err)
	}
	id := created.GetMember().GetId()

	_, err = h.anonymous.SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: id})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.as("rep@example.org", optionsv1.Role_ROLE_REPRESENTATIVE, id).SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: id})
	testkit.WantCode(t, err, codes.PermissionDenied)

	_, err = h.coordinator.ReadmitMember(ctx, &membershipv1.ReadmitMemberRequest{MemberId: id})
	wantPrecondition(t, err, "cannot re-admit Lyon: it is member")

	steps := []struct {
		call func() (*membershipv1.Member, error)
		want membershipv1.MemberStatus
	}{
		{func() (*membershipv1.Member, error) {
			r, err := h.coordinator.SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: id, Reason: "dues"})
			return r.GetMember(), err
		}, membershipv1.MemberStatus_MEMBER_STATUS_SUSPENDED},
		{func() (*membershipv1.Member, error) {
			r, err := h.coordinator.ReadmitMember(ctx, &membershipv1.ReadmitMemberRequest{MemberId: id})
			return r.GetMember(), err
		}, membershipv1.MemberStatus_MEMBER_STATUS_MEMBER},
		{func() (*membershipv1.Member, error) {
			r, err := h.coordinator.WithdrawMember(ctx, &membershipv1.WithdrawMemberRequest{MemberId: id})
			return r.GetMember(), err
		}, membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN},
	}
	for i, s := range steps {
		m, err := s.call()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if m.GetStatus() != s.want {
			t.Fatalf("step %d: status %s, want %s", i, m.GetStatus(), s.want)
		}
	}
	_, err = h.coordinator.WithdrawMember(ctx, &membershipv1.WithdrawMemberRequest{MemberId: id})
	wantPrecondition(t, err, "cannot withdraw Lyon: it is withdrawn")
	_, err = h.coordinator.SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: id})
	wantPrecondition(t, err, "cannot suspend Lyon: it is withdrawn")
	_, err = h.coordinator.SuspendMember(ctx, &membershipv1.SuspendMemberRequest{MemberId: "018f0000-0000-7000-8000-000000000000"})
	testkit.WantCode(t, err, codes.NotFound)

	sus := published(t, h, "membership.city.suspended", 1, func() *membershipv1.CitySuspended { return &membershipv1.CitySuspended{} },
		func(e *membershipv1.CitySuspended) bool { return e.GetMember().GetId() == id })
	if sus[0].GetMember().GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_SUSPENDED || sus[0].GetReason() != "dues" {
		t.Errorf("suspended event %v", sus[0])
	}
	re := published(t, h, "membership.city.readmitted", 1, func() *membershipv1.CityReadmitted { return &membershipv1.CityReadmitted{} },
		func(e *membershipv1.CityReadmitted) bool { return e.GetMember().GetId() == id })
	if re[0].GetMember().GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER {
		t.Errorf("readmitted event %v", re[0])
	}
	wd := published(t, h, "membership.city.withdrawn", 1, func() *membershipv1.CityWithdrawn { return &membershipv1.CityWithdrawn{} },
		func(e *membershipv1.CityWithdrawn) bool { return e.GetMember().GetId() == id })
	if wd[0].GetMember().GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN {
		t.Errorf("withdrawn event %v", wd[0])
	}
}

func TestDirectoryFiltersAndPrinciples(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	for _, r := range []*membershipv1.CreateMemberRequest{cityReq("Lyon", "FR"), cityReq("Grenoble", "FR"), cityReq("Milan", "IT")} {
		if r.GetName() == "Milan" {
			r.Region = "Lombardy"
		}
		if _, err := h.coordinator.CreateMember(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	network := cityReq("Bordeaux Métropole", "FR")
	network.Kind = membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK
	if _, err := h.coordinator.CreateMember(ctx, network); err != nil {
		t.Fatal(err)
	}
	id := reviewed(t, h, applicationReq("Turin", "IT"))
	if _, err := h.coordinator.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id}); err != nil {
		t.Fatal(err)
	}

	names := func(req *membershipv1.ListMembersRequest) []string {
		t.Helper()
		resp, err := h.anonymous.ListMembers(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range resp.GetMembers() {
			out = append(out, m.GetName())
		}
		return out
	}
	for _, c := range []struct {
		req  *membershipv1.ListMembersRequest
		want []string
	}{
		{&membershipv1.ListMembersRequest{Country: "FR"}, []string{"Bordeaux Métropole", "Grenoble", "Lyon"}},
		{&membershipv1.ListMembersRequest{Country: "FR", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY}, []string{"Grenoble", "Lyon"}},
		{&membershipv1.ListMembersRequest{Region: "Lombardy"}, []string{"Milan"}},
		{&membershipv1.ListMembersRequest{Country: "IT", PageSize: 1}, []string{"Milan"}},
		{&membershipv1.ListMembersRequest{Kind: membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK}, []string{"Bordeaux Métropole"}},
		{&membershipv1.ListMembersRequest{Country: "DE"}, nil},
	} {
		if got := names(c.req); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.req, got, c.want)
		}
	}
	// Pages keep the filter.
	first, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{Country: "FR", PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	rest, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{Country: "FR", PageSize: 2, PageToken: first.GetNextPageToken()})
	if err != nil || len(rest.GetMembers()) != 1 || rest.GetMembers()[0].GetName() != "Lyon" {
		t.Fatalf("second page %v %v", rest, err)
	}

	// The approved application's principles are public; its contact is not.
	resp, err := h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{Country: "IT"})
	if err != nil {
		t.Fatal(err)
	}
	var turin *membershipv1.Member
	for _, m := range resp.GetMembers() {
		if m.GetName() == "Turin" {
			turin = m
		}
	}
	if turin == nil || len(turin.GetPrinciples()) != 3 {
		t.Fatalf("turin %v", turin)
	}
	raw, _ := protojson.Marshal(resp)
	for _, secret := range []string{"alex@example.org", "Alex Example", "@"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("public directory contains %q: %s", secret, raw)
		}
	}
	_, err = h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{Country: "fr"})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "country") {
		t.Fatalf("violations %v", f)
	}
	if n, err := h.db.Collection("members").CountDocuments(ctx, bson.D{}); err != nil || n != 5 {
		t.Fatalf("%d members (err %v)", n, err)
	}
}
