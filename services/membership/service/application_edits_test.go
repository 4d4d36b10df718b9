package service_test

import (
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// draftEdit is an UpdateApplication request with the fields of req.
func draftEdit(id, token string, req *membershipv1.CreateApplicationRequest) *membershipv1.UpdateApplicationRequest {
	return &membershipv1.UpdateApplicationRequest{
		ApplicationId: id, ApplicantToken: token, City: req.GetCity(), Country: req.GetCountry(), Region: req.GetRegion(),
		Kind: req.GetKind(), Population: req.GetPopulation(), Contact: req.GetContact(), Language: req.GetLanguage(),
		Commitment: req.GetCommitment(), Policies: req.GetPolicies(),
	}
}

func TestEditDraftApplication(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	created, err := h.anonymous.CreateApplication(ctx, applicationReq("Gent", "BE"))
	if err != nil {
		t.Fatal(err)
	}
	id, token := created.GetApplication().GetId(), created.GetApplicantToken()
	stored := func() *membershipv1.Application {
		t.Helper()
		got, err := h.coordinator.GetApplication(ctx, &membershipv1.GetApplicationRequest{ApplicationId: id})
		if err != nil {
			t.Fatal(err)
		}
		return got.GetApplication()
	}
	unchanged := func(what string, want *membershipv1.Application) {
		t.Helper()
		if got := stored(); !proto.Equal(got, want) {
			t.Fatalf("%s changed the application:\n%v\nwas\n%v", what, got, want)
		}
	}

	// The applicant corrects the draft: the city's name, the contact, a policy more.
	fixed := applicationReq("  Ghent ", "BE")
	fixed.Region = "Flanders"
	fixed.Contact.Email = "alex.ghent@example.org"
	fixed.Policies = append(fixed.Policies, &membershipv1.Policy{Title: "Personal data vaults",
		Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_PRIVACY}})
	upd, err := h.anonymous.UpdateApplication(ctx, draftEdit(id, token, fixed))
	if err != nil {
		t.Fatal(err)
	}
	ap := upd.GetApplication()
	if ap.GetCity() != "Ghent" || ap.GetRegion() != "Flanders" || ap.GetContact().GetEmail() != "alex.ghent@example.org" ||
		len(ap.GetPolicies()) != 3 || ap.GetStatus() != membershipv1.ApplicationStatus_APPLICATION_STATUS_DRAFT ||
		len(ap.GetHistory()) != 1 || ap.GetId() != id {
		t.Fatalf("edited draft %v", ap)
	}
	draft := stored()
	if !proto.Equal(draft, ap) {
		t.Fatalf("stored %v, answered %v", draft, ap)
	}

	// Without the right token, or with bad input: refused, nothing changed.
	other, err := h.anonymous.CreateApplication(ctx, applicationReq("Bruges", "BE"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.anonymous.UpdateApplication(ctx, draftEdit(id, other.GetApplicantToken(), applicationReq("Hijacked", "BE")))
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = h.coordinator.UpdateApplication(ctx, draftEdit(id, "not-the-token", applicationReq("Hijacked", "BE")))
	testkit.WantCode(t, err, codes.PermissionDenied)
	for _, c := range []struct {
		name  string
		edit  func(r *membershipv1.UpdateApplicationRequest)
		field string
	}{
		{"no token", func(r *membershipv1.UpdateApplicationRequest) { r.ApplicantToken = "" }, "applicant_token"},
		{"blank city", func(r *membershipv1.UpdateApplicationRequest) { r.City = "  " }, "city"},
		{"bad email", func(r *membershipv1.UpdateApplicationRequest) { r.Contact.Email = "nope" }, "contact.email"},
		{"no policies", func(r *membershipv1.UpdateApplicationRequest) { r.Policies = nil }, "policies"},
		{"policy without principles", func(r *membershipv1.UpdateApplicationRequest) { r.Policies[0].Principles = nil }, "policies[0].principles"},
		{"a partner", func(r *membershipv1.UpdateApplicationRequest) { r.Kind = membershipv1.MemberKind_MEMBER_KIND_PARTNER }, "kind"},
		{"long region", func(r *membershipv1.UpdateApplicationRequest) { r.Region = strings.Repeat("r", 101) }, "region"},
		{"too many policies", func(r *membershipv1.UpdateApplicationRequest) {
			for range 50 {
				r.Policies = append(r.Policies, r.Policies[0])
			}
		}, "policies"},
	} {
		r := draftEdit(id, token, applicationReq("Ghent", "BE"))
		c.edit(r)
		_, err := h.anonymous.UpdateApplication(ctx, r)
		if f := testkit.FieldViolations(t, err); !slices.Contains(f, c.field) {
			t.Errorf("%s: violations %v, want %s", c.name, f, c.field)
		}
	}
	_, err = h.anonymous.UpdateApplication(ctx, draftEdit("018f0000-0000-7000-8000-000000000000", token, fixed))
	testkit.WantCode(t, err, codes.NotFound)
	unchanged("refused edits", draft)

	// Submitted with the edits; from then on no edit is possible.
	if _, err := h.anonymous.SubmitApplication(ctx, &membershipv1.SubmitApplicationRequest{ApplicationId: id, ApplicantToken: token}); err != nil {
		t.Fatal(err)
	}
	sub := published(t, h, "membership.application.submitted", 1, func() *membershipv1.ApplicationSubmitted { return &membershipv1.ApplicationSubmitted{} },
		func(e *membershipv1.ApplicationSubmitted) bool { return e.GetApplication().GetApplicationId() == id })
	if n := sub[0].GetApplication(); n.GetCity() != "Ghent" || n.GetContactEmail() != "alex.ghent@example.org" {
		t.Errorf("submitted notice %v", n)
	}
	late := draftEdit(id, token, applicationReq("Gent", "BE"))
	for _, step := range []struct {
		status string
		next   func()
	}{
		{"submitted", func() {
			if _, err := h.coordinator.StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id}); err != nil {
				t.Fatal(err)
			}
		}},
		{"under review", func() {
			if _, err := h.coordinator.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id}); err != nil {
				t.Fatal(err)
			}
		}},
		{"approved", func() {}},
	} {
		before := stored()
		_, err := h.anonymous.UpdateApplication(ctx, late)
		wantPrecondition(t, err, "cannot edit an application that is "+step.status, "only a draft can be edited")
		unchanged("an edit of a "+step.status+" application", before)
		step.next()
	}
	rejected := reviewed(t, h, applicationReq("Liège", "BE"))
	if _, err := h.coordinator.RejectApplication(ctx, &membershipv1.RejectApplicationRequest{ApplicationId: rejected, Reason: "Not yet."}); err != nil {
		t.Fatal(err)
	}
	// (A wrong token is refused before the status is told.)
	_, err = h.anonymous.UpdateApplication(ctx, draftEdit(rejected, token, applicationReq("Liège", "BE")))
	testkit.WantCode(t, err, codes.PermissionDenied)

	// The member is the city as edited; the token is still kept only as a hash.
	approved := stored()
	m, err := h.anonymous.GetMember(ctx, &membershipv1.GetMemberRequest{MemberId: approved.GetMemberId()})
	if err != nil || m.GetMember().GetName() != "Ghent" || len(m.GetMember().GetPrinciples()) != 4 {
		t.Fatalf("member %v %v", m, err)
	}
	raw, err := h.db.Collection("applications").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil || strings.Contains(raw.String(), token) {
		t.Fatalf("applicant token stored in clear (err %v)", err)
	}
}
