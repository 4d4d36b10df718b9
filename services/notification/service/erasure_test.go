package service_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// testErasure: the erasure link is emailed in the person's language; once
// the erasure is confirmed every delivery to the address is gone (whatever
// its case), other people's stay, and the address's opt-outs stay (as a
// hash only). Dead letters naming the address go too, so no replay emails
// them after their erasure; a bystander's stays.
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
	if err := h.store().Suppress(ctx, store.AddressHash(typed), "petition_news", "unsubscribed"); err != nil {
		t.Fatal(err)
	}
	in := inbox.New(h.db)
	deadMine, _ := request(t, typed, "en")
	deadOther, _ := request(t, other, "en")
	for _, ev := range []broker.Event{deadMine, deadOther} {
		if err := in.RecordDeadLetter(ctx, durable, ev, 8, errors.New("send failed temporarily")); err != nil {
			t.Fatal(err)
		}
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
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		_, err := in.DeadLetter(ctx, durable, deadMine.ID)
		return errors.Is(err, inbox.ErrDeadLetterNotFound), fmt.Errorf("the erased person's dead letter: %v", err)
	})
	_, err = h.coordinator.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: durable, EventId: deadMine.ID})
	testkit.WantCode(t, err, codes.NotFound)
	if _, err := in.DeadLetter(ctx, durable, deadOther.ID); err != nil {
		t.Errorf("a bystander's dead letter went with someone else's erasure: %v", err)
	}
	if ok, err := h.store().Suppressed(ctx, store.AddressHash(normalised), "petition_news"); err != nil || !ok {
		t.Errorf("suppression lost (err %v)", err)
	}
	var s bson.M
	if err := h.db.Collection("suppressions").FindOne(ctx, bson.D{{Key: "address_hash", Value: store.AddressHash(typed)}}).Decode(&s); err != nil {
		t.Fatal(err)
	}
	for _, v := range s {
		if str, ok := v.(string); ok && strings.Contains(strings.ToLower(str), "erase.") {
			t.Errorf("suppression keeps the address: %v", s)
		}
	}
}

func (h *harness) store() *store.Store {
	return store.New(h.db, mongodb.NewUpdater(mongodb.NewDocLocks(), true))
}
