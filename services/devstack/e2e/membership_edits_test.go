package e2e

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"
)

type memberJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Region     string   `json:"region"`
	Principles []string `json:"principles"`
}

// TestMembershipEditsOverHTTP drives issue 4's edits through the gateway's
// JSON API with real tokens: a member's own representative edits its
// public facts and a colleague's details, another city's cannot; the
// directory, its JSON and members.csv filter by principle and hold no
// personal data; the public sees a member's status history without who
// made each change; an applicant edits a draft until it is submitted.
func TestMembershipEditsOverHTTP(t *testing.T) {
	coord := coordinatorToken(t)
	const repName, repEmail = "Fictional Liis Näidis", "liis.rep@example.org"

	create := func(name string) string {
		t.Helper()
		var out struct{ Member memberJSON }
		if status := api(t, "POST", "/api/v1/members", coord, map[string]any{
			"name": name, "kind": "MEMBER_KIND_CITY", "country": "EE", "status": "MEMBER_STATUS_MEMBER",
			"joined_at": "2026-02-01T12:00:00Z", "principles": []string{"PRINCIPLE_PRIVACY"},
		}, &out); status != http.StatusOK {
			t.Fatalf("create %s: HTTP %d", name, status)
		}
		return out.Member.ID
	}
	kuressaare, narva := create("Kuressaare"), create("Narva")
	var added struct {
		Representative struct{ ID string } `json:"representative"`
	}
	repDetails := map[string]string{"name": repName, "email": repEmail, "role": "REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE",
		"language": "et", "time_zone": "Europe/Tallinn"}
	if status := api(t, "POST", "/api/v1/members/"+kuressaare+"/representatives", coord, map[string]any{"representative": repDetails}, &added); status != http.StatusOK {
		t.Fatalf("add representative: HTTP %d", status)
	}
	repID := added.Representative.ID
	ofKuressaare, err := shared.RepresentativeToken(repID, kuressaare, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ofNarva, err := shared.RepresentativeToken("narva-rep", narva, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	facts := map[string]any{"name": "Kuressaare", "country": "EE", "region": "Saare County", "population": 13000,
		"commitment": "Protects residents' digital rights.", "principles": []string{"PRINCIPLE_OPEN_STANDARDS", "PRINCIPLE_PRIVACY"}}
	for _, c := range []struct {
		who, token string
		want       int
	}{{"public", "", http.StatusUnauthorized}, {"Narva's representative", ofNarva, http.StatusForbidden}} {
		if status := api(t, "PUT", "/api/v1/members/"+kuressaare, c.token, facts, nil); status != c.want {
			t.Errorf("%s edits Kuressaare: HTTP %d, want %d", c.who, status, c.want)
		}
	}
	var updated struct{ Member memberJSON }
	if status := api(t, "PUT", "/api/v1/members/"+kuressaare, ofKuressaare, facts, &updated); status != http.StatusOK ||
		updated.Member.Region != "Saare County" || strings.Join(updated.Member.Principles, ",") != "PRINCIPLE_PRIVACY,PRINCIPLE_OPEN_STANDARDS" {
		t.Fatalf("Kuressaare's representative edits Kuressaare: HTTP %d %+v", status, updated.Member)
	}
	bad := map[string]any{"name": "", "country": "EE"}
	var refused struct {
		Details []struct {
			FieldViolations []struct{ Field string } `json:"field_violations"`
		}
	}
	if status := api(t, "PUT", "/api/v1/members/"+kuressaare, coord, bad, &refused); status != http.StatusBadRequest ||
		len(refused.Details) == 0 || len(refused.Details[0].FieldViolations) == 0 || refused.Details[0].FieldViolations[0].Field != "name" {
		t.Fatalf("bad edit: HTTP %d %+v", status, refused)
	}

	// A colleague's details: Kuressaare's people only.
	repDetails["time_zone"] = "Europe/Helsinki"
	if status := api(t, "PUT", "/api/v1/members/"+kuressaare+"/representatives/"+repID, ofNarva, map[string]any{"representative": repDetails}, nil); status != http.StatusForbidden {
		t.Errorf("Narva edits Kuressaare's representative: HTTP %d, want 403", status)
	}
	if status := api(t, "PUT", "/api/v1/members/"+kuressaare+"/representatives/"+repID, ofKuressaare, map[string]any{"representative": repDetails}, nil); status != http.StatusOK {
		t.Errorf("Kuressaare's representative corrects their time zone: HTTP %d", status)
	}

	personal := []string{"@", repName, "Liis", "e2e-coordinator", repID}
	noPersonalData := func(what, body string) {
		t.Helper()
		for _, p := range personal {
			if strings.Contains(body, p) {
				t.Errorf("%s contains %q", what, p)
			}
		}
	}
	// The directory by principle: JSON API and open data.
	_, _, js := get(t, "/api/v1/members?country=EE&principle=PRINCIPLE_OPEN_STANDARDS")
	if !strings.Contains(js, kuressaare) || strings.Contains(js, narva) {
		t.Errorf("JSON directory by principle: %s", js)
	}
	noPersonalData("/api/v1/members", js)
	status, _, body := get(t, "/open-data/members.csv?country=EE&principle=open_standards")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if status != http.StatusOK || err != nil || len(rows) != 2 || rows[1][0] != kuressaare || rows[1][4] != "Saare County" || rows[1][8] != "privacy;open_standards" {
		t.Errorf("members.csv by principle: HTTP %d %q (%v)", status, rows, err)
	}
	noPersonalData("members.csv", body)
	if status, _, _ := get(t, "/open-data/members.csv?principle=happiness"); status != http.StatusBadRequest {
		t.Errorf("unknown principle: HTTP %d, want 400", status)
	}

	// Status history: what and when for everyone, who and why for coordinators.
	if status := api(t, "POST", "/api/v1/members/"+narva+":suspend", coord, map[string]string{"reason": "Dues unpaid"}, nil); status != http.StatusOK {
		t.Fatalf("suspend: HTTP %d", status)
	}
	type historyJSON struct {
		History []struct{ From, To, By, Reason, At string }
	}
	var public, full historyJSON
	_, _, raw := get(t, "/api/v1/members/"+narva)
	noPersonalData("GET /api/v1/members/{id}", raw)
	if strings.Contains(raw, "Dues") {
		t.Errorf("the public sees the reason: %s", raw)
	}
	api(t, "GET", "/api/v1/members/"+narva, "", nil, &public)
	api(t, "GET", "/api/v1/members/"+narva, coord, nil, &full)
	if len(public.History) != 2 || public.History[1].To != "MEMBER_STATUS_SUSPENDED" || public.History[1].At == "" || public.History[1].By != "" ||
		len(full.History) != 2 || full.History[1].By != "e2e-coordinator" || full.History[1].Reason != "Dues unpaid" {
		t.Errorf("history: public %+v, coordinator %+v", public, full)
	}

	// An applicant edits the draft, submits it, and can edit no more.
	draft := map[string]any{
		"city": "Viljandi", "country": "EE", "kind": "MEMBER_KIND_CITY", "language": "et",
		"contact":    map[string]string{"name": "Fictional Mari Proov", "email": "mari.applicant@example.org"},
		"commitment": map[string]string{"kind": "COMMITMENT_KIND_MAYORS_LETTER", "reference": "https://example.org/viljandi", "date": "2026-01-15T00:00:00Z"},
		"policies":   []map[string]any{{"title": "Open data", "principles": []string{"PRINCIPLE_TRANSPARENCY"}}},
	}
	var created struct {
		Application    struct{ ID string } `json:"application"`
		ApplicantToken string              `json:"applicant_token"`
	}
	if status := api(t, "POST", "/api/v1/applications", "", draft, &created); status != http.StatusOK {
		t.Fatalf("create application: HTTP %d", status)
	}
	id := created.Application.ID
	draft["region"], draft["applicant_token"] = "Viljandi County", created.ApplicantToken
	var edited struct {
		Application struct{ Region, Status string } `json:"application"`
	}
	if status := api(t, "PUT", "/api/v1/applications/"+id, "", draft, &edited); status != http.StatusOK ||
		edited.Application.Region != "Viljandi County" || edited.Application.Status != "APPLICATION_STATUS_DRAFT" {
		t.Fatalf("edit draft: HTTP %d %+v", status, edited)
	}
	draft["applicant_token"] = "wrong"
	if status := api(t, "PUT", "/api/v1/applications/"+id, "", draft, nil); status != http.StatusForbidden {
		t.Errorf("edit with a wrong token: HTTP %d, want 403", status)
	}
	if status := api(t, "POST", "/api/v1/applications/"+id+":submit", "", map[string]string{"applicant_token": created.ApplicantToken}, nil); status != http.StatusOK {
		t.Fatalf("submit: HTTP %d", status)
	}
	draft["applicant_token"] = created.ApplicantToken
	var late struct{ Message string }
	if status := api(t, "PUT", "/api/v1/applications/"+id, "", draft, &late); status != http.StatusBadRequest ||
		!strings.Contains(late.Message, "only a draft can be edited") {
		t.Errorf("edit after submitting: HTTP %d %q", status, late.Message)
	}
}
