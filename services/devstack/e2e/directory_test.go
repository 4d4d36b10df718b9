package e2e

import (
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
)

// get fetches a gateway path and returns the status, content type and body.
func get(t *testing.T, path string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(shared.Addresses().GatewayURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// TestApplicationToOpenData: a city applies through the public API, a
// coordinator reviews and approves it, and it appears in the public
// directory page, the JSON API and members.csv with the principles its
// policies serve — while no email address or person's name (the
// applicant's, a representative's) appears in any of them.
func TestApplicationToOpenData(t *testing.T) {
	const contactName, contactEmail = "Fictional Kaisa Näide", "kaisa.applicant@example.org"
	const repName, repEmail = "Fictional Mart Proov", "mart.rep@example.org"
	coord := coordinatorToken(t)

	var created struct {
		Application    struct{ ID string } `json:"application"`
		ApplicantToken string              `json:"applicant_token"`
	}
	if status := api(t, "POST", "/api/v1/applications", "", map[string]any{
		"city": "Pärnu", "country": "EE", "region": "Pärnu County", "kind": "MEMBER_KIND_CITY", "language": "et",
		"contact": map[string]string{"name": contactName, "email": contactEmail, "role": "Head of digital services"},
		"commitment": map[string]string{"kind": "COMMITMENT_KIND_COUNCIL_RESOLUTION",
			"reference": "https://example.org/parnu/resolution", "date": "2026-01-15T00:00:00Z"},
		"policies": []map[string]any{{"title": "Open data by default", "principles": []string{"PRINCIPLE_TRANSPARENCY", "PRINCIPLE_PRIVACY"}}},
	}, &created); status != http.StatusOK || created.ApplicantToken == "" {
		t.Fatalf("create application: HTTP %d %+v", status, created)
	}
	id := created.Application.ID
	if status := api(t, "POST", "/api/v1/applications/"+id+":submit", "", map[string]string{"applicant_token": created.ApplicantToken}, nil); status != http.StatusOK {
		t.Fatalf("submit: HTTP %d", status)
	}
	// Only coordinators review.
	if status := api(t, "POST", "/api/v1/applications/"+id+":startReview", "", map[string]string{}, nil); status != http.StatusUnauthorized {
		t.Fatalf("anonymous review: HTTP %d, want 401", status)
	}
	// Approving before review is refused with the reason.
	var refused struct{ Message string }
	if status := api(t, "POST", "/api/v1/applications/"+id+":approve", coord, map[string]string{}, &refused); status != http.StatusBadRequest ||
		!strings.Contains(refused.Message, "must be under review") {
		t.Fatalf("early approval: HTTP %d %q", status, refused.Message)
	}
	if status := api(t, "POST", "/api/v1/applications/"+id+":startReview", coord, map[string]string{}, nil); status != http.StatusOK {
		t.Fatalf("start review: HTTP %d", status)
	}
	var approved struct {
		Member struct{ ID string } `json:"member"`
	}
	if status := api(t, "POST", "/api/v1/applications/"+id+":approve", coord, map[string]string{}, &approved); status != http.StatusOK || approved.Member.ID == "" {
		t.Fatalf("approve: HTTP %d", status)
	}
	if status := api(t, "POST", "/api/v1/members/"+approved.Member.ID+"/representatives", coord, map[string]any{
		"representative": map[string]string{"name": repName, "email": repEmail, "role": "REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE",
			"language": "et", "time_zone": "Europe/Tallinn"},
	}, nil); status != http.StatusOK {
		t.Fatalf("add representative: HTTP %d", status)
	}

	personal := []string{"@", contactName, repName, "Kaisa", "Mart"}
	noPersonalData := func(what, body string) {
		t.Helper()
		for _, p := range personal {
			if strings.Contains(body, p) {
				t.Errorf("%s contains %q", what, p)
			}
		}
	}

	status, ctype, body := get(t, "/open-data/members.csv?country=EE")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/csv") {
		t.Fatalf("members.csv: HTTP %d %s", status, ctype)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("members.csv is not CSV: %v", err)
	}
	found := false
	for _, row := range rows[1:] {
		if row[0] == approved.Member.ID {
			found = true
			if row[1] != "Pärnu" || row[6] != "member" || row[8] != "privacy;transparency" {
				t.Errorf("row %q", row)
			}
		}
	}
	if !found {
		t.Fatalf("members.csv lacks the new member: %q", rows)
	}
	noPersonalData("members.csv", body)
	_, _, all := get(t, "/open-data/members.csv")
	noPersonalData("members.csv (all)", all)
	if status, _, _ := get(t, "/open-data/members.csv?country=Estonia"); status != http.StatusBadRequest {
		t.Errorf("bad filter: HTTP %d, want 400", status)
	}

	status, ctype, page := get(t, "/members?country=EE")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(page, "Pärnu") ||
		!strings.Contains(page, "Privacy, data protection and security") {
		t.Fatalf("/members: HTTP %d %s", status, ctype)
	}
	noPersonalData("/members", page)

	_, _, js := get(t, "/api/v1/members?country=EE")
	if !strings.Contains(js, approved.Member.ID) {
		t.Fatalf("JSON directory lacks the member: %s", js)
	}
	noPersonalData("/api/v1/members", js)
	_, _, bodies := get(t, "/api/v1/bodies")
	noPersonalData("/api/v1/bodies", bodies)
}
