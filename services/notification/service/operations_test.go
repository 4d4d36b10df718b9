package service_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"google.golang.org/grpc/codes"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// testDeadLetters: an event a consumer cannot handle is listed with its
// error, and its replay fails again and keeps it; a dead letter whose cause
// has passed (here: recorded as if SMTP had been down through every
// redelivery) is replayed through the inbox and emails once, and neither a
// second replay nor a late redelivery of the event emails again.
func (h *harness) testDeadLetters(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)

	// Unreadable payload: dead-lettered at once by the real consumer.
	bad, _ := request(t, recipient("garbled"), "en")
	bad.Data = []byte{0xff, 0xff, 0xff}
	h.publish(ctx, t, bad.Msg())
	var letter *notificationv1.DeadLetter
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		resp, err := h.coordinator.ListDeadLetters(ctx, &notificationv1.ListDeadLettersRequest{Consumer: durable, PageSize: 500})
		if err != nil {
			return false, err
		}
		for _, d := range resp.GetDeadLetters() {
			if d.GetEventId() == bad.ID {
				letter = d
			}
		}
		return letter != nil, errors.New("not dead-lettered yet")
	})
	if letter.GetConsumer() != durable || letter.GetSubject() != "petition.signature.requested" || letter.GetError() == "" ||
		letter.GetEventType() != "coalition.petition.v1.SignatureRequested" || letter.GetFailedAt() == nil {
		t.Errorf("dead letter %v", letter)
	}
	_, err := h.coordinator.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: durable, EventId: bad.ID})
	testkit.WantCode(t, err, codes.FailedPrecondition)

	// A dead letter whose cause has passed.
	to := recipient("replayed")
	ev, _ := request(t, to, "es")
	in := inbox.New(h.db)
	if err := in.RecordDeadLetter(ctx, durable, ev, 8, errors.New("send failed temporarily")); err != nil {
		t.Fatal(err)
	}
	resp, err := h.coordinator.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: durable, EventId: ev.ID})
	if err != nil || resp.GetAlreadyApplied() {
		t.Fatalf("replay: %v %v", resp, err)
	}
	h.waitMail(ctx, t, to, 15*time.Second)
	_, err = h.coordinator.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: durable, EventId: ev.ID})
	testkit.WantCode(t, err, codes.NotFound)
	late := ev.Msg()
	late.Header.Set(nats.MsgIdHdr, uuid.NewString())
	h.publish(ctx, t, late)
	time.Sleep(time.Second)
	if n := len(h.mailTo(to)); n != 1 {
		t.Errorf("%d emails after a replay and a late redelivery, want 1", n)
	}

	// Applied meanwhile (a redelivery got through): the replay only clears it.
	to2 := recipient("meanwhile")
	ev2, _ := request(t, to2, "en")
	h.publish(ctx, t, ev2.Msg())
	h.waitMail(ctx, t, to2, 15*time.Second)
	h.waitApplied(ctx, t, durable, ev2.ID)
	if err := in.RecordDeadLetter(ctx, durable, ev2, 8, errors.New("x")); err != nil {
		t.Fatal(err)
	}
	resp, err = h.coordinator.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: durable, EventId: ev2.ID})
	if err != nil || !resp.GetAlreadyApplied() {
		t.Errorf("replay of an applied event: %v %v", resp, err)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(h.mailTo(to2)); n != 1 {
		t.Errorf("%d emails, want 1", n)
	}

	// Who may, and bad input.
	_, err = h.anonymous.ListDeadLetters(ctx, &notificationv1.ListDeadLettersRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = h.coordinator.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: "no-such-consumer", EventId: uuid.NewString()})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.coordinator.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: durable, EventId: "not-a-uuid"})
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = h.coordinator.ListDeadLetters(ctx, &notificationv1.ListDeadLettersRequest{PageToken: "garbage!"})
	testkit.WantCode(t, err, codes.InvalidArgument)
}

// testResendFailedDelivery: a delivery refused for good (5xx) is sent again
// by a coordinator as a new attempt of the same record: one email, the
// same Message-ID; a sent delivery cannot be resent (never a second email).
func (h *harness) testResendFailedDelivery(t *testing.T) {
	ctx := testkit.Context(t)
	h.idle(ctx, t, 15*time.Second)
	to := recipient("resend")
	ev, _ := request(t, to, "en")
	h.catcher.FailNext(1, 550, "mailbox unavailable")
	h.publish(ctx, t, ev.Msg())
	var failed delivery
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		ds := h.deliveries(ctx, t, to)
		if len(ds) == 1 {
			failed = ds[0]
		}
		return len(ds) == 1 && ds[0].Status == "failed", fmt.Errorf("deliveries %+v", ds)
	})

	_, err := h.anonymous.ResendDelivery(ctx, &notificationv1.ResendDeliveryRequest{DeliveryId: failed.ID})
	testkit.WantCode(t, err, codes.Unauthenticated)
	resp, err := h.coordinator.ResendDelivery(ctx, &notificationv1.ResendDeliveryRequest{DeliveryId: failed.ID})
	if err != nil {
		t.Fatal(err)
	}
	if d := resp.GetDelivery(); d.GetId() != failed.ID || d.GetStatus() != notificationv1.DeliveryStatus_DELIVERY_STATUS_PENDING {
		t.Errorf("resend answered %v", d)
	}
	p := parseMail(t, h.waitMail(ctx, t, to, 15*time.Second).Raw)
	if p.messageID != "<"+failed.MessageID+">" {
		t.Errorf("Message-ID %s, want the delivery's %s", p.messageID, failed.MessageID)
	}
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		ds := h.deliveries(ctx, t, to)
		// One attempt: a resend starts the count afresh.
		return len(ds) == 1 && ds[0].Status == "sent" && ds[0].Attempts == 1, fmt.Errorf("deliveries %+v", ds)
	})
	_, err = h.coordinator.ResendDelivery(ctx, &notificationv1.ResendDeliveryRequest{DeliveryId: failed.ID})
	if st := testkit.WantCode(t, err, codes.FailedPrecondition); !strings.Contains(st.Message(), "sent") {
		t.Errorf("resending a sent delivery: %v", st.Message())
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(h.mailTo(to)); n != 1 {
		t.Errorf("%d emails, want 1", n)
	}
	_, err = h.coordinator.ResendDelivery(ctx, &notificationv1.ResendDeliveryRequest{DeliveryId: strings.Repeat("0", 32)})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = h.coordinator.ResendDelivery(ctx, &notificationv1.ResendDeliveryRequest{DeliveryId: "x"})
	testkit.WantCode(t, err, codes.InvalidArgument)
}
