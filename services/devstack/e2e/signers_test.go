package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSignersListedPublicly: a confirmed signer who chose to be shown appears
// in GET /api/v1/petitions/{id}/signers (name and date, no address) and on
// the petition page; one who did not never appears.
func TestSignersListedPublicly(t *testing.T) {
	p := newPetition(t, "Signerstown")
	shown, hidden := signature("shown.signer@example.org"), signature("hidden.signer@example.org")
	shown["name"], shown["show_name"] = "Shown Signer", true
	hidden["name"] = "Hidden Signer"
	for _, s := range []map[string]any{shown, hidden} {
		if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", s, nil); status != http.StatusOK {
			t.Fatalf("sign: HTTP %d", status)
		}
		link := confirmLink.FindString(parseMail(t, waitForMail(t, s["email"].(string))).Text)
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	var out struct {
		Signers []map[string]any `json:"signers"`
	}
	waitFor(t, "the shown signer listed", 10*time.Second, func() bool {
		return api(t, "GET", "/api/v1/petitions/"+p.ID+"/signers?page_size=10", "", nil, &out) == http.StatusOK && len(out.Signers) == 1
	})
	if s := out.Signers[0]; s["name"] != "Shown Signer" || s["confirmed_at"] == nil || len(s) != 2 {
		t.Fatalf("signers %v, want only the shown one's name and date", out.Signers)
	}
	if status := api(t, "GET", "/api/v1/petitions/"+p.ID+"/signers?page_size=101", "", nil, nil); status != http.StatusBadRequest {
		t.Errorf("page_size 101: HTTP %d, want 400", status)
	}

	resp, err := http.Get(shared.Addresses().GatewayURL + "/petitions/" + p.ID + "?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(page)
	if !strings.Contains(body, "Recent supporters") || !strings.Contains(body, "Shown Signer") ||
		strings.Contains(body, "Hidden Signer") || strings.Contains(body, "@example.org") {
		t.Fatalf("petition page: HTTP %d\n%s", resp.StatusCode, body)
	}
}
