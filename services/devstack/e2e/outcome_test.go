package e2e

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// TestCityJoinsPetitionSucceeds: residents sign and confirm; the city
// joins (a coordinator records it as a member in membership); the petition
// succeeds and the signer who asked to hear the outcome is emailed, the
// other is not.
func TestCityJoinsPetitionSucceeds(t *testing.T) {
	const city, country = "Tartu", "EE"
	var created struct{ Petition petition }
	if status := api(t, "POST", "/api/v1/petitions", coordinatorToken(t), map[string]any{
		"city": city, "country": country, "goal": 100,
		"texts": []map[string]string{{"language": "en", "title": city + ", join the coalition", "body": "Please."}},
	}, &created); status != http.StatusOK {
		t.Fatalf("create petition: HTTP %d", status)
	}
	p := created.Petition

	const optIn, optOut = "outcome.yes@example.org", "outcome.no@example.org"
	quiet := signature(optOut)
	quiet["notify_outcome"] = false
	for _, body := range []map[string]any{signature(optIn), quiet} {
		if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", body, nil); status != http.StatusOK {
			t.Fatalf("sign: HTTP %d", status)
		}
	}
	for _, addr := range []string{optIn, optOut} {
		link := confirmLink.FindString(parseMail(t, waitForMail(t, addr)).Text)
		if link == "" {
			t.Fatalf("no confirmation link for %s", addr)
		}
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm %s: HTTP %d", addr, resp.StatusCode)
		}
	}

	// A petition for a member city is refused; this one is not a member yet.
	conn, err := grpc.NewClient(shared.Addresses().Membership, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(auth.BearerToken(coordinatorToken(t))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := membershipv1.NewMembershipServiceClient(conn).CreateMember(ctx, &membershipv1.CreateMemberRequest{
		Name: city, Kind: membershipv1.MemberKind_MEMBER_KIND_CITY, Country: country,
		Status: membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, JoinedAt: timestamppb.Now(),
	}); err != nil {
		t.Fatalf("record %s as a member: %v", city, err)
	}

	waitFor(t, "the petition to succeed", 20*time.Second, func() bool {
		var out struct {
			Petition struct {
				Status string `json:"status"`
			}
		}
		api(t, "GET", "/api/v1/petitions/"+p.ID, "", nil, &out)
		return out.Petition.Status == "PETITION_STATUS_SUCCEEDED"
	})
	waitFor(t, "the outcome email", 20*time.Second, func() bool { return len(mailTo(t, optIn)) == 2 })
	var outcome inboxMessage
	for _, m := range mailTo(t, optIn) {
		if strings.Contains(m.Subject, "joined the coalition") {
			outcome = m
		}
	}
	if outcome.ID == "" || !strings.Contains(outcome.Subject, city) {
		t.Fatalf("no outcome email for %s: %+v", optIn, mailTo(t, optIn))
	}
	resp, err := http.Get(shared.Addresses().MailURL + "/messages/" + outcome.ID + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := parseMail(t, raw); !strings.Contains(m.Text, "/petitions/"+p.ID) {
		t.Errorf("outcome email lacks the petition link:\n%s", m.Text)
	}

	// Opening another petition for the city now is refused (it is a member).
	var apiErr map[string]any
	if status := api(t, "POST", "/api/v1/petitions", coordinatorToken(t), map[string]any{
		"city": city, "country": country, "goal": 10,
		"texts": []map[string]string{{"language": "en", "title": "again", "body": "."}},
	}, &apiErr); status != http.StatusBadRequest && status != http.StatusConflict && status != http.StatusPreconditionFailed {
		t.Errorf("petition for a member city: HTTP %d %v", status, apiErr)
	}
	time.Sleep(time.Second)
	if n := len(mailTo(t, optOut)); n != 1 {
		t.Errorf("%d emails to the signer who did not opt in, want 1 (the confirmation)", n)
	}
	if n := len(mailTo(t, optIn)); n != 2 {
		t.Errorf("%d emails to the signer who opted in, want 2", n)
	}
}
