package service_test

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// TestDirectoryByPrinciple: the directory filters by principle (with the
// other filters, across pages), and what it shows holds no personal data
// even when the members have representatives and applications.
func TestDirectoryByPrinciple(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	const (
		privacy      = membershipv1.Principle_PRINCIPLE_PRIVACY
		openStds     = membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS
		transparency = membershipv1.Principle_PRINCIPLE_TRANSPARENCY
	)

	ids := map[string]string{}
	for _, c := range []struct {
		name, country string
		principles    []membershipv1.Principle
	}{
		{"Amsterdam", "NL", []membershipv1.Principle{transparency}},
		{"Barcelona", "ES", []membershipv1.Principle{openStds, transparency}},
		{"Zaragoza", "ES", []membershipv1.Principle{privacy}},
		{"Vienna", "AT", nil},
	} {
		r := cityReq(c.name, c.country)
		r.Principles = c.principles
		resp, err := h.coordinator.CreateMember(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids[c.name] = resp.GetMember().GetId()
		addRep(t, h.coordinator, ids[c.name], rep("Fictional Person of "+c.name, strings.ToLower(c.name)+"@example.org", political))
	}
	// Through an application: Transparency and Open standards from its policies.
	id := reviewed(t, h, applicationReq("Valencia", "ES"))
	if _, err := h.coordinator.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id}); err != nil {
		t.Fatal(err)
	}
	// Vienna's representative adds privacy to its principles.
	got, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: ids["Vienna"]})
	if err != nil {
		t.Fatal(err)
	}
	upd := edit(got.GetMember())
	upd.Principles = []membershipv1.Principle{privacy}
	if _, err := h.coordinator.UpdateMember(ctx, upd); err != nil {
		t.Fatal(err)
	}

	list := func(req *membershipv1.ListMembersRequest) ([]string, string) {
		t.Helper()
		var names []string
		var raw strings.Builder
		for {
			resp, err := h.anonymous.ListMembers(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := protojson.Marshal(resp)
			raw.Write(b)
			for _, m := range resp.GetMembers() {
				names = append(names, m.GetName())
			}
			if req.PageToken = resp.GetNextPageToken(); req.PageToken == "" {
				return names, raw.String()
			}
		}
	}
	for _, c := range []struct {
		req  *membershipv1.ListMembersRequest
		want []string
	}{
		{&membershipv1.ListMembersRequest{Principle: transparency}, []string{"Amsterdam", "Barcelona", "Valencia"}},
		{&membershipv1.ListMembersRequest{Principle: transparency, PageSize: 1}, []string{"Amsterdam", "Barcelona", "Valencia"}},
		{&membershipv1.ListMembersRequest{Principle: transparency, Country: "ES"}, []string{"Barcelona", "Valencia"}},
		{&membershipv1.ListMembersRequest{Principle: privacy}, []string{"Vienna", "Zaragoza"}},
		{&membershipv1.ListMembersRequest{Principle: membershipv1.Principle_PRINCIPLE_PARTICIPATION}, nil},
		{&membershipv1.ListMembersRequest{Region: "Somewhere"}, []string{"Valencia"}},
	} {
		got, raw := list(c.req)
		if !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.req, got, c.want)
		}
		for _, secret := range []string{"@", "Fictional", "Alex Example"} {
			if strings.Contains(raw, secret) {
				t.Errorf("directory %v contains %q", c.req, secret)
			}
		}
	}
	_, err = h.anonymous.ListMembers(ctx, &membershipv1.ListMembersRequest{Principle: 9})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "principle") {
		t.Fatalf("violations %v", f)
	}
}
