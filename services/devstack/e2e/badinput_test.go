package e2e

import (
	"net/http"
	"strings"
	"testing"
)

type apiError struct {
	Code    int    `json:"code"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Details []struct {
		Type            string `json:"@type"`
		FieldViolations []struct {
			Field       string `json:"field"`
			Description string `json:"description"`
		} `json:"field_violations"`
	} `json:"details"`
}

func (e apiError) fields() map[string]string {
	out := map[string]string{}
	for _, d := range e.Details {
		for _, v := range d.FieldViolations {
			out[v.Field] = v.Description
		}
	}
	return out
}

// TestBadSignatureInput: missing fields, a malformed email, a 1 MB name and
// an unknown petition get 400/404 with a field-level message, and nothing is
// stored.
func TestBadSignatureInput(t *testing.T) {
	p := newPetition(t, "Badinputburg")
	path := "/api/v1/petitions/" + p.ID + "/signatures"
	withEmail := func(email string) map[string]any { s := signature("x@example.org"); s["email"] = email; return s }
	hugeName := signature("huge@example.org")
	hugeName["name"] = strings.Repeat("n", 1<<20)

	cases := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantFields []string
	}{
		{"missing fields", path, map[string]any{}, 400, []string{"name", "email", "lives_or_works_in_city"}},
		{"malformed email", path, withEmail("not-an-email"), 400, []string{"email"}},
		{"email with spaces inside", path, withEmail("a b@example.org"), 400, []string{"email"}},
		{"1 MB name", path, hugeName, 400, []string{"name"}},
		{"not a uuid", "/api/v1/petitions/nope/signatures", signature("x@example.org"), 400, []string{"petition_id"}},
		{"unknown language", path, func() map[string]any { s := signature("x@example.org"); s["language"] = "xx"; return s }(), 400, []string{"language"}},
		{"unknown field", path, func() map[string]any { s := signature("x@example.org"); s["phone"] = "123"; return s }(), 400, nil},
		{"not JSON", path, []byte("{name:"), 400, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e apiError
			status := api(t, "POST", c.path, "", c.body, &e)
			if status != c.wantStatus {
				t.Fatalf("HTTP %d, want %d: %+v", status, c.wantStatus, e)
			}
			if e.Message == "" || e.Status == "" {
				t.Errorf("error without message/status: %+v", e)
			}
			got := e.fields()
			for _, f := range c.wantFields {
				if got[f] == "" {
					t.Errorf("no field violation for %q; got %v", f, got)
				}
			}
		})
	}

	t.Run("unknown petition", func(t *testing.T) {
		var e apiError
		status := api(t, "POST", "/api/v1/petitions/0192f0c4-7d3a-7b8e-9c4d-0123456789ab/signatures", "", signature("x@example.org"), &e)
		if status != http.StatusNotFound || !strings.Contains(e.Message, "petition") {
			t.Fatalf("HTTP %d %+v, want 404 naming the petition", status, e)
		}
	})

	t.Run("too large body", func(t *testing.T) {
		huge := signature("x@example.org")
		huge["name"] = strings.Repeat("n", 3<<20)
		if status := api(t, "POST", path, "", huge, nil); status != http.StatusRequestEntityTooLarge {
			t.Fatalf("HTTP %d, want 413", status)
		}
	})

	if n := countSignatures(t, p.ID); n != 0 {
		t.Fatalf("bad input stored %d signatures", n)
	}
	if got := getPetition(t, p.ID).ConfirmedCount; got != 0 {
		t.Fatalf("count changed: %d", got)
	}
}

func TestCoordinatorActionsNeedAToken(t *testing.T) {
	var e apiError
	status := api(t, "POST", "/api/v1/petitions", "", map[string]any{"city": "X", "country": "ES", "goal": 1,
		"texts": []map[string]string{{"language": "en", "title": "t"}}}, &e)
	if status != http.StatusUnauthorized {
		t.Fatalf("anonymous create: HTTP %d, want 401", status)
	}
	status = api(t, "POST", "/api/v1/petitions", "not-a-token", map[string]any{"city": "X", "country": "ES", "goal": 1,
		"texts": []map[string]string{{"language": "en", "title": "t"}}}, &e)
	if status != http.StatusUnauthorized {
		t.Fatalf("forged token: HTTP %d, want 401", status)
	}
}
