package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// testUnsubscribe: the one-click link of an optional email (its
// List-Unsubscribe header) opts the address out of that category, with
// no login (the token is the credential): the next email of the category
// is recorded as suppressed and not sent, while a transactional email
// still goes; opting back in on the preferences page restores it.
func (h *harness) testUnsubscribe(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	to := "Una." + uuid.NewString()[:8] + "@Example.org"
	outcome := func() *petitionv1.SignatureOutcomeAnnounced {
		return &petitionv1.SignatureOutcomeAnnounced{
			SignatureId: uuid.NewString(), PetitionId: uuid.NewString(), Outcome: petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED,
			PetitionTitle: "Braga, junta-te", City: "Braga", Name: "Una", Email: to, Language: "pt",
		}
	}
	h.emit(ctx, t, outcome())
	p := parseMail(t, h.waitMail(ctx, t, to, 15*time.Second).Raw)
	lu := p.header.Get("List-Unsubscribe")
	prefix := "<" + baseURL + "/unsubscribe/"
	if !strings.HasPrefix(lu, prefix) || !strings.HasSuffix(lu, ">") || p.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe %q", lu)
	}
	token := strings.TrimSuffix(strings.TrimPrefix(lu, prefix), ">")
	if !strings.Contains(p.text, baseURL+"/unsubscribe/"+token) {
		t.Error("the footer lacks the unsubscribe link")
	}

	// One click (no bearer token: the link's token is the credential).
	resp, err := h.anonymous.Unsubscribe(ctx, &notificationv1.UnsubscribeRequest{Token: token, Language: "pt"})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.GetPreferences(); got.GetTokenCategory() != "petition_news" || got.GetLanguage() != "pt" || !subscribed(got, "coordinator_alerts") || subscribed(got, "petition_news") {
		t.Errorf("after unsubscribing: %v", got)
	}
	if _, err := h.anonymous.Unsubscribe(ctx, &notificationv1.UnsubscribeRequest{Token: token}); err != nil {
		t.Errorf("a second click: %v", err)
	}
	// Nothing about the address is kept in the clear.
	var sup bson.M
	if err := h.db.Collection("suppressions").FindOne(ctx, bson.D{{Key: "category", Value: "petition_news"}, {Key: "reason", Value: "one-click unsubscribe"}}).Decode(&sup); err != nil {
		t.Fatal(err)
	}
	for _, v := range sup {
		if s, ok := v.(string); ok && strings.Contains(strings.ToLower(s), "una.") {
			t.Errorf("the suppression keeps the address: %v", sup)
		}
	}

	// The next petition news: recorded as suppressed, not sent.
	second := h.emit(ctx, t, outcome())
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		for _, d := range h.deliveries(ctx, t, to) {
			if d.EventID == second.ID {
				return d.Status == "suppressed", nil
			}
		}
		return false, nil
	})
	// A transactional email still goes (the address as the signer typed it
	// differently: the opt-out follows the normalised address).
	ev, _ := request(t, strings.ToLower(to), "pt")
	h.publish(ctx, t, ev.Msg())
	testkit.Eventually(t, 15*time.Second, func() (bool, error) { return len(h.mailTo(to)) == 2, nil })
	time.Sleep(300 * time.Millisecond)
	if n := len(h.mailTo(to)); n != 2 {
		t.Errorf("%d emails, want 2 (the first news, the confirmation)", n)
	}

	// The preferences page's token (from the transactional email's footer)
	// shows the same, and opts back in.
	var conf parsed
	for _, m := range h.mailTo(to) {
		if strings.HasPrefix(m.Subject, "Confirme a sua assinatura") {
			conf = parseMail(t, m.Raw)
		}
	}
	if conf.header.Get("List-Unsubscribe") != "" {
		t.Error("a transactional email has List-Unsubscribe")
	}
	i := strings.Index(conf.text, baseURL+"/preferences/")
	if i < 0 {
		t.Fatalf("no preferences link in:\n%s", conf.text)
	}
	prefToken := strings.Fields(conf.text[i+len(baseURL+"/preferences/"):])[0]
	got, err := h.anonymous.GetEmailPreferences(ctx, &notificationv1.GetEmailPreferencesRequest{Token: prefToken, Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetPreferences().GetTokenCategory() != "" || subscribed(got.GetPreferences(), "petition_news") || got.GetPreferences().GetCategories()[0].GetTitle() != "Noticias de peticiones" {
		t.Errorf("preferences: %v", got.GetPreferences())
	}
	upd, err := h.anonymous.UpdateEmailPreferences(ctx, &notificationv1.UpdateEmailPreferencesRequest{Token: prefToken, Category: "petition_news", Subscribed: true})
	if err != nil || !subscribed(upd.GetPreferences(), "petition_news") {
		t.Fatalf("opt back in: %v %v", upd, err)
	}
	// A preferences-only token names no category to unsubscribe from.
	_, err = h.anonymous.Unsubscribe(ctx, &notificationv1.UnsubscribeRequest{Token: prefToken})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	h.emit(ctx, t, outcome())
	testkit.Eventually(t, 15*time.Second, func() (bool, error) { return len(h.mailTo(to)) == 3, nil })

	// Bad input changes nothing.
	_, err = h.anonymous.UpdateEmailPreferences(ctx, &notificationv1.UpdateEmailPreferencesRequest{Token: prefToken, Category: "transactional"})
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = h.anonymous.GetEmailPreferences(ctx, &notificationv1.GetEmailPreferencesRequest{Token: "short"})
	testkit.WantCode(t, err, codes.InvalidArgument)
	forged := "AQ" + strings.Repeat("A", 64) // well formed (version 1, no category), not signed by us
	_, err = h.anonymous.Unsubscribe(ctx, &notificationv1.UnsubscribeRequest{Token: forged})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.anonymous.GetEmailPreferences(ctx, &notificationv1.GetEmailPreferencesRequest{Token: token[:len(token)-2] + "AA"})
	testkit.WantCode(t, err, codes.NotFound)
}

func subscribed(p *notificationv1.EmailPreferences, category string) bool {
	for _, c := range p.GetCategories() {
		if c.GetCategory() == category {
			return c.GetSubscribed()
		}
	}
	return false
}
