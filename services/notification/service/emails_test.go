package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// emit publishes a domain event as its producer's outbox relay would.
func (h *harness) emit(ctx context.Context, t *testing.T, msg proto.Message) broker.Event {
	t.Helper()
	ev, err := broker.NewEvent("/test", msg)
	if err != nil {
		t.Fatal(err)
	}
	h.publish(ctx, t, ev.Msg())
	return ev
}

// testSignerEmails: "you have already signed" and the withdrawal
// confirmation, in the signer's language, escaped; a withdrawal by
// erasure (no address in the event) sends nothing.
func (h *harness) testSignerEmails(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	petitionID := uuid.NewString()

	again := recipient("again")
	h.emit(ctx, t, &petitionv1.SignatureAlreadyConfirmed{
		SignatureId: uuid.NewString(), PetitionId: petitionID, PetitionTitle: "Girona, uneix-te", City: "Girona",
		Name: "Jordi <i>", Email: again, Language: "ca", RequestedAt: timestamppb.Now(),
	})
	p := parseMail(t, h.waitMail(ctx, t, again, 15*time.Second).Raw)
	if p.subject != "Ja has signat: Girona, uneix-te" || !strings.Contains(p.text, "ja està confirmada") ||
		!strings.Contains(p.text, baseURL+"/petitions/"+petitionID) || strings.Contains(p.html, "<i>") {
		t.Errorf("already-signed email: %q\n%s", p.subject, p.text)
	}
	if p.header.Get("List-Unsubscribe") != "" || !strings.Contains(p.text, baseURL+"/preferences/") {
		t.Error("a transactional email must have the preferences link and no List-Unsubscribe")
	}

	withdrawn := recipient("withdrawn")
	h.emit(ctx, t, &petitionv1.SignatureWithdrawn{
		SignatureId: uuid.NewString(), PetitionId: petitionID, WasConfirmed: true, WithdrawnAt: timestamppb.Now(),
		PetitionTitle: "Girona, uneix-te", City: "Girona", Name: "Marta", Email: withdrawn, Language: "fr",
	})
	p = parseMail(t, h.waitMail(ctx, t, withdrawn, 15*time.Second).Raw)
	if p.subject != "Votre signature est retirée : Girona, uneix-te" || !strings.Contains(p.text, "Bonjour Marta") {
		t.Errorf("withdrawal email: %q\n%s", p.subject, p.text)
	}
	byErasure := h.emit(ctx, t, &petitionv1.SignatureWithdrawn{SignatureId: uuid.NewString(), PetitionId: petitionID, WasConfirmed: true})
	h.waitApplied(ctx, t, "notification-petition-signer", byErasure.ID)
	if n, _ := h.db.Collection("deliveries").CountDocuments(ctx, map[string]any{"event_id": byErasure.ID}); n != 0 {
		t.Errorf("%d deliveries for a withdrawal by erasure", n)
	}
}

// testCoordinatorEmails: milestones and goals go to every coordinator in
// the configured language, once each; the goal milestone is told by the
// goal email alone.
func (h *harness) testCoordinatorEmails(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	petitionID := uuid.NewString()
	city := "Zaragoza-" + uuid.NewString()[:6]
	milestone := h.emit(ctx, t, &petitionv1.PetitionMilestoneReached{
		PetitionId: petitionID, City: city, Milestone: 1000, ConfirmedCount: 1003, ReachedAt: timestamppb.Now(),
	})
	goalMilestone := h.emit(ctx, t, &petitionv1.PetitionMilestoneReached{
		PetitionId: petitionID, City: city, Milestone: 5000, IsGoal: true, ConfirmedCount: 5000, ReachedAt: timestamppb.Now(),
	})
	goal := h.emit(ctx, t, &petitionv1.PetitionGoalReached{
		PetitionId: petitionID, City: city, Goal: 5000, ConfirmedCount: 5000, ReachedAt: timestamppb.Now(),
	})
	// A forced redelivery of the milestone (a re-publish past the dedup window).
	again := milestone.Msg()
	again.Header.Set(nats.MsgIdHdr, uuid.NewString())
	h.publish(ctx, t, again)
	for _, to := range strings.Split(coordinators, ",") {
		to = strings.TrimSpace(to)
		var subjects []string
		testkit.Eventually(t, 15*time.Second, func() (bool, error) {
			subjects = subjects[:0]
			for _, m := range h.mailTo(to) {
				if strings.Contains(m.Subject, city) {
					subjects = append(subjects, m.Subject)
				}
			}
			return len(subjects) >= 2, nil
		})
		for _, m := range h.mailTo(to) {
			if !strings.Contains(m.Subject, city) {
				continue
			}
			p := parseMail(t, m.Raw)
			lu := p.header.Get("List-Unsubscribe")
			if !strings.HasPrefix(lu, "<"+baseURL+"/unsubscribe/") || p.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Errorf("coordinator email without one-click unsubscribe: %q", lu)
			}
		}
		joined := strings.Join(subjects, " | ")
		if !strings.Contains(joined, city+": la petición superó las 1000 firmas") || !strings.Contains(joined, city+": la petición alcanzó su objetivo") {
			t.Errorf("coordinator %s got %q", to, joined)
		}
	}
	h.waitApplied(ctx, t, "notification-petition-milestones", goal.ID)
	h.waitApplied(ctx, t, "notification-petition-milestones", goalMilestone.ID)
	time.Sleep(500 * time.Millisecond)
	for _, to := range strings.Split(coordinators, ",") {
		n := 0
		for _, m := range h.mailTo(strings.TrimSpace(to)) {
			if strings.Contains(m.Subject, city) {
				n++
			}
		}
		if n != 2 {
			t.Errorf("coordinator %s got %d emails about %s, want 2 (milestone once despite its redelivery, goal)", to, n, city)
		}
	}
	for ev, want := range map[string]int64{milestone.ID: 2, goalMilestone.ID: 0, goal.ID: 2} {
		if n, _ := h.db.Collection("deliveries").CountDocuments(ctx, map[string]any{"event_id": ev}); n != want {
			t.Errorf("event %s: %d deliveries, want %d", ev, n, want)
		}
	}
}

// testMembershipEmails: an applicant hears that the application arrived and
// what was decided (the reason of a rejection escaped), and a new
// representative is welcomed.
func (h *harness) testMembershipEmails(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	contact := recipient("applicant")
	notice := &membershipv1.ApplicationNotice{
		ApplicationId: uuid.NewString(), City: "Porto", Country: "PT", ContactName: "Rita", ContactEmail: contact, Language: "pt",
	}
	h.emit(ctx, t, &membershipv1.ApplicationSubmitted{Application: notice})
	h.emit(ctx, t, &membershipv1.ApplicationRejected{Application: notice, Reason: "Falta a <b>deliberação</b> municipal"})
	h.emit(ctx, t, &membershipv1.ApplicationApproved{Application: notice, MemberId: uuid.NewString()})
	testkit.Eventually(t, 15*time.Second, func() (bool, error) { return len(h.mailTo(contact)) == 3, nil })
	bySubject := map[string]parsed{}
	for _, m := range h.mailTo(contact) {
		p := parseMail(t, m.Raw)
		bySubject[p.subject] = p
	}
	received, ok1 := bySubject["Recebemos a candidatura de Porto"]
	rejected, ok2 := bySubject["Decisão sobre a candidatura de Porto"]
	_, ok3 := bySubject["Bem-vinda à coligação, Porto"]
	if !ok1 || !ok2 || !ok3 {
		t.Fatalf("applicant's subjects: %v", keysOf(bySubject))
	}
	if !strings.Contains(received.text, notice.GetApplicationId()) || !strings.Contains(received.text, "Olá Rita") {
		t.Errorf("received email:\n%s", received.text)
	}
	if !strings.Contains(rejected.text, "Falta a <b>deliberação</b> municipal") || strings.Contains(rejected.html, "<b>") ||
		!strings.Contains(rejected.html, "&lt;b&gt;deliberação") {
		t.Errorf("rejection reason not shown or not escaped:\n%s\n%s", rejected.text, rejected.html)
	}

	rep := recipient("rep")
	h.emit(ctx, t, &membershipv1.RepresentativeAdded{
		RepresentativeId: uuid.NewString(), MemberId: uuid.NewString(), Name: "Joan", Email: rep, Language: "en",
		Role: membershipv1.RepresentativeRole_REPRESENTATIVE_ROLE_TECHNICAL_CONTACT,
	})
	p := parseMail(t, h.waitMail(ctx, t, rep, 15*time.Second).Raw)
	if p.subject != "You now represent your city in the Cities Coalition for Digital Rights" || !strings.Contains(p.text, baseURL+"/members") {
		t.Errorf("welcome email %q:\n%s", p.subject, p.text)
	}
}

// waitApplied waits until a consumer's inbox records the event.
func (h *harness) waitApplied(ctx context.Context, t *testing.T, consumer, eventID string) {
	t.Helper()
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		n, err := h.db.Collection("inbox").CountDocuments(ctx, map[string]any{"_id": consumer + "/" + eventID})
		return n == 1, err
	})
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
