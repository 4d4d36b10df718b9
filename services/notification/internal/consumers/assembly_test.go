package consumers_test

// Component tests of the assembly emails: the consumer with the real
// Sender, deliveries store (embedded store over the wire), templates and
// SMTP mailer, sending to a mail catcher; each email is read back as MIME
// and its .ics parsed with the iCalendar library.

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/mailcatcher"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/notification/internal/consumers"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/outgoing"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// rig is a Sender wired to real parts, and the catcher it sends to.
type rig struct {
	env     *testkit.Env
	sender  *consumers.Sender
	catcher *mailcatcher.Catcher
	inbox   *inbox.Store
}

func newRig(t *testing.T) *rig {
	t.Helper()
	env := testkit.Get(t)
	ctx := testkit.Context(t)
	db := env.Database(t)
	if err := mongodb.EnsureIndexes(ctx, db, append(store.Indexes(), inbox.Indexes()...)...); err != nil {
		t.Fatal(err)
	}
	catcher, err := mailcatcher.Start(context.Background(), mailcatcher.Options{Logger: env.Logger(t).Named("catcher")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = catcher.Close() })
	host, portText, _ := net.SplitHostPort(catcher.Addr())
	port, _ := strconv.Atoi(portText)
	m, err := mailer.New(mailer.Options{Host: host, Port: port, TLS: "none", From: "Coalition <no-reply@coalition.test>"})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := preferences.NewTokens(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	_, js := env.JetStream(t)
	locks := mongodb.NewDocLocks()
	st := store.New(db, mongodb.NewUpdater(locks, true))
	prefs := preferences.New(st, tokens, "https://coalition.test")
	relay := outbox.NewRelay(js, outbox.RelayOptions{
		Stream: broker.StreamConfig("notification", broker.StreamOptions{}), Collections: st.OutboxCollections(),
		Locks: locks, Logger: env.Logger(t),
	})
	pipeline := outgoing.New(st, m, prefs, relay, outgoing.Options{PollInterval: 100 * time.Millisecond}, env.Logger(t))
	rctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); relay.Run(rctx) }()
	go func() { defer wg.Done(); _ = pipeline.Run(rctx) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return &rig{
		env: env, catcher: catcher, inbox: inbox.New(db),
		sender: &consumers.Sender{Store: st, Templates: tpl, Preferences: prefs, Pipeline: pipeline, Relay: relay,
			MessageIDDomain: "coalition.test", Log: env.Logger(t)},
	}
}

// The assembly of these tests: 10:00–11:30 in Amsterdam on the last Sunday
// of March 2027, hours after the switch to summer time (08:00 UTC).
var (
	start     = time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC)
	organizer = &eventsv1.Organizer{Name: "Coordination Team", Email: "coordination@coalition.test"}
)

func assembly(seq int32) *eventsv1.Assembly {
	return &eventsv1.Assembly{
		Id: "0190a1b2-0000-7000-8000-0000000000a1", Uid: "assembly-0190a1b2-0000-7000-8000-0000000000a1@cc4dr-coalition", Sequence: seq,
		Kind: eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD, Title: "Leadership Board <spring>",
		Description: "Strategy & budget", StartsAt: timestamppb.New(start), EndsAt: timestamppb.New(start.Add(90 * time.Minute)),
		TimeZone: "Europe/Amsterdam", Place: &eventsv1.Place{HostCity: "Amsterdam", Venue: "Stadhuis"},
		OnlineUrl: "https://meet.example.org/board", Agenda: []*eventsv1.AgendaItem{{Title: "Budget", Minutes: 30}, {Title: "Conference"}},
		Status: eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED, Organizer: organizer,
	}
}

func invitation(email, lang, zone, rsvp string) *eventsv1.Invitation {
	return &eventsv1.Invitation{
		Invitee: &eventsv1.Person{Name: "Ana <Silva>", Email: email, Language: lang, TimeZone: zone},
		RsvpUrl: rsvp, Response: eventsv1.Response_RESPONSE_NEEDS_ACTION,
	}
}

func event(t *testing.T, msg proto.Message) broker.Event {
	t.Helper()
	ev, err := broker.NewEvent("/test", msg)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// email is one message read back: its parts, and the .ics parsed.
type email struct {
	subject, topType      string
	text, html            string
	inlineCal, inlineType string // the text/calendar alternative part
	attachment            string // invite.ics
	attachType            string
	attachName            string
	method, seq, uid      string
	start                 time.Time
	attendees             []*ics.Attendee
	organizer, status     string
	description           string
}

func (r *rig) waitFor(t *testing.T, to string, n int) []mailcatcher.Message {
	t.Helper()
	var got []mailcatcher.Message
	testkit.Eventually(t, 20*time.Second, func() (bool, error) {
		got = got[:0]
		for _, m := range r.catcher.Messages() {
			for _, rcpt := range m.To {
				if strings.EqualFold(rcpt, to) {
					got = append(got, m)
				}
			}
		}
		return len(got) >= n, fmt.Errorf("%d emails to %s, want %d", len(got), to, n)
	})
	if len(got) != n {
		t.Fatalf("%d emails to %s, want %d", len(got), to, n)
	}
	slices.SortFunc(got, func(a, b mailcatcher.Message) int { return strings.Compare(a.ID, b.ID) }) // oldest first
	return got
}

func parse(t *testing.T, raw []byte) email {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not RFC 5322: %v", err)
	}
	var e email
	if e.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	e.topType, _, _ = mime.ParseMediaType(msg.Header.Get("Content-Type"))
	walk(t, &e, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body)
	if e.attachment != "" {
		cal, err := ics.ParseCalendar(strings.NewReader(e.attachment))
		if err != nil {
			t.Fatalf("invite.ics is not iCalendar: %v\n%s", err, e.attachment)
		}
		for _, p := range cal.CalendarProperties {
			if p.IANAToken == string(ics.PropertyMethod) {
				e.method = p.Value
			}
		}
		if len(cal.Events()) != 1 {
			t.Fatalf("%d events in invite.ics", len(cal.Events()))
		}
		ev := cal.Events()[0]
		e.uid, e.attendees = ev.Id(), ev.Attendees()
		e.seq = ev.GetProperty(ics.ComponentPropertySequence).Value
		e.status = ev.GetProperty(ics.ComponentPropertyStatus).Value
		e.description = ev.GetProperty(ics.ComponentPropertyDescription).Value
		if o := ev.GetProperty(ics.ComponentPropertyOrganizer); o != nil {
			e.organizer = o.Value
		}
		if e.start, err = ev.GetStartAt(); err != nil {
			t.Fatal(err)
		}
		if got := ev.GetProperty(ics.ComponentPropertyDtStart).Value; !strings.HasSuffix(got, "Z") {
			t.Errorf("DTSTART %q not in UTC", got)
		}
	}
	return e
}

func walk(t *testing.T, e *email, contentType, cte, disposition string, body io.Reader) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			walk(t, e, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part)
		}
	}
	if strings.EqualFold(cte, "base64") {
		body = base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: body})
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	if cs := strings.ToLower(params["charset"]); cs != "utf-8" {
		t.Errorf("part %s charset %q, want UTF-8", mt, cs)
	}
	disp, dparams, _ := mime.ParseMediaType(disposition)
	switch {
	case disp == "attachment":
		e.attachment, e.attachType, e.attachName = string(b), contentType, dparams["filename"]
	case mt == "text/plain":
		e.text = string(b)
	case mt == "text/html":
		e.html = string(b)
	case mt == "text/calendar":
		e.inlineCal, e.inlineType = string(b), contentType
	default:
		t.Errorf("unexpected part %s", contentType)
	}
}

type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// checkCalendar: the .ics goes both as the text/calendar alternative and as
// invite.ics, with the method in the MIME type matching METHOD, for this
// recipient only.
func checkCalendar(t *testing.T, e email, to, method string, seq int) {
	t.Helper()
	if e.topType != "multipart/mixed" || e.attachName != "invite.ics" {
		t.Fatalf("structure %s, attachment %q", e.topType, e.attachName)
	}
	for _, ct := range []string{e.inlineType, e.attachType} {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || mt != "text/calendar" || params["method"] != method || !strings.EqualFold(params["charset"], "utf-8") {
			t.Errorf("calendar part type %q", ct)
		}
	}
	if strings.ReplaceAll(e.inlineCal, "\r\n", "\n") != strings.ReplaceAll(e.attachment, "\r\n", "\n") {
		t.Errorf("alternative and attachment differ")
	}
	if e.method != method || e.seq != strconv.Itoa(seq) || e.uid != assembly(0).GetUid() {
		t.Errorf("METHOD %s SEQUENCE %s UID %s", e.method, e.seq, e.uid)
	}
	if len(e.attendees) != 1 || e.attendees[0].Email() != to || e.attendees[0].ICalParameters["RSVP"][0] != "TRUE" {
		t.Errorf("ATTENDEE %v, want only %s", e.attendees, to)
	}
	if e.organizer != "mailto:coordination@coalition.test" {
		t.Errorf("ORGANIZER %q", e.organizer)
	}
}

var languages = []struct {
	lang, zone                             string
	invitation, update, cancel, uninvited  string // subject prefixes
	reminder, minutes, phrase, your, month string
}{
	{"en", "America/Maceio", "Invitation: ", "Updated: ", "Cancelled: ", "Invitation withdrawn: ", "Reminder: ", "Minutes: ", "Will you attend?", "Your time", "March"},
	{"es", "America/Bogota", "Invitación: ", "Cambios: ", "Cancelada: ", "Invitación retirada: ", "Recordatorio: ", "Acta: ", "¿Asistirás?", "Tu hora", "marzo"},
	{"fr", "Europe/Paris", "Invitation : ", "Mise à jour : ", "Annulée : ", "Invitation retirée : ", "Rappel : ", "Compte rendu : ", "Participerez-vous ?", "Votre heure", "mars"},
	{"pt-BR", "America/Sao_Paulo", "Convite: ", "Alteração: ", "Cancelada: ", "Convite retirado: ", "Lembrete: ", "Ata: ", "Vai participar?", "A sua hora", "Março"},
	{"ca", "Europe/Madrid", "Invitació: ", "Canvis: ", "Cancel·lada: ", "Invitació retirada: ", "Recordatori: ", "Acta: ", "Hi assistiràs?", "La teva hora", "març"},
	{"de", "Asia/Tokyo", "Invitation: ", "Updated: ", "Cancelled: ", "Invitation withdrawn: ", "Reminder: ", "Minutes: ", "Will you attend?", "Your time", "March"}, // no German: English
}

// TestAssemblyEmailsInEveryLanguage: one invitee per language (and one in
// a language we do not write, who gets English) through the life of an
// assembly: invitation, reschedule, update, withdrawn invitation (one of
// them), cancellation, reminder and minutes. Each email is in the
// invitee's language with times in their zone and the assembly's; the
// calendar invitations keep the UID, raise SEQUENCE, and name only the
// recipient.
func TestAssemblyEmailsInEveryLanguage(t *testing.T) {
	r := newRig(t)
	ctx := testkit.Context(t)
	h := consumers.AssemblyMail{Sender: r.sender}
	suffix := strings.ToLower(uuid.NewString()[:8])
	to := func(lang string) string { return "invitee-" + strings.ToLower(lang) + "-" + suffix + "@example.org" }
	var invitations []*eventsv1.Invitation
	for _, l := range languages {
		inv := invitation(to(l.lang), l.lang, l.zone, "https://coalition.test/invitations/respond?assembly=a1&token="+l.lang+"tok")
		inv.FeedUrl = "https://coalition.test/calendars/" + l.lang + "feed.ics"
		invitations = append(invitations, inv)
	}
	handle := func(msg proto.Message) broker.Event {
		t.Helper()
		ev := event(t, msg)
		if err := h.Handle(ctx, ev); err != nil {
			t.Fatalf("handle %s: %v", ev.Subject, err)
		}
		return ev
	}

	// Invitation.
	invited := handle(&eventsv1.AssemblyInvited{Assembly: assembly(0), Invitations: invitations})
	for _, l := range languages {
		addr := to(l.lang)
		e := parse(t, r.waitFor(t, addr, 1)[0].Raw)
		checkCalendar(t, e, addr, "REQUEST", 0)
		if !e.start.Equal(start) || e.status != "CONFIRMED" || e.attendees[0].ParticipationStatus() != ics.ParticipationStatusNeedsAction ||
			!strings.Contains(e.description, "1. Budget (30 min)") {
			t.Errorf("%s: DTSTART %v STATUS %s PARTSTAT %s", l.lang, e.start, e.status, e.attendees[0].ParticipationStatus())
		}
		if !strings.HasPrefix(e.subject, l.invitation+"Leadership Board <spring> — ") || !strings.Contains(e.subject, l.month) {
			t.Errorf("%s: subject %q", l.lang, e.subject)
		}
		loc, _ := time.LoadLocation(l.zone)
		yours := start.In(loc).Format("15:04") + "–" + start.Add(90*time.Minute).In(loc).Format("15:04")
		for part, body := range map[string]string{"text": e.text, "html": html.UnescapeString(e.html)} {
			for _, want := range []string{l.phrase, l.your, l.zone, yours, "10:00–11:30", "Europe/Amsterdam", "CEST, UTC+02:00",
				"Stadhuis, Amsterdam", "https://meet.example.org/board", "Budget", "choice=accept", "choice=tentative", "choice=decline",
				"token=" + strings.Split(l.lang, "-")[0], "calendars/" + l.lang + "feed.ics"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s part lacks %q:\n%s", l.lang, part, want, body)
				}
			}
		}
		if strings.Contains(e.html, "<spring>") || strings.Contains(e.html, "<Silva>") || !strings.Contains(e.html, "Ana &lt;Silva&gt;") {
			t.Errorf("%s: HTML not escaped", l.lang)
		}
		if wantLang := strings.Split(l.lang, "-")[0]; wantLang != "de" && !strings.Contains(e.html, `<html lang="`+wantLang+`">`) {
			t.Errorf("%s: HTML not marked as %s", l.lang, wantLang)
		}
	}

	// Redelivered: nobody gets it twice.
	if err := h.Handle(ctx, invited); err != nil {
		t.Fatal(err)
	}

	// Rescheduled a day later: same UID, SEQUENCE 1, the new and old times.
	moved := assembly(1)
	moved.StartsAt, moved.EndsAt = timestamppb.New(start.Add(24*time.Hour)), timestamppb.New(start.Add(24*time.Hour+90*time.Minute))
	for _, inv := range invitations {
		inv.RsvpUrl, inv.FeedUrl, inv.Response = "", "", eventsv1.Response_RESPONSE_ACCEPTED
	}
	handle(&eventsv1.AssemblyRescheduled{Assembly: moved, PreviousStartsAt: timestamppb.New(start),
		PreviousEndsAt: timestamppb.New(start.Add(90 * time.Minute)), Invitations: invitations})
	for _, l := range languages {
		addr := to(l.lang)
		e := parse(t, r.waitFor(t, addr, 2)[1].Raw)
		checkCalendar(t, e, addr, "REQUEST", 1)
		if !e.start.Equal(start.Add(24*time.Hour)) || e.attendees[0].ParticipationStatus() != ics.ParticipationStatusNeedsAction {
			t.Errorf("%s: moved DTSTART %v PARTSTAT %s", l.lang, e.start, e.attendees[0].ParticipationStatus())
		}
		if !strings.HasPrefix(e.subject, l.update) || !strings.Contains(e.html, "<del>") || strings.Contains(e.text, "<del>") {
			t.Errorf("%s: update subject %q", l.lang, e.subject)
		}
		loc, _ := time.LoadLocation(l.zone)
		newYours := start.Add(24*time.Hour).In(loc).Format("15:04") + "–"
		oldYours := start.In(loc).Format("15:04") + "–"
		if !strings.Contains(e.text, newYours) || !strings.Contains(e.text, oldYours) || strings.Contains(e.text, "token=") || strings.Contains(e.text, "choice=") {
			t.Errorf("%s: update text lacks new %s or old %s times, or offers RSVP links:\n%s", l.lang, newYours, oldYours, e.text)
		}
	}

	// Updated (place and agenda): SEQUENCE 2, the answer kept in PARTSTAT.
	updated := assembly(2)
	updated.Place = &eventsv1.Place{HostCity: "Rotterdam"}
	handle(&eventsv1.AssemblyUpdated{Assembly: updated, Invitations: invitations, Changed: []string{"place", "agenda"}})
	wantChanged := map[string]string{"en": "the place, the agenda", "es": "el lugar, el orden del día", "fr": "le lieu, l'ordre du jour",
		"pt-BR": "o local, a ordem de trabalhos", "ca": "el lloc, l'ordre del dia", "de": "the place, the agenda"}
	for _, l := range languages {
		addr := to(l.lang)
		e := parse(t, r.waitFor(t, addr, 3)[2].Raw)
		checkCalendar(t, e, addr, "REQUEST", 2)
		if e.attendees[0].ParticipationStatus() != ics.ParticipationStatusAccepted || !strings.Contains(e.text, wantChanged[l.lang]) ||
			!strings.Contains(e.text, "Rotterdam") {
			t.Errorf("%s: update PARTSTAT %s, text:\n%s", l.lang, e.attendees[0].ParticipationStatus(), e.text)
		}
	}

	// One invitee's invitation is withdrawn: a CANCEL to them only.
	removed := assembly(3)
	handle(&eventsv1.AssemblyInviteesRemoved{Assembly: removed, Invitations: invitations[:1]})
	e := parse(t, r.waitFor(t, to("en"), 4)[3].Raw)
	checkCalendar(t, e, to("en"), "CANCEL", 3)
	if e.status != "CANCELLED" || !strings.HasPrefix(e.subject, "Invitation withdrawn: ") {
		t.Errorf("uninvited: %s %q", e.status, e.subject)
	}

	// Cancelled, for everyone else: CANCEL, SEQUENCE 4, the reason.
	cancelled := assembly(4)
	cancelled.Status = eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED
	handle(&eventsv1.AssemblyCancelled{Assembly: cancelled, Reason: "Merged with the <conference>", Invitations: invitations[1:]})
	for _, l := range languages[1:] {
		addr := to(l.lang)
		e := parse(t, r.waitFor(t, addr, 4)[3].Raw)
		checkCalendar(t, e, addr, "CANCEL", 4)
		if e.status != "CANCELLED" || !strings.HasPrefix(e.subject, l.cancel) || !strings.Contains(e.text, "Merged with the <conference>") ||
			!strings.Contains(e.html, "Merged with the &lt;conference&gt;") {
			t.Errorf("%s: cancellation %s %q", l.lang, e.status, e.subject)
		}
	}

	// Reminder and minutes change no calendar: no .ics.
	handle(&eventsv1.AssemblyReminderDue{Assembly: assembly(0), Lead: durationpb.New(24 * time.Hour), Invitations: invitations})
	handle(&eventsv1.AssemblyMinutesPublished{AssemblyId: assembly(0).GetId(), Title: assembly(0).GetTitle(), Assembly: assembly(0),
		Minutes: &eventsv1.Minutes{Text: "We met.\nWe agreed.", Outcomes: []string{"Budget adopted"}}, Invitations: invitations})
	for _, l := range languages {
		got := r.waitFor(t, to(l.lang), 6)
		rem, mins := parse(t, got[4].Raw), parse(t, got[5].Raw)
		if rem.topType != "multipart/alternative" || rem.attachment != "" || rem.inlineCal != "" || !strings.HasPrefix(rem.subject, l.reminder) {
			t.Errorf("%s: reminder %s %q", l.lang, rem.topType, rem.subject)
		}
		if mins.topType != "multipart/alternative" || !strings.HasPrefix(mins.subject, l.minutes) || !strings.Contains(mins.text, "Budget adopted") ||
			!strings.Contains(mins.text, "We agreed.") {
			t.Errorf("%s: minutes %q:\n%s", l.lang, mins.subject, mins.text)
		}
	}
	time.Sleep(300 * time.Millisecond)
	for _, l := range languages {
		if n := len(r.waitFor(t, to(l.lang), 6)); n != 6 {
			t.Errorf("%s: %d emails", l.lang, n)
		}
	}
}

// TestAssemblyConsumerOverJetStream: the durable consumer as the service
// runs it (inbox-wrapped, on the EVENTS stream): invite → reschedule →
// cancel reach the invitee in order of SEQUENCE with one UID, and an event
// published twice is emailed once.
func TestAssemblyConsumerOverJetStream(t *testing.T) {
	r := newRig(t)
	ctx := testkit.Context(t)
	_, js := r.env.JetStream(t)
	if err := broker.EnsureStream(ctx, js, broker.StreamConfig("events", broker.StreamOptions{})); err != nil {
		t.Fatal(err)
	}
	h := consumers.AssemblyMail{Sender: r.sender}
	cfg := h.Config()
	cctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- broker.Consume(cctx, js, cfg, r.inbox.Wrap(cfg.Durable, h.Handle), r.inbox.RecordDeadLetter, r.env.Logger(t))
	}()
	t.Cleanup(func() { cancel(); <-done })

	addr := "jetstream-" + strings.ToLower(uuid.NewString()[:8]) + "@example.org"
	inv := []*eventsv1.Invitation{invitation(addr, "es", "America/Bogota", "https://coalition.test/invitations/respond?assembly=a1&token=t")}
	publish := func(msg proto.Message) *nats.Msg {
		t.Helper()
		m := event(t, msg).Msg()
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	first := publish(&eventsv1.AssemblyInvited{Assembly: assembly(0), Invitations: inv})
	r.waitFor(t, addr, 1)
	moved := assembly(1)
	moved.StartsAt, moved.EndsAt = timestamppb.New(start.Add(time.Hour)), timestamppb.New(start.Add(150*time.Minute))
	publish(&eventsv1.AssemblyRescheduled{Assembly: moved, PreviousStartsAt: assembly(0).GetStartsAt(), PreviousEndsAt: assembly(0).GetEndsAt(), Invitations: inv})
	r.waitFor(t, addr, 2)
	gone := assembly(2)
	gone.Status = eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED
	publish(&eventsv1.AssemblyCancelled{Assembly: gone, Invitations: inv})
	// The invitation again, under another Nats-Msg-Id (a re-publish after
	// JetStream's dedup window): the inbox and the delivery key absorb it.
	again := nats.NewMsg(first.Subject)
	again.Data, again.Header = first.Data, nats.Header{}
	for k, v := range first.Header {
		again.Header[k] = v
	}
	again.Header.Set(nats.MsgIdHdr, uuid.NewString())
	if _, err := js.PublishMsg(ctx, again); err != nil {
		t.Fatal(err)
	}
	got := r.waitFor(t, addr, 3)
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		c, err := js.Consumer(ctx, cfg.Stream, cfg.Durable)
		if err != nil {
			return false, err
		}
		info, err := c.Info(ctx)
		if err != nil {
			return false, err
		}
		return info.NumPending == 0 && info.NumAckPending == 0, fmt.Errorf("%d pending", info.NumPending+uint64(info.NumAckPending))
	})
	time.Sleep(300 * time.Millisecond)
	got = r.waitFor(t, addr, 3)
	var uids []string
	for i, m := range got {
		e := parse(t, m.Raw)
		method := map[int]string{0: "REQUEST", 1: "REQUEST", 2: "CANCEL"}[i]
		checkCalendar(t, e, addr, method, i)
		uids = append(uids, e.uid)
	}
	if uids[0] != uids[1] || uids[1] != uids[2] {
		t.Errorf("UIDs %v", uids)
	}
}
