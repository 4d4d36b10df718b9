package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cc4dr/coalition/services/devstack/stack"
)

type applicationJSON struct {
	ID              string `json:"id"`
	City            string `json:"city"`
	Status          string `json:"status"`
	RejectionReason string `json:"rejection_reason"`
	MemberID        string `json:"member_id"`
}

// submitApplication has a city apply and submit through the public API.
func submitApplication(t *testing.T, city string) string {
	t.Helper()
	var created struct {
		Application    struct{ ID string } `json:"application"`
		ApplicantToken string              `json:"applicant_token"`
	}
	if status := api(t, "POST", "/api/v1/applications", "", map[string]any{
		"city": city, "country": "IS", "kind": "MEMBER_KIND_CITY", "language": "en",
		"contact":    map[string]string{"name": "Fictional Contact", "email": "contact@" + strings.ToLower(city) + ".example.org"},
		"commitment": map[string]string{"kind": "COMMITMENT_KIND_MAYORS_LETTER", "reference": "https://example.org/" + city, "date": "2026-01-15T00:00:00Z"},
		"policies": []map[string]any{{"title": "Open data by default", "description": "Published under an open licence.",
			"principles": []string{"PRINCIPLE_TRANSPARENCY", "PRINCIPLE_OPEN_STANDARDS"}}},
	}, &created); status != http.StatusOK {
		t.Fatalf("create application: HTTP %d", status)
	}
	if status := api(t, "POST", "/api/v1/applications/"+created.Application.ID+":submit", "", map[string]string{"applicant_token": created.ApplicantToken}, nil); status != http.StatusOK {
		t.Fatalf("submit application: HTTP %d", status)
	}
	return created.Application.ID
}

func getApplication(t *testing.T, id string) applicationJSON {
	t.Helper()
	var out struct{ Application applicationJSON }
	if status := api(t, "GET", "/api/v1/applications/"+id, coordinatorToken(t), nil, &out); status != http.StatusOK {
		t.Fatalf("get application: HTTP %d", status)
	}
	return out.Application
}

// TestConsoleReviewsAnApplication: a coordinator signs in to the console,
// reads an application (commitment, policies with principles, history),
// starts the review and approves it; the city is then a member, as the
// API and the console's member list both say. Every change is made by the
// services on the console's token, recorded as the coordinator.
func TestConsoleReviewsAnApplication(t *testing.T) {
	id := submitApplication(t, "Akureyri")
	u := newConsoleUser(t)
	u.signIn("coordinator")

	page := u.get("/console/applications/" + id)
	for _, want := range []string{"Application from Akureyri", "Mayor&#39;s letter", "https://example.org/Akureyri", "Open data by default",
		"Transparency, accountability and non-discrimination", "Open and ethical digital service standards", "Submitted", "Start review"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("application page lacks %q", want)
		}
	}
	if a := u.post("/console/applications/"+id+"/start-review", url.Values{"csrf": {u.csrf("/console/applications/" + id)}}); a.status != http.StatusSeeOther {
		t.Fatalf("start review: HTTP %d\n%s", a.status, a.body)
	}
	if got := getApplication(t, id).Status; got != "APPLICATION_STATUS_UNDER_REVIEW" {
		t.Fatalf("after start review: %s", got)
	}
	if a := u.post("/console/applications/"+id+"/approve", url.Values{"csrf": {u.csrf("/console/applications/" + id)}}); a.status != http.StatusSeeOther {
		t.Fatalf("approve: HTTP %d\n%s", a.status, a.body)
	}
	app := getApplication(t, id)
	if app.Status != "APPLICATION_STATUS_APPROVED" || app.MemberID == "" {
		t.Fatalf("after approve: %+v", app)
	}
	after := u.get("/console/applications/" + id)
	if !strings.Contains(after.body, "Application approved: Akureyri is a member.") || !strings.Contains(after.body, stack.DemoCoordinator) {
		t.Errorf("the application page does not show the approval and who made it:\n%s", after.body)
	}
	members := u.get("/console/members?country=IS")
	if members.status != http.StatusOK || !strings.Contains(members.body, ">Akureyri</a>") {
		t.Fatalf("members list (IS): HTTP %d\n%s", members.status, members.body)
	}
}

// TestConsoleFormsNeedTheirToken: against the real services, a console
// form posted without the session's token, with another's, or from
// another site is refused with 403 and the application stays as it was.
func TestConsoleFormsNeedTheirToken(t *testing.T) {
	id := submitApplication(t, "Isafjordur")
	u := newConsoleUser(t)
	u.signIn("coordinator")
	other := newConsoleUser(t)
	other.signIn("coordinator")
	path := "/console/applications/" + id + "/start-review"
	for name, form := range map[string]url.Values{
		"no token":              {},
		"wrong token":           {"csrf": {"x"}},
		"another session token": {"csrf": {other.csrf("/console/")}},
	} {
		if a := u.post(path, form); a.status != http.StatusForbidden {
			t.Errorf("%s: HTTP %d, want 403", name, a.status)
		}
	}
	// The right token from another site: the gateway's cross-origin protection.
	req, _ := http.NewRequest(http.MethodPost, shared.Addresses().GatewayURL+path, strings.NewReader(url.Values{"csrf": {u.csrf("/console/")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := u.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: HTTP %d, want 403", resp.StatusCode)
	}
	if got := getApplication(t, id).Status; got != "APPLICATION_STATUS_SUBMITTED" {
		t.Fatalf("refused forms changed the application: %s", got)
	}
}

// TestConsoleRejectsWithReason: the reason is required (a clear error and
// nothing changed without it) and reaches the application.
func TestConsoleRejectsWithReason(t *testing.T) {
	id := submitApplication(t, "Hofn")
	coord := coordinatorToken(t)
	if status := api(t, "POST", "/api/v1/applications/"+id+":startReview", coord, map[string]string{}, nil); status != http.StatusOK {
		t.Fatalf("start review: HTTP %d", status)
	}
	u := newConsoleUser(t)
	u.signIn("coordinator")
	a := u.post("/console/applications/"+id+"/reject", url.Values{"csrf": {u.csrf("/console/applications/" + id)}, "reason": {""}})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Enter the reason for the applicant.") {
		t.Fatalf("reject without reason: HTTP %d", a.status)
	}
	if got := getApplication(t, id).Status; got != "APPLICATION_STATUS_UNDER_REVIEW" {
		t.Fatalf("rejecting without a reason changed the application: %s", got)
	}
	a = u.post("/console/applications/"+id+"/reject", url.Values{"csrf": {u.csrf("/console/applications/" + id)}, "reason": {"No political commitment yet."}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("reject: HTTP %d\n%s", a.status, a.body)
	}
	if app := getApplication(t, id); app.Status != "APPLICATION_STATUS_REJECTED" || app.RejectionReason != "No political commitment yet." {
		t.Fatalf("after reject: %+v", app)
	}
}

// TestConsoleRepresentative: the demo representative account signs in as
// the representative record with its email, may edit its own city but
// not open coordinators' pages nor act on another city (403, nothing
// changed), and sees and corrects its own details.
func TestConsoleRepresentative(t *testing.T) {
	coord := coordinatorToken(t)
	create := func(name string) string {
		t.Helper()
		var out struct{ Member memberJSON }
		if status := api(t, "POST", "/api/v1/members", coord, map[string]any{
			"name": name, "kind": "MEMBER_KIND_CITY", "country": "NO", "status": "MEMBER_STATUS_MEMBER", "joined_at": "2026-02-01T12:00:00Z",
		}, &out); status != http.StatusOK {
			t.Fatalf("create %s: HTTP %d", name, status)
		}
		return out.Member.ID
	}
	own, other := create("Tromsø"), create("Bodø")
	if status := api(t, "POST", "/api/v1/members/"+own+"/representatives", coord, map[string]any{"representative": map[string]string{
		"name": "Fictional Ingrid Eksempel", "email": stack.DemoRepresentative, "role": "REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE",
		"language": "nb", "time_zone": "Europe/Oslo"}}, nil); status != http.StatusOK {
		t.Fatalf("add representative: HTTP %d", status)
	}
	id := submitApplication(t, "Alta")

	u := newConsoleUser(t)
	u.signIn("representative")
	dash := u.get("/console/")
	if !strings.Contains(dash.body, "Fictional Ingrid Eksempel") || !strings.Contains(dash.body, "Tromsø") {
		t.Fatalf("representative dashboard:\n%s", dash.body)
	}
	for _, path := range []string{"/console/applications", "/console/members", "/console/applications/" + id, "/console/members/" + other, "/console/deliveries"} {
		if a := u.get(path); a.status != http.StatusForbidden {
			t.Errorf("representative GET %s: HTTP %d, want 403", path, a.status)
		}
	}
	token := u.csrf("/console/")
	if a := u.post("/console/applications/"+id+"/start-review", url.Values{"csrf": {token}}); a.status != http.StatusForbidden {
		t.Errorf("representative starts a review: HTTP %d, want 403", a.status)
	}
	if a := u.post("/console/members/"+other, url.Values{"csrf": {token}, "name": {"Hijacked"}, "country": {"NO"}}); a.status != http.StatusForbidden {
		t.Errorf("representative edits another city: HTTP %d, want 403", a.status)
	}
	if got := getApplication(t, id).Status; got != "APPLICATION_STATUS_SUBMITTED" {
		t.Errorf("a representative's refused action changed the application: %s", got)
	}
	var bodo struct{ Member memberJSON }
	api(t, "GET", "/api/v1/members/"+other, "", nil, &bodo)
	if bodo.Member.Name != "Bodø" {
		t.Errorf("a representative's refused edit changed another city: %+v", bodo.Member)
	}

	// Their own city: edit its public facts.
	a := u.post("/console/members/"+own, url.Values{"csrf": {u.csrf("/console/members/" + own)}, "name": {"Tromsø"}, "country": {"NO"},
		"region": {"Troms"}, "population": {"77000"}, "commitment": {"Digital rights for all residents."}, "principles": {"PRINCIPLE_PRIVACY", "PRINCIPLE_PARTICIPATION"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("edit own city: HTTP %d\n%s", a.status, a.body)
	}
	var tromso struct{ Member memberJSON }
	api(t, "GET", "/api/v1/members/"+own, "", nil, &tromso)
	if tromso.Member.Region != "Troms" || len(tromso.Member.Principles) != 2 {
		t.Fatalf("own city after edit: %+v", tromso.Member)
	}
	// Bad input: a clear error, nothing changed.
	a = u.post("/console/members/"+own, url.Values{"csrf": {u.csrf("/console/members/" + own)}, "name": {"Tromsø"}, "country": {"Norway"}})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, `id="edit-country-error"`) {
		t.Fatalf("bad country: HTTP %d\n%s", a.status, a.body)
	}
	api(t, "GET", "/api/v1/members/"+own, "", nil, &tromso)
	if tromso.Member.Region != "Troms" {
		t.Fatalf("a refused edit changed the city: %+v", tromso.Member)
	}

	// Their own details.
	me := u.get("/console/me")
	if me.status != http.StatusOK || !strings.Contains(me.body, "Europe/Oslo") {
		t.Fatalf("your details: HTTP %d\n%s", me.status, me.body)
	}
	a = u.post("/console/me", url.Values{"csrf": {u.csrf("/console/me")}, "name": {"Fictional Ingrid Eksempel"}, "email": {stack.DemoRepresentative},
		"role": {"REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE"}, "language": {"nn"}, "time_zone": {"Arctic/Longyearbyen"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("update your details: HTTP %d\n%s", a.status, a.body)
	}
	if me := u.get("/console/me"); !strings.Contains(me.body, "Arctic/Longyearbyen") {
		t.Fatalf("your details after saving do not show the change")
	}
}
