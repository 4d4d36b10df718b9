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

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
)

var preferencesLink = regexp.MustCompile(`https?://\S+/preferences/[A-Za-z0-9_-]+`)

// TestUnsubscribeThroughTheGateway: a signer gets the outcome of a
// petition (optional "petition news" with RFC 8058 headers); the mail
// provider's one-click POST to the List-Unsubscribe URL, cross-site and
// without a login, answers 200; the next petition news for the address is
// recorded as suppressed and not sent, while the confirmation email of the
// second signature (essential) still arrives; the preferences page from
// the footer shows the choice and, through a same-site form, opts back in.
func TestUnsubscribeThroughTheGateway(t *testing.T) {
	const email = "una.unsubscribe@example.org"
	first := signConfirmAndJoin(t, "Rovaniemi", email)
	var news parsedMail
	waitFor(t, "the outcome email", 20*time.Second, func() bool {
		for _, m := range mailTo(t, email) {
			if strings.Contains(m.Subject, "joined the coalition") {
				news = parseMail(t, rawMail(t, m.ID))
				return true
			}
		}
		return false
	})
	lu := news.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<"+shared.Addresses().GatewayURL+"/unsubscribe/") || news.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("petition %s: outcome email headers List-Unsubscribe %q, -Post %q", first, lu, news.Header.Get("List-Unsubscribe-Post"))
	}
	unsubscribeURL := strings.Trim(lu, "<>")

	// Opening the link changes nothing (mail scanners prefetch links).
	status, page := fetch(t, http.MethodGet, unsubscribeURL, nil, nil)
	if status != http.StatusOK || !strings.Contains(page, "Your email preferences") || !strings.Contains(page, `action="/unsubscribe/`) {
		t.Fatalf("GET unsubscribe link: HTTP %d\n%s", status, page)
	}
	// The one-click POST, as a mail provider sends it.
	status, page = fetch(t, http.MethodPost, unsubscribeURL, strings.NewReader("List-Unsubscribe=One-Click"), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site", "Origin": "https://mail.example.net",
	})
	if status != http.StatusOK || !strings.Contains(page, "You are unsubscribed from “Petition news”") {
		t.Fatalf("one-click unsubscribe: HTTP %d\n%s", status, page)
	}

	// The next petition news for the address: suppressed, not sent. The
	// second signature's confirmation (essential) still comes.
	second := signConfirmAndJoin(t, "Joensuu", email)
	waitFor(t, "the suppressed outcome delivery", 20*time.Second, func() bool {
		var out struct {
			Deliveries []struct {
				Template string `json:"template"`
				Category string `json:"category"`
			} `json:"deliveries"`
		}
		api(t, "GET", "/api/v1/deliveries?status=DELIVERY_STATUS_SUPPRESSED&recipient="+url.QueryEscape(email), coordinatorToken(t), nil, &out)
		return len(out.Deliveries) == 1 && out.Deliveries[0].Template == "petition_succeeded" && out.Deliveries[0].Category == "petition_news"
	})
	time.Sleep(time.Second)
	var confirmations, outcomes int
	for _, m := range mailTo(t, email) {
		switch {
		case strings.HasPrefix(m.Subject, "Confirm your signature"):
			confirmations++
		case strings.Contains(m.Subject, "joined the coalition"):
			outcomes++
		}
	}
	if confirmations != 2 || outcomes != 1 {
		t.Errorf("petition %s: %d confirmations (want 2) and %d outcome emails (want 1: the second is suppressed)", second, confirmations, outcomes)
	}

	// The preferences page from an email's footer.
	prefs := preferencesLink.FindString(news.Text)
	if prefs == "" {
		t.Fatalf("no preferences link in the footer:\n%s", news.Text)
	}
	path := strings.TrimPrefix(prefs, shared.Addresses().GatewayURL)
	status, page = fetch(t, http.MethodGet, prefs, nil, map[string]string{"Accept-Language": "es"})
	if status != http.StatusOK || !strings.Contains(page, `<html lang="es">`) || !strings.Contains(page, "Noticias de peticiones") || !strings.Contains(page, "No recibes estos correos.") {
		t.Fatalf("preferences page: HTTP %d\n%s", status, page)
	}
	// A form posted from another site is refused; from the page it works.
	form := url.Values{"category": {"petition_news"}, "subscribed": {"true"}}.Encode()
	status, _ = fetch(t, http.MethodPost, prefs, strings.NewReader(form), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site",
	})
	if status != http.StatusForbidden {
		t.Errorf("cross-site preferences form: HTTP %d, want 403", status)
	}
	status, page = fetch(t, http.MethodPost, prefs, strings.NewReader(form), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin",
	})
	if status != http.StatusOK || !strings.Contains(page, "Your choice is saved.") || !strings.Contains(page, "You receive these emails.") {
		t.Errorf("opting back in: HTTP %d\n%s", status, page)
	}
	// The JSON API says the same.
	var out struct {
		Preferences struct {
			Categories []struct {
				Category   string `json:"category"`
				Subscribed bool   `json:"subscribed"`
			} `json:"categories"`
		} `json:"preferences"`
	}
	token := path[len("/preferences/"):]
	if status := api(t, "POST", "/api/v1/email-preferences:lookup", "", map[string]any{"token": token}, &out); status != http.StatusOK ||
		len(out.Preferences.Categories) == 0 || out.Preferences.Categories[0].Category != "petition_news" || !out.Preferences.Categories[0].Subscribed {
		t.Errorf("API preferences: HTTP %d %+v", status, out)
	}
	// A made-up token opens nothing.
	if status, _ := fetch(t, http.MethodPost, shared.Addresses().GatewayURL+"/unsubscribe/"+strings.Repeat("A", 66), nil, nil); status != http.StatusNotFound {
		t.Errorf("forged one-click token: HTTP %d, want 404", status)
	}
}

// signConfirmAndJoin opens a petition for city, signs it as email (asking
// to hear the outcome) and confirms, then records the city as a member and
// waits for the outcome to be announced. It returns the petition id.
func signConfirmAndJoin(t *testing.T, city, email string) string {
	t.Helper()
	var created struct{ Petition petition }
	if status := api(t, "POST", "/api/v1/petitions", coordinatorToken(t), map[string]any{
		"city": city, "country": "FI", "goal": 100,
		"texts": []map[string]string{{"language": "en", "title": city + ", join the coalition", "body": "Please."}},
	}, &created); status != http.StatusOK {
		t.Fatalf("create petition for %s: HTTP %d", city, status)
	}
	if status := api(t, "POST", "/api/v1/petitions/"+created.Petition.ID+"/signatures", "", signature(email), nil); status != http.StatusOK {
		t.Fatalf("sign: HTTP %d", status)
	}
	var link string
	waitFor(t, "the confirmation email", 20*time.Second, func() bool {
		for _, m := range mailTo(t, email) {
			if strings.HasPrefix(m.Subject, "Confirm your signature") && strings.Contains(m.Subject, city) {
				link = confirmLink.FindString(parseMail(t, rawMail(t, m.ID)).Text)
				return link != ""
			}
		}
		return false
	})
	if status, _ := fetch(t, http.MethodGet, link, nil, nil); status != http.StatusOK {
		t.Fatalf("confirm: HTTP %d", status)
	}
	conn, err := grpc.NewClient(shared.Addresses().Membership, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(auth.BearerToken(coordinatorToken(t))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := membershipv1.NewMembershipServiceClient(conn).CreateMember(ctx, &membershipv1.CreateMemberRequest{
		Name: city, Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: "FI",
		Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: timestamppb.Now(),
	}); err != nil {
		t.Fatalf("record %s as a member: %v", city, err)
	}
	waitFor(t, city+"'s petition to succeed", 20*time.Second, func() bool {
		return getPetitionStatus(t, created.Petition.ID) == "PETITION_STATUS_SUCCEEDED"
	})
	return created.Petition.ID
}

func getPetitionStatus(t *testing.T, id string) string {
	t.Helper()
	var out struct {
		Petition struct {
			Status string `json:"status"`
		}
	}
	api(t, "GET", "/api/v1/petitions/"+id, "", nil, &out)
	return out.Petition.Status
}

// rawMail fetches a message's source from the catcher's HTTP API.
func rawMail(t *testing.T, id string) []byte {
	t.Helper()
	resp, err := http.Get(shared.Addresses().MailURL + "/messages/" + id + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return raw
}

// fetch makes one HTTP request (redirects followed) and returns the final
// status and body.
func fetch(t *testing.T, method, target string, body io.Reader, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
