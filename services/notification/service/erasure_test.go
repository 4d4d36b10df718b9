package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// testErasure: the erasure link is emailed in the person's language; once
// the erasure is confirmed every delivery to the address is gone (whatever
// its case), other people's stay, and a suppression hash stays.
func (h *harness) testErasure(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	typed := "Erase." + strings.ToUpper(uuid.NewString()[:6]) + "@Example.org"
	normalised := strings.ToLower(typed)
	other := recipient("bystander")

	// Earlier mail to both.
	for _, to := range []string{typed, other} {
		ev, _ := request(t, to, "en")
		h.publish(ctx, t, ev.Msg())
		h.waitMail(ctx, t, to, 15*time.Second)
	}
	testkit.Eventually(t, 15*time.Second, func() (bool, error) { return len(h.deliveries(ctx, t, typed)) == 1, nil })

	token := strings.Repeat("t", 43)
	req, err := broker.NewEvent("/test", &petitionv1.ErasureRequested{
		RequestId: uuid.NewString(), Email: normalised, Language: "ca", ConfirmationToken: token,
		ExpiresAt: timestamppb.New(time.Now().Add(time.Hour)),
	})
	if err != nil {
		t.Fatal(err)
	}
	h.publish(ctx, t, req.Msg())
	testkit.Eventually(t, 15*time.Second, func() (bool, error) { return len(h.mailTo(normalised)) >= 2, nil })
	var erasureMail *parsed
	for _, m := range h.mailTo(normalised) {
		p := parseMail(t, m.Raw)
		if strings.Contains(p.text, "/erasure/confirm?token="+token) {
			erasureMail = &p
		}
	}
	if erasureMail == nil || erasureMail.subject != "Confirma: esborrar les teves signatures" {
		t.Fatalf("no erasure confirmation email in Catalan (got %+v)", erasureMail)
	}
	if err := h.store().AddSuppression(ctx, typed, "unsubscribed"); err != nil {
		t.Fatal(err)
	}

	conf, err := broker.NewEvent("/test", &petitionv1.ErasureConfirmed{
		RequestId: uuid.NewString(), Email: normalised, EmailHash: logging.EmailHash(normalised), ConfirmedAt: timestamppb.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	h.publish(ctx, t, conf.Msg())
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		n, err := h.db.Collection("deliveries").CountDocuments(ctx, bson.D{{Key: "recipient", Value: bson.D{{Key: "$in", Value: bson.A{typed, normalised}}}}})
		return n == 0, err
	})
	if n := len(h.deliveries(ctx, t, other)); n != 1 {
		t.Errorf("%d deliveries to a bystander after someone else's erasure, want 1", n)
	}
	if ok, err := h.store().Suppressed(ctx, normalised); err != nil || !ok {
		t.Errorf("suppression lost (err %v)", err)
	}
	var s bson.M
	if err := h.db.Collection("suppressions").FindOne(ctx, bson.D{}).Decode(&s); err != nil {
		t.Fatal(err)
	}
	for _, v := range s {
		if str, ok := v.(string); ok && strings.Contains(strings.ToLower(str), "erase.") {
			t.Errorf("suppression keeps the address: %v", s)
		}
	}
}

func (h *harness) store() *store.Store { return store.New(h.db, nil) }
