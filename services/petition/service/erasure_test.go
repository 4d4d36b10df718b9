package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/durationpb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/petition/service"
)

// erasureRequested waits for the ErasureRequested event to email and returns it.
func (h *harness) erasureRequested(ctx context.Context, t *testing.T, email string) *petitionv1.ErasureRequested {
	t.Helper()
	var got *petitionv1.ErasureRequested
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		_, err := readEvents(ctx, h.js, "petition.erasure.requested", func(ev broker.Event) (bool, error) {
			var m petitionv1.ErasureRequested
			if err := ev.Decode(&m); err != nil {
				return false, err
			}
			if m.GetEmail() == email {
				got = &m
			}
			return false, nil
		})
		return got != nil, err
	})
	return got
}

func TestErasureRemovesEverySignatureOfAnAddress(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	p1 := h.createPetition(ctx, t, ptReq("Sintra"))
	p2 := h.createPetition(ctx, t, ptReq("Cascais"))
	const who = "Erase.Me@Example.org"
	h.sign(ctx, t, signReq(p1.GetId(), who))
	h.sign(ctx, t, signReq(p2.GetId(), "erase.me@example.org"))
	h.sign(ctx, t, signReq(p1.GetId(), "keep@example.org"))
	for _, r := range h.waitRequested(ctx, t, p1.GetId(), 2) {
		if _, err := h.anonymous.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: r.GetConfirmationToken()}); err != nil {
			t.Fatal(err)
		}
	}
	h.waitRequested(ctx, t, p2.GetId(), 1) // stays pending
	testkit.Eventually(t, 10*time.Second, func() (bool, error) { return h.count(ctx, t, p1.GetId()) == 2, nil })
	prop := proposeReq("Mafra")
	prop.ProposerEmail = "ERASE.me@example.org"
	if _, err := h.anonymous.ProposePetition(ctx, prop); err != nil {
		t.Fatal(err)
	}

	// The same empty answer for an address that signed and one that did not.
	for _, addr := range []string{who, "nobody@example.org"} {
		if _, err := h.anonymous.RequestErasure(ctx, &petitionv1.RequestErasureRequest{Email: addr, Language: "pt"}); err != nil {
			t.Fatalf("request erasure for %s: %v", addr, err)
		}
	}
	_, err := h.anonymous.RequestErasure(ctx, &petitionv1.RequestErasureRequest{Email: "not an email"})
	testkit.WantCode(t, err, codes.InvalidArgument)

	req := h.erasureRequested(ctx, t, who)
	if tok := req.GetConfirmationToken(); req.GetLanguage() != "pt" || len(tok) != 36+43 || tok[:36] != req.GetRequestId() {
		t.Fatalf("ErasureRequested %v", req)
	}
	// Nothing is erased before the link is followed.
	if n := len(h.signatures(ctx, t, p1.GetId())); n != 2 {
		t.Fatalf("%d signatures before confirmation", n)
	}
	for range 2 { // following the link twice is fine
		if _, err := h.anonymous.ConfirmErasure(ctx, &petitionv1.ConfirmErasureRequest{Token: req.GetConfirmationToken()}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.anonymous.ConfirmErasure(ctx, &petitionv1.ConfirmErasureRequest{Token: strings.Repeat("A", 43)})
	testkit.WantCode(t, err, codes.NotFound)

	testkit.Eventually(t, 10*time.Second, func() (bool, error) { return h.count(ctx, t, p1.GetId()) == 1, nil })
	for _, pid := range []string{p1.GetId(), p2.GetId()} {
		for _, s := range h.signatures(ctx, t, pid) {
			if strings.Contains(strings.ToLower(s.Email+s.EmailKey), "erase.me") {
				t.Fatalf("signature still holds the address: %+v", s)
			}
		}
	}
	if n, _ := h.db.Collection("petitions").CountDocuments(ctx, bson.D{{Key: "proposer_email", Value: bson.D{{Key: "$exists", Value: true}}}}); n != 0 {
		t.Fatalf("%d proposals still name the proposer", n)
	}
	var req2 struct {
		Email  string `bson:"email"`
		Status string `bson:"status"`
	}
	if err := h.db.Collection("erasure_requests").FindOne(ctx, bson.D{{Key: "_id", Value: req.GetRequestId()}}).Decode(&req2); err != nil || req2.Email != "" || req2.Status != "confirmed" {
		t.Fatalf("erasure request after confirmation: %+v (err %v)", req2, err)
	}

	h.settle(ctx, t)
	var confirmed []*petitionv1.ErasureConfirmed
	if _, err := readEvents(ctx, h.js, "petition.erasure.confirmed", func(ev broker.Event) (bool, error) {
		var m petitionv1.ErasureConfirmed
		if err := ev.Decode(&m); err != nil || m.GetRequestId() != req.GetRequestId() {
			return false, err
		}
		confirmed = append(confirmed, &m)
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(confirmed) != 1 || confirmed[0].GetEmail() != "erase.me@example.org" || confirmed[0].GetEmailHash() != logging.EmailHash("erase.me@example.org") {
		t.Fatalf("ErasureConfirmed events %v, want one with the normalised address", confirmed)
	}
	var withdrawn int
	if _, err := readEvents(ctx, h.js, "petition.signature.withdrawn", func(ev broker.Event) (bool, error) {
		var m petitionv1.SignatureWithdrawn
		if err := ev.Decode(&m); err != nil {
			return false, err
		}
		if m.GetPetitionId() == p1.GetId() || m.GetPetitionId() == p2.GetId() {
			withdrawn++
			if m.GetEmail() != "" || m.GetName() != "" { // the erasure is confirmed once, not per signature
				t.Errorf("SignatureWithdrawn by an erasure carries the signer: %v", &m)
			}
		}
		return false, nil
	}); err != nil || withdrawn != 2 {
		t.Fatalf("%d SignatureWithdrawn events (err %v), want 2", withdrawn, err)
	}
}

func TestAbuseLimits(t *testing.T) {
	t.Parallel()
	h := start(t, func(c *service.Config) {
		c.RateLimitPerIP, c.RateLimitPerEmail, c.RateLimitWindow = 6, 3, time.Hour
		c.ResendInterval = time.Hour
	})
	ctx := testkit.Context(t)
	p := h.createPetition(ctx, t, ptReq("Nazaré"))
	from := func(ip string) context.Context {
		return metadata.AppendToOutgoingContext(ctx, "x-forwarded-for", "10.9.9.9, "+ip)
	}

	// One address may name one email 3 times an hour; signing again while
	// pending sends no new link within the resend interval.
	for range 3 {
		if _, err := h.anonymous.SignPetition(from("198.51.100.1"), signReq(p.GetId(), "same@example.org")); err != nil {
			t.Fatal(err)
		}
	}
	_, err := h.anonymous.SignPetition(from("198.51.100.2"), signReq(p.GetId(), "SAME@example.org"))
	st := testkit.WantCode(t, err, codes.ResourceExhausted)
	if !strings.Contains(st.Message(), "try again in") {
		t.Errorf("message %q does not say when to retry", st.Message())
	}
	var retry *errdetails.RetryInfo
	for _, d := range st.Details() {
		if r, ok := d.(*errdetails.RetryInfo); ok {
			retry = r
		}
	}
	if retry == nil || retry.GetRetryDelay().AsDuration() < time.Minute {
		t.Errorf("RetryInfo %v", retry)
	}

	// One network address (the last x-forwarded-for entry, added by the
	// gateway) 6 times an hour, whatever the email.
	for i := range 3 {
		if _, err := h.anonymous.SignPetition(from("198.51.100.1"), signReq(p.GetId(), "other"+string(rune('a'+i))+"@example.org")); err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.anonymous.SignPetition(from("198.51.100.1"), signReq(p.GetId(), "fresh@example.org"))
	testkit.WantCode(t, err, codes.ResourceExhausted)
	_, err = h.anonymous.RequestErasure(from("198.51.100.1"), &petitionv1.RequestErasureRequest{Email: "fresh@example.org"})
	testkit.WantCode(t, err, codes.ResourceExhausted)
	// The client's own x-forwarded-for entries do not dodge it.
	_, err = h.anonymous.SignPetition(metadata.AppendToOutgoingContext(ctx, "x-forwarded-for", "1.2.3.4, 198.51.100.1"), signReq(p.GetId(), "fresh@example.org"))
	testkit.WantCode(t, err, codes.ResourceExhausted)
	if _, err := h.anonymous.SignPetition(from("198.51.100.3"), signReq(p.GetId(), "fresh@example.org")); err != nil {
		t.Fatalf("another address is limited too: %v", err)
	}

	h.settle(ctx, t)
	var toSame int
	msgs, _ := h.requested(ctx, t, p.GetId())
	for _, m := range msgs {
		if m.GetEmail() == "same@example.org" {
			toSame++
		}
	}
	if toSame != 1 {
		t.Errorf("%d confirmation emails for one pending signer within the resend interval, want 1", toSame)
	}

	// Coordinators see the burst: 4 signatures from one (hashed) address,
	// 5 from one domain; never the address itself.
	_, err = h.anonymous.ListSuspiciousBursts(ctx, &petitionv1.ListSuspiciousBurstsRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)
	resp, err := h.coordinator.ListSuspiciousBursts(ctx, &petitionv1.ListSuspiciousBurstsRequest{Threshold: 4, Window: durationpb.New(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var ipBurst, domainBurst *petitionv1.SuspiciousBurst
	for _, b := range resp.GetBursts() {
		switch b.GetSource() {
		case petitionv1.BurstSource_BURST_SOURCE_IP:
			ipBurst = b
		case petitionv1.BurstSource_BURST_SOURCE_EMAIL_DOMAIN:
			domainBurst = b
		}
		if strings.Contains(b.GetKey(), "198.51") {
			t.Errorf("burst key shows the address: %v", b)
		}
	}
	if ipBurst == nil || ipBurst.GetSignatures() != 4 || ipBurst.GetPetitions() != 1 {
		t.Errorf("ip burst %v, want 4 signatures on 1 petition (bursts %v)", ipBurst, resp.GetBursts())
	}
	if domainBurst == nil || domainBurst.GetKey() != "example.org" || domainBurst.GetSignatures() != 5 {
		t.Errorf("domain burst %v, want example.org with 5", domainBurst)
	}
}
