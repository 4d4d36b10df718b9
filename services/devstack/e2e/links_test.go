package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

var (
	withdrawLink = regexp.MustCompile(`https?://\S+/signatures/withdraw\?token=[A-Za-z0-9_%-]+`)
	erasureLink  = regexp.MustCompile(`https?://\S+/erasure/confirm\?token=[A-Za-z0-9_%-]+`)
)

// followForm opens an emailed link (a page with a button, so prefetching the
// link changes nothing) and submits the page's form as the button would.
func followForm(t *testing.T, link, choice string) string {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `method="post"`) {
		t.Fatalf("GET %s: HTTP %d, want a page with a form:\n%s", link, resp.StatusCode, page)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"token": {u.Query().Get("token")}, "choice": {choice}}
	resp, err = http.PostForm(u.Scheme+"://"+u.Host+u.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: HTTP %d:\n%s", u.Path, resp.StatusCode, body)
	}
	return string(body)
}

// TestWithdrawThroughTheEmailedLink: the confirmation email carries a
// withdraw link; opening it shows a button, pressing it withdraws, and the
// confirmed count goes back down.
func TestWithdrawThroughTheEmailedLink(t *testing.T) {
	p := newPetition(t, "Withdrawham")
	const email = "withdraw.me@example.org"
	if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature(email), nil); status != http.StatusOK {
		t.Fatalf("sign: HTTP %d", status)
	}
	m := parseMail(t, waitForMail(t, email))
	confirm, withdraw := confirmLink.FindString(m.Text), withdrawLink.FindString(m.Text)
	if confirm == "" || withdraw == "" {
		t.Fatalf("confirmation email lacks the confirm or withdraw link:\n%s", m.Text)
	}
	resp, err := http.Get(confirm)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitFor(t, "count 1", 10*time.Second, func() bool { return getPetition(t, p.ID).ConfirmedCount == 1 })

	// Opening the link alone (as a mail scanner would) withdraws nothing.
	resp, err = http.Get(withdraw)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	time.Sleep(300 * time.Millisecond)
	if got := getPetition(t, p.ID).ConfirmedCount; got != 1 {
		t.Fatalf("opening the withdraw link changed the count to %d", got)
	}

	if page := followForm(t, withdraw, "withdraw"); !strings.Contains(page, "withdrawn") {
		t.Fatalf("withdraw page:\n%s", page)
	}
	waitFor(t, "count back to 0", 10*time.Second, func() bool { return getPetition(t, p.ID).ConfirmedCount == 0 })
}

// TestEraseThroughTheEmailedLink: asking for erasure emails a link; the
// page's button erases every signature of the address.
func TestEraseThroughTheEmailedLink(t *testing.T) {
	p := newPetition(t, "Erasington")
	const email = "erase.me@example.org"
	if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature(email), nil); status != http.StatusOK {
		t.Fatalf("sign: HTTP %d", status)
	}
	waitForMail(t, email)
	if n := countSignatures(t, p.ID); n != 1 {
		t.Fatalf("%d signatures before erasure", n)
	}
	shared.Mail().Clear()
	if status := api(t, "POST", "/api/v1/erasure-requests", "", map[string]any{"email": email, "language": "en"}, nil); status != http.StatusOK {
		t.Fatalf("request erasure: HTTP %d", status)
	}
	link := erasureLink.FindString(parseMail(t, waitForMail(t, email)).Text)
	if link == "" {
		t.Fatal("erasure email lacks the link")
	}
	if page := followForm(t, link, "erase"); !strings.Contains(page, "erased") {
		t.Fatalf("erasure page:\n%s", page)
	}
	// What remains of a withdrawn signature is an anonymous tombstone: nothing
	// in the petition database may still name the address.
	signatures := storeCollection(t, "petition", "signatures")
	waitFor(t, "address erased", 10*time.Second, func() bool {
		n, err := signatures.CountDocuments(context.Background(), bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "email", Value: email}}, bson.D{{Key: "email_key", Value: email}},
		}}})
		return err == nil && n == 0
	})
}
