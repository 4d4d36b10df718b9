package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// testPetitionSucceededEmail: a signer who asked to hear the outcome gets
// one email in their language with a link to the petition, however often
// the event is delivered; another outcome sends nothing.
func (h *harness) testPetitionSucceededEmail(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	to := recipient("outcome")
	petitionID := uuid.NewString()
	ev, err := broker.NewEvent("/test", &petitionv1.SignatureOutcomeAnnounced{
		SignatureId: uuid.NewString(), PetitionId: petitionID, Outcome: petitionv1.PetitionStatus_PETITION_STATUS_SUCCEEDED,
		PetitionTitle: "Coimbra, junta-te à coligação", City: "Coimbra", Name: "Rui <Costa>", Email: to, Language: "pt",
	})
	if err != nil {
		t.Fatal(err)
	}
	first, second := ev.Msg(), ev.Msg()
	second.Header.Set(nats.MsgIdHdr, uuid.NewString())
	h.publish(ctx, t, first)
	h.publish(ctx, t, second)

	m := h.waitMail(ctx, t, to, 15*time.Second)
	p := parseMail(t, m.Raw)
	if p.subject != "Coimbra aderiu à coligação: Coimbra, junta-te à coligação" {
		t.Errorf("subject %q", p.subject)
	}
	link := baseURL + "/petitions/" + petitionID
	if !strings.Contains(p.text, link) || !strings.Contains(p.html, link) || !strings.Contains(p.text, "Olá Rui <Costa>") {
		t.Errorf("body lacks link or greeting:\n%s", p.text)
	}
	if strings.Contains(p.html, "<Costa>") {
		t.Error("name not escaped in HTML")
	}

	// Another outcome (no email for it yet) sends nothing.
	other := recipient("closed")
	ev2, err := broker.NewEvent("/test", &petitionv1.SignatureOutcomeAnnounced{
		SignatureId: uuid.NewString(), PetitionId: petitionID, Outcome: petitionv1.PetitionStatus_PETITION_STATUS_CLOSED,
		City: "Coimbra", Email: other, Language: "pt",
	})
	if err != nil {
		t.Fatal(err)
	}
	h.publish(ctx, t, ev2.Msg())
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		c, err := h.js.Consumer(ctx, broker.StreamName("petition"), "notification-petition-outcome")
		if err != nil {
			return false, err
		}
		info, err := c.Info(ctx)
		if err != nil {
			return false, err
		}
		return info.NumPending == 0 && info.NumAckPending == 0, nil
	})
	time.Sleep(300 * time.Millisecond)
	if n := len(h.mailTo(to)); n != 1 {
		t.Errorf("%d outcome emails for one event delivered twice, want 1", n)
	}
	if n := len(h.mailTo(other)); n != 0 {
		t.Errorf("%d emails for an outcome without a template", n)
	}
	if ds := h.deliveries(ctx, t, to); len(ds) != 1 || ds[0].Template != "petition_succeeded" || ds[0].Language != "pt" || ds[0].Status != "sent" {
		t.Errorf("deliveries %+v", ds)
	}
}
