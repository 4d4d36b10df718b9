package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

func applicationReq(city, country string) *membershipv1.CreateApplicationRequest {
	return &membershipv1.CreateApplicationRequest{
		City: city, Country: country, Region: "Somewhere", Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Population: 250000,
		Contact:  &membershipv1.ContactPerson{Name: "Alex Example", Email: "alex@example.org", Role: "Chief Digital Officer"},
		Language: "es",
		Commitment: &membershipv1.PoliticalCommitment{
			Kind: membershipv1.CommitmentKind_COMMITMENT_KIND_COUNCIL_RESOLUTION, Reference: "https://example.org/resolution/42",
			Date: timestamppb.New(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)),
		},
		Policies: []*membershipv1.Policy{
			{Title: "Open data portal", Description: "Publishes the city's data.", Link: "https://example.org/data",
				Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_TRANSPARENCY, membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS}},
			{Title: "Digital inclusion centres",
				Principles: []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS}},
		},
	}
}

// wantPrecondition fails unless err is FailedPrecondition whose message
// contains every part.
func wantPrecondition(t *testing.T, err error, parts ...string) {
	t.Helper()
	st := testkit.WantCode(t, err, codes.FailedPrecondition)
	for _, p := range parts {
		if !strings.Contains(st.Message(), p) {
			t.Fatalf("message %q lacks %q", st.Message(), p)
		}
	}
}

func TestApplicationWorkflow(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	reviewer := h.as("coordinator-ana", optionsv1.Role_ROLE_COORDINATOR, "")

	// Anyone may draft an application; the answer carries the applicant token.
	created, err := h.anonymous.CreateApplication(ctx, applicationReq("  Valencia ", "ES"))
	if err != nil {
		t.Fatal(err)
	}
	ap, token := created.GetApplication(), created.GetApplicantToken()
	if ap.GetStatus() != membershipv1.ApplicationStatus_APPLICATION_STATUS_DRAFT || token == "" || ap.GetCity() != "Valencia" {
		t.Fatalf("created %v (token %q)", ap, token)
	}
	id := ap.GetId()

	// Reviewing a draft is not possible, and not for anyone.
	_, err = h.anonymous.StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.as("rep", optionsv1.Role_ROLE_REPRESENTATIVE, "").StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id})
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = reviewer.StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id})
	wantPrecondition(t, err, "cannot start reviewing an application that is draft", "it must be submitted")
	_, err = reviewer.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id})
	wantPrecondition(t, err, "cannot approve an application that is draft", "under review")

	// Submitting takes the applicant token.
	_, err = h.anonymous.SubmitApplication(ctx, &membershipv1.SubmitApplicationRequest{ApplicationId: id, ApplicantToken: "wrong"})
	testkit.WantCode(t, err, codes.PermissionDenied)
	sub, err := h.anonymous.SubmitApplication(ctx, &membershipv1.SubmitApplicationRequest{ApplicationId: id, ApplicantToken: token})
	if err != nil {
		t.Fatal(err)
	}
	if sub.GetApplication().GetStatus() != membershipv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED {
		t.Fatalf("submitted: %v", sub.GetApplication())
	}
	_, err = h.anonymous.SubmitApplication(ctx, &membershipv1.SubmitApplicationRequest{ApplicationId: id, ApplicantToken: token})
	wantPrecondition(t, err, "cannot submit an application that is submitted", "it must be draft")
	_, err = reviewer.RejectApplication(ctx, &membershipv1.RejectApplicationRequest{ApplicationId: id, Reason: "No."})
	wantPrecondition(t, err, "cannot reject an application that is submitted")

	// Only coordinators read applications (they hold personal data).
	_, err = h.anonymous.GetApplication(ctx, &membershipv1.GetApplicationRequest{ApplicationId: id})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.anonymous.ListApplications(ctx, &membershipv1.ListApplicationsRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)

	if _, err := reviewer.StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id}); err != nil {
		t.Fatal(err)
	}
	// A rejection needs a reason.
	_, err = reviewer.RejectApplication(ctx, &membershipv1.RejectApplicationRequest{ApplicationId: id, Reason: ""})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "reason") {
		t.Fatalf("violations %v", f)
	}
	_, err = reviewer.RejectApplication(ctx, &membershipv1.RejectApplicationRequest{ApplicationId: id, Reason: "   "})
	if f := testkit.FieldViolations(t, err); !slices.Contains(f, "reason") {
		t.Fatalf("violations %v", f)
	}

	approved, err := h.as("coordinator-bo", optionsv1.Role_ROLE_COORDINATOR, "").ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id})
	if err != nil {
		t.Fatal(err)
	}
	m := approved.GetMember()
	if m.GetName() != "Valencia" || m.GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER || m.GetJoinedAt() == nil ||
		approved.GetApplication().GetMemberId() != m.GetId() {
		t.Fatalf("approved: %v / %v", approved.GetApplication(), m)
	}
	wantPrinciples := []membershipv1.Principle{membershipv1.Principle_PRINCIPLE_UNIVERSAL_ACCESS,
		membershipv1.Principle_PRINCIPLE_TRANSPARENCY, membershipv1.Principle_PRINCIPLE_OPEN_STANDARDS}
	if !slices.Equal(m.GetPrinciples(), wantPrinciples) {
		t.Fatalf("principles %v, want %v", m.GetPrinciples(), wantPrinciples)
	}
	_, err = reviewer.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id})
	wantPrecondition(t, err, "cannot approve an application that is approved")
	_, err = reviewer.RejectApplication(ctx, &membershipv1.RejectApplicationRequest{ApplicationId: id, Reason: "Changed our minds."})
	wantPrecondition(t, err, "cannot reject an application that is approved")

	// The city is on the register; every step is in the history.
	found, err := h.service.LookupCity(ctx, &membershipv1.LookupCityRequest{City: "valencia", Country: "ES"})
	if err != nil || found.GetMember().GetId() != m.GetId() {
		t.Fatalf("lookup: %v %v", found, err)
	}
	got, err := reviewer.GetApplication(ctx, &membershipv1.GetApplicationRequest{ApplicationId: id})
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		to membershipv1.ApplicationStatus
		by string
	}
	var steps []step
	for _, tr := range got.GetApplication().GetHistory() {
		if tr.GetAt() == nil {
			t.Errorf("transition without time: %v", tr)
		}
		steps = append(steps, step{tr.GetTo(), tr.GetBy()})
	}
	want := []step{
		{membershipv1.ApplicationStatus_APPLICATION_STATUS_DRAFT, "applicant"},
		{membershipv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, "applicant"},
		{membershipv1.ApplicationStatus_APPLICATION_STATUS_UNDER_REVIEW, "coordinator-ana"},
		{membershipv1.ApplicationStatus_APPLICATION_STATUS_APPROVED, "coordinator-bo"},
	}
	if !slices.Equal(steps, want) {
		t.Fatalf("history %v, want %v", steps, want)
	}
	list, err := reviewer.ListApplications(ctx, &membershipv1.ListApplicationsRequest{Status: membershipv1.ApplicationStatus_APPLICATION_STATUS_APPROVED})
	if err != nil || len(list.GetApplications()) != 1 {
		t.Fatalf("list approved: %v %v", list, err)
	}

	// Each transition published once: submitted, approved, and the city joined.
	subs := published(t, h, "membership.application.submitted", 1, func() *membershipv1.ApplicationSubmitted { return &membershipv1.ApplicationSubmitted{} },
		func(e *membershipv1.ApplicationSubmitted) bool { return e.GetApplication().GetApplicationId() == id })
	n := subs[0].GetApplication()
	if n.GetContactEmail() != "alex@example.org" || n.GetContactName() != "Alex Example" || n.GetLanguage() != "es" || n.GetCity() != "Valencia" {
		t.Errorf("submitted notice %v", n)
	}
	apr := published(t, h, "membership.application.approved", 1, func() *membershipv1.ApplicationApproved { return &membershipv1.ApplicationApproved{} },
		func(e *membershipv1.ApplicationApproved) bool { return e.GetApplication().GetApplicationId() == id })
	if apr[0].GetMemberId() != m.GetId() || apr[0].GetApplication().GetContactEmail() != "alex@example.org" {
		t.Errorf("approved event %v", apr[0])
	}
	joined := published(t, h, "membership.city.joined", 1, func() *membershipv1.CityJoined { return &membershipv1.CityJoined{} },
		func(e *membershipv1.CityJoined) bool { return e.GetMember().GetId() == m.GetId() })
	if joined[0].GetApplicationId() != id || joined[0].GetMember().GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER {
		t.Errorf("joined event %v", joined[0])
	}
	published(t, h, "membership.application.rejected", 0, func() *membershipv1.ApplicationRejected { return &membershipv1.ApplicationRejected{} },
		func(e *membershipv1.ApplicationRejected) bool { return e.GetApplication().GetApplicationId() == id })

	// The applicant token is kept only as a hash.
	raw, err := h.db.Collection("applications").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw.String(), token) {
		t.Fatal("the applicant token is stored in clear")
	}
}

func TestRejectedApplicationTellsTheApplicantWhy(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	created, err := h.anonymous.CreateApplication(ctx, applicationReq("Coimbra", "PT"))
	if err != nil {
		t.Fatal(err)
	}
	id := created.GetApplication().GetId()
	if _, err := h.anonymous.SubmitApplication(ctx, &membershipv1.SubmitApplicationRequest{ApplicationId: id, ApplicantToken: created.GetApplicantToken()}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.coordinator.StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id}); err != nil {
		t.Fatal(err)
	}
	rej, err := h.coordinator.RejectApplication(ctx, &membershipv1.RejectApplicationRequest{ApplicationId: id, Reason: "The resolution is not yet adopted."})
	if err != nil {
		t.Fatal(err)
	}
	if rej.GetApplication().GetRejectionReason() != "The resolution is not yet adopted." {
		t.Fatalf("rejected %v", rej.GetApplication())
	}
	_, err = h.coordinator.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id})
	wantPrecondition(t, err, "cannot approve an application that is rejected")

	ev := published(t, h, "membership.application.rejected", 1, func() *membershipv1.ApplicationRejected { return &membershipv1.ApplicationRejected{} },
		func(e *membershipv1.ApplicationRejected) bool { return e.GetApplication().GetApplicationId() == id })
	if ev[0].GetReason() != "The resolution is not yet adopted." || ev[0].GetApplication().GetContactEmail() != "alex@example.org" ||
		ev[0].GetApplication().GetLanguage() != "es" || ev[0].GetApplication().GetCity() != "Coimbra" {
		t.Errorf("rejected event %v", ev[0])
	}
	// Not on the register.
	found, err := h.service.LookupCity(ctx, &membershipv1.LookupCityRequest{City: "Coimbra", Country: "PT"})
	if err != nil || found.GetMember() != nil {
		t.Fatalf("lookup: %v %v", found, err)
	}
}

func TestApprovalReadmitsAWithdrawnCity(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	old, err := h.coordinator.CreateMember(ctx, cityReq("Grenoble", "FR"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.coordinator.WithdrawMember(ctx, &membershipv1.WithdrawMemberRequest{MemberId: old.GetMember().GetId()}); err != nil {
		t.Fatal(err)
	}

	// An application for a city that is a member cannot be approved.
	porto, err := h.coordinator.CreateMember(ctx, cityReq("Porto", "PT"))
	if err != nil {
		t.Fatal(err)
	}
	dup := reviewed(t, h, applicationReq("porto", "PT"))
	_, err = h.coordinator.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: dup})
	wantPrecondition(t, err, "Porto (PT) is already a member")

	id := reviewed(t, h, applicationReq("GRENOBLE", "FR"))
	approved, err := h.coordinator.ApproveApplication(ctx, &membershipv1.ApproveApplicationRequest{ApplicationId: id})
	if err != nil {
		t.Fatal(err)
	}
	m := approved.GetMember()
	if m.GetId() != old.GetMember().GetId() || m.GetName() != "Grenoble" || m.GetStatus() != membershipv1.MemberStatus_MEMBER_STATUS_MEMBER {
		t.Fatalf("re-admitted %v, was %v", m, old.GetMember())
	}
	// One joined event for the original entry (CreateMember) and one for the re-admission.
	published(t, h, "membership.city.joined", 2, func() *membershipv1.CityJoined { return &membershipv1.CityJoined{} },
		func(e *membershipv1.CityJoined) bool { return e.GetMember().GetId() == m.GetId() })
	published(t, h, "membership.city.joined", 1, func() *membershipv1.CityJoined { return &membershipv1.CityJoined{} },
		func(e *membershipv1.CityJoined) bool { return e.GetMember().GetId() == porto.GetMember().GetId() })
	n, err := h.db.Collection("members").CountDocuments(ctx, bson.D{})
	if err != nil || n != 2 {
		t.Fatalf("%d members (err %v), want 2", n, err)
	}
}

// reviewed drafts, submits and takes an application under review.
func reviewed(t *testing.T, h *harness, req *membershipv1.CreateApplicationRequest) string {
	t.Helper()
	ctx := testkit.Context(t)
	created, err := h.anonymous.CreateApplication(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	id := created.GetApplication().GetId()
	if _, err := h.anonymous.SubmitApplication(ctx, &membershipv1.SubmitApplicationRequest{ApplicationId: id, ApplicantToken: created.GetApplicantToken()}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.coordinator.StartReview(ctx, &membershipv1.StartReviewRequest{ApplicationId: id}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestApplicationValidation(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)

	cases := []struct {
		name  string
		edit  func(r *membershipv1.CreateApplicationRequest)
		field string
	}{
		{"no contact email", func(r *membershipv1.CreateApplicationRequest) { r.Contact.Email = "" }, "contact.email"},
		{"bad email", func(r *membershipv1.CreateApplicationRequest) { r.Contact.Email = "not-an-email" }, "contact.email"},
		{"no commitment", func(r *membershipv1.CreateApplicationRequest) { r.Commitment = nil }, "commitment"},
		{"no commitment date", func(r *membershipv1.CreateApplicationRequest) { r.Commitment.Date = nil }, "commitment.date"},
		{"no policies", func(r *membershipv1.CreateApplicationRequest) { r.Policies = nil }, "policies"},
		{"policy without principles", func(r *membershipv1.CreateApplicationRequest) { r.Policies[0].Principles = nil }, "policies[0].principles"},
		{"partner applying", func(r *membershipv1.CreateApplicationRequest) { r.Kind = membershipv1.MemberKind_MEMBER_KIND_PARTNER }, "kind"},
		{"blank city", func(r *membershipv1.CreateApplicationRequest) { r.City = "   " }, "city"},
		{"bad language", func(r *membershipv1.CreateApplicationRequest) { r.Language = "Spanish" }, "language"},
	}
	for _, c := range cases {
		r := applicationReq("Ghent", "BE")
		c.edit(r)
		_, err := h.anonymous.CreateApplication(ctx, r)
		if f := testkit.FieldViolations(t, err); !slices.Contains(f, c.field) {
			t.Errorf("%s: violations %v, want %s", c.name, f, c.field)
		}
	}
	if n, err := h.db.Collection("applications").CountDocuments(ctx, bson.D{}); err != nil || n != 0 {
		t.Fatalf("stored %d applications (err %v), want 0", n, err)
	}
}
