package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/kit/broker"
)

// TestOutboxWhileNATSIsDown: with NATS stopped a signature is still accepted
// and stored; when NATS comes back its event is published exactly once and
// the confirmation email arrives once.
func TestOutboxWhileNATSIsDown(t *testing.T) {
	p := newPetition(t, "Outageville")
	const email = "outage@example.org"
	// Let the petition's own event go out before the outage.
	waitFor(t, "petition event published", 10*time.Second, func() bool {
		n, _ := storeCollection(t, "petition", "petitions").CountDocuments(context.Background(), bson.D{{Key: "_id", Value: p.ID}, {Key: "outbox_pending", Value: true}})
		return n == 0
	})

	shared.NATS().Shutdown()
	restarted := false
	defer func() {
		if !restarted {
			_ = shared.NATS().Start()
		}
	}()

	if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature(email), nil); status != http.StatusOK {
		t.Fatalf("signing while NATS is down: HTTP %d, want 200", status)
	}
	if n := countSignatures(t, p.ID); n != 1 {
		t.Fatalf("signature not stored: %d", n)
	}
	time.Sleep(time.Second)
	pending, err := storeCollection(t, "petition", "signatures").CountDocuments(context.Background(),
		bson.D{{Key: "petition_id", Value: p.ID}, {Key: "outbox_pending", Value: true}})
	if err != nil || pending != 1 {
		t.Fatalf("event should wait in the outbox: pending=%d err=%v", pending, err)
	}
	if n := len(mailTo(t, email)); n != 0 {
		t.Fatalf("email sent while NATS was down?")
	}

	if err := shared.NATS().Start(); err != nil {
		t.Fatal(err)
	}
	restarted = true
	waitForMail(t, email)
	// Give any duplicate time to show up before counting.
	time.Sleep(2 * time.Second)
	if n := len(mailTo(t, email)); n != 1 {
		t.Fatalf("%d emails after recovery, want exactly 1", n)
	}
	if got := countEvents(t, "petition.signature.requested", p.ID); got != 1 {
		t.Fatalf("SignatureRequested in the stream %d times, want 1", got)
	}
}

// TestForcedRedeliveryEmailsOnce: the same event delivered twice to the
// notification service (a copy that slips past JetStream's de-duplication)
// produces one delivery and one email.
func TestForcedRedeliveryEmailsOnce(t *testing.T) {
	p := newPetition(t, "Redeliveryton")
	const email = "redelivery@example.org"
	if status := api(t, "POST", "/api/v1/petitions/"+p.ID+"/signatures", "", signature(email), nil); status != http.StatusOK {
		t.Fatalf("sign: HTTP %d", status)
	}
	waitForMail(t, email)

	// Find the event and publish a copy with a different Nats-Msg-Id.
	msg := findEvent(t, "petition.signature.requested", p.ID)
	nc, err := nats.Connect(shared.Addresses().NATSURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	dup := nats.NewMsg(msg.Subject())
	dup.Data = msg.Data()
	for k, v := range msg.Headers() {
		dup.Header[k] = v
	}
	dup.Header.Set(nats.MsgIdHdr, msg.Headers().Get(broker.HeaderID)+"-redelivered")
	if _, err := js.PublishMsg(context.Background(), dup); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(t, "petition.signature.requested", p.ID); got != 2 {
		t.Fatalf("the copy is not in the stream (%d)", got)
	}
	// Wait until the notification consumer has processed the copy too.
	waitFor(t, "copy consumed", 15*time.Second, func() bool {
		info, err := js.Consumer(context.Background(), "PETITION", "notification-petition-mail")
		if err != nil {
			return false
		}
		ci, err := info.Info(context.Background())
		return err == nil && ci.NumPending == 0 && ci.NumAckPending == 0
	})
	time.Sleep(500 * time.Millisecond)
	if n := len(mailTo(t, email)); n != 1 {
		t.Fatalf("%d emails, want exactly 1", n)
	}
	n, err := storeCollection(t, "notification", "deliveries").CountDocuments(context.Background(),
		bson.D{{Key: "event_id", Value: msg.Headers().Get(broker.HeaderID)}})
	if err != nil || n != 1 {
		t.Fatalf("deliveries for the event: %d (%v), want 1", n, err)
	}
}

// findEvent returns the stream message of subject whose payload mentions id.
func findEvent(t *testing.T, subject, id string) jetstream.Msg {
	t.Helper()
	var found jetstream.Msg
	eachEvent(t, subject, func(m jetstream.Msg) {
		if found == nil && containsID(m.Data(), id) {
			found = m
		}
	})
	if found == nil {
		t.Fatalf("no %s event for %s", subject, id)
	}
	return found
}

func countEvents(t *testing.T, subject, id string) int {
	t.Helper()
	n := 0
	eachEvent(t, subject, func(m jetstream.Msg) {
		if containsID(m.Data(), id) {
			n++
		}
	})
	return n
}

func eachEvent(t *testing.T, subject string, fn func(jetstream.Msg)) {
	t.Helper()
	nc, err := nats.Connect(shared.Addresses().NATSURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cons, err := js.OrderedConsumer(ctx, "PETITION", jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	for {
		m, err := cons.Next(jetstream.FetchMaxWait(300 * time.Millisecond))
		if err != nil {
			return
		}
		fn(m)
	}
}

// containsID reports whether a protobuf payload carries id as a string
// field (ids are written verbatim in the wire format).
func containsID(data []byte, id string) bool {
	return len(id) > 0 && bytesContains(data, []byte(id))
}
