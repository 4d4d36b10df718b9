package service_test

// Component tests of the notification service: the whole service against
// the real embedded store and NATS (testkit) and real SMTP to a mail catcher.
//
// All scenarios run against ONE service instance started by
// TestNotificationService: the package's tests share one NATS server and
// the PETITION stream, and the service's durable consumer has a fixed name
// ("notification-petition-mail"), so two instances would compete for the
// same events. Each scenario uses its own recipient addresses and matches
// mail and deliveries by recipient. Scenarios that inject SMTP faults run
// one after another, alone, because the catcher's faults count commands
// across all connections.
//
// The duplicate window that remains (DESIGN.md, "SMTP has no idempotency
// key"): the delivery document is created before sending, and marked sent
// right after the SMTP server accepts the message. If the process dies
// after the server accepted the message but before MarkSent is written,
// the delivery is still pending, the event is redelivered (it was never
// acked), and the email is sent a second time. That window is one database
// write long; these tests do not (and cannot, without killing the process
// at that instant) close it, they check that every other redelivery path
// sends once.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/mailcatcher"
	"github.com/cc4dr/coalition/services/kit/testkit"
	"github.com/cc4dr/coalition/services/notification/service"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

const (
	coordinators = "coord-a@coalition.test, coord-b@coalition.test"
	baseURL      = "https://coalition.test"
	mailFrom     = "Coalition Test <no-reply@coalition.test>"
	durable      = "notification-petition-mail"
)

// harness is the one notification service of this package.
type harness struct {
	db      *mongo.Database
	js      jetstream.JetStream
	catcher *mailcatcher.Catcher
	// coordinator calls with a coordinator's token; anonymous with none.
	coordinator notificationv1.NotificationServiceClient
	anonymous   notificationv1.NotificationServiceClient
}

func start(t *testing.T) *harness {
	t.Helper()
	env := testkit.Get(t)
	db := env.Database(t) // dropped after the service has stopped (cleanups run last-in first-out)
	_, js := env.JetStream(t)
	ctx := testkit.Context(t)

	catcher, err := mailcatcher.Start(context.Background(), mailcatcher.Options{Logger: env.Logger(t).Named("catcher")})
	if err != nil {
		t.Fatalf("start mail catcher: %v", err)
	}
	t.Cleanup(func() { _ = catcher.Close() })
	host, port, err := net.SplitHostPort(catcher.Addr())
	if err != nil {
		t.Fatal(err)
	}
	smtpPort, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}

	// The producers' streams, as their services would provision them.
	for _, producer := range []string{"petition", "membership", "events"} {
		if err := broker.EnsureStream(ctx, js, broker.StreamConfig(producer, broker.StreamOptions{})); err != nil {
			t.Fatal(err)
		}
	}

	key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := service.Config{
		Common: config.Common{
			MongoURI: env.MongoURI(), NATSURL: env.NATSURL(), Runtime: config.Runtime{ShutdownTimeout: 5 * time.Second},
		},
		MongoDatabase:   db.Name(),
		GRPCAddr:        "127.0.0.1:0",
		AuthPublicKeys:  auth.EncodePublicKey(key.Public().(ed25519.PublicKey)),
		PublicBaseURL:   baseURL,
		SMTPHost:        host,
		SMTPPort:        smtpPort,
		SMTPTLS:         "none",
		MailFrom:        mailFrom,
		MessageIDDomain: "coalition.test",
		StreamReplicas:  1,
		InboxRetention:  time.Hour,
		// Quick retries, so fault scenarios take seconds.
		SMTPConnections:     4,
		SendMaxAttempts:     10,
		SendRetryBase:       200 * time.Millisecond,
		SendRetryMax:        2 * time.Second,
		SendPollInterval:    100 * time.Millisecond,
		CoordinatorEmails:   coordinators,
		CoordinatorLanguage: "es",
	}
	sctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(sctx, cfg, env.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("start notification: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(sctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})

	token, err := auth.NewSigner(key, "test").Issue("coordinator-1", optionsv1.Role_ROLE_COORDINATOR, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dial := func(opts ...grpc.DialOption) notificationv1.NotificationServiceClient {
		conn, err := grpc.NewClient(svc.Addr(), append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		return notificationv1.NewNotificationServiceClient(conn)
	}
	return &harness{
		db: db, js: js, catcher: catcher,
		coordinator: dial(grpc.WithPerRPCCredentials(auth.BearerToken(token))),
		anonymous:   dial(),
	}
}

// TestNotificationService runs every scenario against one service.
func TestNotificationService(t *testing.T) {
	h := start(t)

	// Scenarios that leave SMTP alone run side by side.
	t.Run("normal", func(t *testing.T) {
		t.Run("ConfirmationEmail", h.testConfirmationEmail)
		t.Run("LanguageAndFallback", h.testLanguageAndFallback)
		t.Run("RedeliveredEventSendsOnce", h.testRedeliveredEventSendsOnce)
		t.Run("PetitionSucceededEmail", h.testPetitionSucceededEmail) // outcome_test.go
		t.Run("Erasure", h.testErasure)                               // erasure_test.go
		t.Run("SignerEmails", h.testSignerEmails)                     // emails_test.go
		t.Run("CoordinatorEmails", h.testCoordinatorEmails)           // emails_test.go
		t.Run("MembershipEmails", h.testMembershipEmails)             // emails_test.go
		t.Run("Unsubscribe", h.testUnsubscribe)                       // preferences_test.go
		t.Run("DeadLetters", h.testDeadLetters)                       // operations_test.go
	})
	// Fault scenarios run alone, one after another.
	t.Run("TemporarySMTPFailureIsRetried", h.testTemporaryFailure)
	t.Run("PermanentSMTPFailureIsRecorded", h.testPermanentFailure)
	t.Run("ResendFailedDelivery", h.testResendFailedDelivery) // operations_test.go
	t.Run("ListDeliveries", h.testListDeliveries)
}

// recipient is an address of this scenario's own.
func recipient(name string) string {
	return fmt.Sprintf("%s.%s@example.org", name, strings.ToLower(uuid.NewString()[:8]))
}

// request is a SignatureRequested event for to.
func request(t *testing.T, to, language string) (broker.Event, *petitionv1.SignatureRequested) {
	t.Helper()
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	m := &petitionv1.SignatureRequested{
		SignatureId: uuid.NewString(), PetitionId: uuid.NewString(),
		PetitionTitle: "Lisboa, junte-se à coligação", City: "Lisboa",
		Name: "Ana Pérez", Email: to, Language: language, ConfirmationToken: token,
		ExpiresAt: timestamppb.New(time.Now().Add(7 * 24 * time.Hour)),
	}
	ev, err := broker.NewEvent("/test", m)
	if err != nil {
		t.Fatal(err)
	}
	return ev, m
}

func (h *harness) publish(ctx context.Context, t *testing.T, msg *nats.Msg) {
	t.Helper()
	if _, err := h.js.PublishMsg(ctx, msg); err != nil {
		t.Fatalf("publish %s: %v", msg.Subject, err)
	}
}

// mailTo returns the messages whose envelope goes to addr.
func (h *harness) mailTo(addr string) []mailcatcher.Message {
	var out []mailcatcher.Message
	for _, m := range h.catcher.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func (h *harness) waitMail(ctx context.Context, t *testing.T, addr string, within time.Duration) mailcatcher.Message {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	m, err := h.catcher.WaitFor(wctx, func(m mailcatcher.Message) bool {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no email to %s within %s: %v", addr, within, err)
	}
	return m
}

// delivery is a stored delivery as the tests read it.
type delivery struct {
	ID        string     `bson:"_id"`
	EventID   string     `bson:"event_id"`
	Template  string     `bson:"template"`
	Recipient string     `bson:"recipient"`
	Language  string     `bson:"language"`
	Status    string     `bson:"status"`
	Attempts  int32      `bson:"attempts"`
	LastError string     `bson:"last_error"`
	SentAt    *time.Time `bson:"sent_at"`
	MessageID string     `bson:"message_id"`
}

func (h *harness) deliveries(ctx context.Context, t *testing.T, addr string) []delivery {
	t.Helper()
	cur, err := h.db.Collection("deliveries").Find(ctx, bson.D{{Key: "recipient", Value: addr}})
	if err != nil {
		t.Fatal(err)
	}
	var out []delivery
	if err := cur.All(ctx, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// durables are the service's consumers the scenarios publish to.
var durables = map[string][]string{
	"petition": {
		durable, "notification-petition-outcome", "notification-petition-erasure",
		"notification-petition-signer", "notification-petition-milestones",
	},
	"membership": {"notification-membership-mail"},
}

// idle waits until every consumer has nothing undelivered and nothing
// unacknowledged, and no delivery is pending: every event published so far
// has been handled, and every email it asked for sent or failed for good.
func (h *harness) idle(ctx context.Context, t *testing.T, within time.Duration) {
	t.Helper()
	testkit.Eventually(t, within, func() (bool, error) {
		for stream, names := range durables {
			for _, name := range names {
				c, err := h.js.Consumer(ctx, broker.StreamName(stream), name)
				if err != nil {
					return false, fmt.Errorf("consumer %s: %w", name, err)
				}
				info, err := c.Info(ctx)
				if err != nil {
					return false, err
				}
				if info.NumPending != 0 || info.NumAckPending != 0 {
					return false, fmt.Errorf("consumer %s has %d pending, %d unacknowledged", name, info.NumPending, info.NumAckPending)
				}
			}
		}
		n, err := h.db.Collection("deliveries").CountDocuments(ctx, bson.D{{Key: "status", Value: "pending"}})
		return err == nil && n == 0, fmt.Errorf("%d deliveries pending (err %v)", n, err)
	})
}

// parsed is an email read back as MIME.
type parsed struct {
	header    mail.Header
	from, to  *mail.Address
	subject   string
	messageID string
	text      string
	html      string
}

func parseMail(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, raw)
	}
	var p parsed
	p.header = msg.Header
	if p.from, err = mail.ParseAddress(msg.Header.Get("From")); err != nil {
		t.Fatalf("From %q: %v", msg.Header.Get("From"), err)
	}
	if p.to, err = mail.ParseAddress(msg.Header.Get("To")); err != nil {
		t.Fatalf("To %q: %v", msg.Header.Get("To"), err)
	}
	dec := mime.WordDecoder{}
	if p.subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("Subject %q: %v", msg.Header.Get("Subject"), err)
	}
	p.messageID = msg.Header.Get("Message-ID")

	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q: want multipart/alternative with a boundary (err %v)", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		body := decodePart(t, part)
		pt, pparams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type %q: %v", part.Header.Get("Content-Type"), err)
		}
		if cs := strings.ToLower(pparams["charset"]); cs != "utf-8" {
			t.Errorf("part %s charset %q, want UTF-8", pt, cs)
		}
		switch pt {
		case "text/plain":
			p.text = body
		case "text/html":
			p.html = body
		default:
			t.Errorf("unexpected part %s", pt)
		}
	}
	return p
}

// decodePart reads a part's body, undoing its transfer encoding
// (multipart.Reader already undoes quoted-printable).
func decodePart(t *testing.T, part *multipart.Part) string {
	t.Helper()
	var r io.Reader = part
	switch strings.ToLower(part.Header.Get("Content-Transfer-Encoding")) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &newlineStripper{r: part})
	case "quoted-printable":
		r = quotedprintable.NewReader(part)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read part: %v", err)
	}
	return string(b)
}

// newlineStripper drops CR and LF so base64 bodies wrapped at 76 columns decode.
type newlineStripper struct{ r io.Reader }

func (s *newlineStripper) Read(p []byte) (int, error) {
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

var messageIDPattern = regexp.MustCompile(`^<[^<>\s@]+@coalition\.test>$`)

func (h *harness) testConfirmationEmail(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	to := recipient("ana")
	ev, req := request(t, to, "en")
	h.publish(ctx, t, ev.Msg())

	got := h.waitMail(ctx, t, to, 15*time.Second)
	p := parseMail(t, got.Raw)
	if p.from.Address != "no-reply@coalition.test" || p.from.Name != "Coalition Test" {
		t.Errorf("From = %v", p.from)
	}
	if p.to.Address != to {
		t.Errorf("To = %v, want %s", p.to, to)
	}
	if want := "Confirm your signature: Lisboa, junte-se à coligação"; p.subject != want {
		t.Errorf("Subject = %q, want %q", p.subject, want)
	}
	if !messageIDPattern.MatchString(p.messageID) {
		t.Errorf("Message-ID = %q, want one <id@coalition.test> with single angle brackets", p.messageID)
	}
	link := baseURL + "/signatures/confirm?token=" + req.GetConfirmationToken()
	for part, body := range map[string]string{"text/plain": p.text, "text/html": p.html} {
		if !strings.Contains(body, link) {
			t.Errorf("%s part lacks %s:\n%s", part, link, body)
		}
		if !strings.Contains(body, "Lisboa") {
			t.Errorf("%s part lacks the city", part)
		}
	}
	if !strings.Contains(p.html, `href="`+link+`"`) {
		t.Errorf("HTML part has no link to %s", link)
	}

	h.idle(ctx, t, 15*time.Second)
	if n := len(h.mailTo(to)); n != 1 {
		t.Errorf("%d emails to %s, want exactly 1", n, to)
	}
	ds := h.deliveries(ctx, t, to)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1", len(ds))
	}
	d := ds[0]
	if d.Status != "sent" || d.EventID != ev.ID || d.Template != "signature_confirmation" || d.Language != "en" ||
		d.Attempts != 1 || d.SentAt == nil || d.LastError != "" || "<"+d.MessageID+">" != p.messageID {
		t.Errorf("delivery = %+v (Message-ID %s)", d, p.messageID)
	}
}

func (h *harness) testLanguageAndFallback(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	for _, c := range []struct{ lang, subject, wantLang, phrase string }{
		{"es", "Confirma tu firma: Lisboa, junte-se à coligação", "es", "Confirma tu firma siguiendo este enlace"},
		{"de", "Confirm your signature: Lisboa, junte-se à coligação", "en", "Please confirm your signature"}, // no German: English
	} {
		to := recipient("lang-" + c.lang)
		ev, req := request(t, to, c.lang)
		h.publish(ctx, t, ev.Msg())
		p := parseMail(t, h.waitMail(ctx, t, to, 15*time.Second).Raw)
		if p.subject != c.subject {
			t.Errorf("%s: Subject = %q, want %q", c.lang, p.subject, c.subject)
		}
		if !strings.Contains(p.text, c.phrase) || !strings.Contains(p.html, c.phrase) {
			t.Errorf("%s: body not in %s", c.lang, c.wantLang)
		}
		if !strings.Contains(p.html, `<html lang="`+c.wantLang+`">`) {
			t.Errorf("%s: HTML not marked lang=%s", c.lang, c.wantLang)
		}
		if !strings.Contains(p.text, req.GetConfirmationToken()) {
			t.Errorf("%s: no link in text part", c.lang)
		}
		testkit.Eventually(t, 5*time.Second, func() (bool, error) {
			ds := h.deliveries(ctx, t, to)
			return len(ds) == 1 && ds[0].Language == c.wantLang && ds[0].Status == "sent", fmt.Errorf("deliveries %+v", ds)
		})
	}
}

func (h *harness) testRedeliveredEventSendsOnce(t *testing.T) {
	t.Parallel()
	ctx := testkit.Context(t)
	to := recipient("twice")
	ev, _ := request(t, to, "en")

	// The same event twice under different Nats-Msg-Ids: JetStream keeps
	// both (a re-publish after the dedup window), so the consumer gets it
	// twice, possibly at the same time on two workers.
	first := ev.Msg()
	second := ev.Msg()
	second.Header.Set(nats.MsgIdHdr, uuid.NewString())
	h.publish(ctx, t, first)
	h.publish(ctx, t, second)

	h.waitMail(ctx, t, to, 15*time.Second)
	h.idle(ctx, t, 15*time.Second)
	time.Sleep(300 * time.Millisecond)
	if n := len(h.mailTo(to)); n != 1 {
		t.Errorf("%d emails to %s for one event delivered twice, want exactly 1", n, to)
	}
	if ds := h.deliveries(ctx, t, to); len(ds) != 1 || ds[0].Status != "sent" {
		t.Errorf("deliveries = %+v, want one sent", ds)
	}

	// Much later, a third copy: the inbox remembers the event.
	third := ev.Msg()
	third.Header.Set(nats.MsgIdHdr, uuid.NewString())
	h.publish(ctx, t, third)
	h.idle(ctx, t, 15*time.Second)
	if n := len(h.mailTo(to)); n != 1 {
		t.Errorf("%d emails to %s after a late copy, want exactly 1", n, to)
	}
}

func (h *harness) testTemporaryFailure(t *testing.T) {
	ctx := testkit.Context(t)
	h.idle(ctx, t, 15*time.Second) // nothing else may consume the injected failures
	to := recipient("later")
	ev, _ := request(t, to, "en")

	h.catcher.FailNext(2, 451, "try later")
	started := time.Now()
	h.publish(ctx, t, ev.Msg())

	// The pipeline retries from the delivery record, backing off 200ms,
	// then 400ms (SEND_RETRY_BASE), before the third attempt.
	h.waitMail(ctx, t, to, 20*time.Second)
	t.Logf("delivered after %s", time.Since(started).Round(100*time.Millisecond))
	h.idle(ctx, t, 15*time.Second)
	if n := len(h.mailTo(to)); n != 1 {
		t.Errorf("%d emails to %s, want exactly 1", n, to)
	}
	ds := h.deliveries(ctx, t, to)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1", len(ds))
	}
	if d := ds[0]; d.Status != "sent" || d.Attempts != 3 || d.SentAt == nil {
		t.Errorf("delivery = %+v, want sent after 3 attempts", d)
	}
}

func (h *harness) testPermanentFailure(t *testing.T) {
	ctx := testkit.Context(t)
	h.idle(ctx, t, 15*time.Second)
	to := recipient("nobody")
	ev, _ := request(t, to, "en")

	h.catcher.FailNext(1, 550, "no such user")
	h.publish(ctx, t, ev.Msg())

	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		ds := h.deliveries(ctx, t, to)
		return len(ds) == 1 && ds[0].Status == "failed", fmt.Errorf("deliveries %+v", ds)
	})
	// Not retried: the event is acknowledged, and nothing arrives later
	// (a retry would come after the pipeline's 200ms back-off).
	h.idle(ctx, t, 15*time.Second)
	time.Sleep(1500 * time.Millisecond)
	if n := len(h.mailTo(to)); n != 0 {
		t.Errorf("%d emails to %s after a permanent refusal, want none", n, to)
	}
	d := h.deliveries(ctx, t, to)[0]
	if d.Status != "failed" || d.Attempts != 1 || !strings.Contains(d.LastError, "550") || !strings.Contains(d.LastError, "no such user") {
		t.Errorf("delivery = %+v, want failed after 1 attempt with the 550 recorded", d)
	}

	// Coordinators hear about it on the NOTIFICATION stream.
	var failed []*notificationv1.DeliveryFailed
	testkit.Eventually(t, 15*time.Second, func() (bool, error) {
		var err error
		failed, err = readDeliveryFailed(ctx, h.js, ev.ID)
		return len(failed) > 0, err
	})
	time.Sleep(300 * time.Millisecond)
	failed, err := readDeliveryFailed(ctx, h.js, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 {
		t.Fatalf("%d DeliveryFailed events, want 1", len(failed))
	}
	if f := failed[0]; f.GetDeliveryId() != d.ID || f.GetTemplate() != "signature_confirmation" || !strings.Contains(f.GetError(), "550") {
		t.Errorf("DeliveryFailed = %v", f)
	}
	// The event is never erased: it names no one (the record, which is
	// erased with the person, keeps go-mail's full error).
	if f := failed[0]; strings.Contains(f.GetError(), "@") || strings.Contains(f.GetError(), "no such user") {
		t.Errorf("DeliveryFailed error %q carries more than the SMTP codes", f.GetError())
	}
}

// readDeliveryFailed reads the DeliveryFailed events about eventID.
func readDeliveryFailed(ctx context.Context, js jetstream.JetStream, eventID string) ([]*notificationv1.DeliveryFailed, error) {
	cons, err := js.OrderedConsumer(ctx, broker.StreamName(service.Name), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"notification.delivery.failed"},
	})
	if err != nil {
		return nil, err
	}
	var out []*notificationv1.DeliveryFailed
	for {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(300*time.Millisecond))
		if err != nil {
			return nil, err
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			ev, err := broker.EventFromMsg(msg.Subject(), msg.Headers(), msg.Data())
			if err != nil {
				return nil, err
			}
			if ev.Source != "/coalition/notification" || msg.Headers().Get(nats.MsgIdHdr) != ev.ID {
				return nil, fmt.Errorf("event %s: source %q, Nats-Msg-Id %q", ev.ID, ev.Source, msg.Headers().Get(nats.MsgIdHdr))
			}
			var f notificationv1.DeliveryFailed
			if err := ev.Decode(&f); err != nil {
				return nil, err
			}
			if f.GetEventId() == eventID {
				out = append(out, &f)
			}
		}
		if err := batch.Error(); err != nil {
			return nil, err
		}
		if n == 0 {
			return out, nil
		}
	}
}

func (h *harness) testListDeliveries(t *testing.T) {
	ctx := testkit.Context(t)

	_, err := h.anonymous.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{})
	if st, _ := status.FromError(err); st.Code() != codes.Unauthenticated {
		t.Fatalf("anonymous: %v, want Unauthenticated", err)
	}

	all, err := h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := h.db.Collection("deliveries").CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(all.GetDeliveries())) != stored || stored < 6 {
		t.Fatalf("listed %d deliveries, stored %d (the scenarios before made at least 6)", len(all.GetDeliveries()), stored)
	}
	for i := 1; i < len(all.GetDeliveries()); i++ {
		if all.GetDeliveries()[i].GetCreatedAt().AsTime().After(all.GetDeliveries()[i-1].GetCreatedAt().AsTime()) {
			t.Errorf("not newest first at %d", i)
		}
	}

	counts := map[notificationv1.DeliveryStatus]int{}
	for _, d := range all.GetDeliveries() {
		counts[d.GetStatus()]++
	}
	for _, s := range []notificationv1.DeliveryStatus{
		notificationv1.DeliveryStatus_DELIVERY_STATUS_SENT, notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED,
	} {
		resp, err := h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{Status: s, PageSize: 500})
		if err != nil {
			t.Fatalf("list %s: %v", s, err)
		}
		if len(resp.GetDeliveries()) != counts[s] || counts[s] == 0 {
			t.Errorf("list %s: %d deliveries, want %d (and > 0)", s, len(resp.GetDeliveries()), counts[s])
		}
		for _, d := range resp.GetDeliveries() {
			if d.GetStatus() != s {
				t.Errorf("list %s returned a %s delivery", s, d.GetStatus())
			}
			if s == notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED && !strings.Contains(d.GetLastError(), "550") {
				t.Errorf("failed delivery without its error: %v", d)
			}
			if s == notificationv1.DeliveryStatus_DELIVERY_STATUS_SENT && d.GetSentAt() == nil {
				t.Errorf("sent delivery without sent_at: %v", d)
			}
		}
	}
	if counts[notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED] != 1 {
		t.Errorf("%d failed deliveries, want 1", counts[notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED])
	}

	// By event.
	one := all.GetDeliveries()[0]
	resp, err := h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{EventId: one.GetEventId()})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetDeliveries()) != 1 || resp.GetDeliveries()[0].GetId() != one.GetId() {
		t.Errorf("by event %s: %v", one.GetEventId(), resp.GetDeliveries())
	}
	// By recipient (any case), template and event type.
	someone := all.GetDeliveries()[len(all.GetDeliveries())-1]
	resp, err = h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{
		Recipient: strings.ToUpper(someone.GetRecipient()), Template: someone.GetTemplate(), EventType: someone.GetEventType(),
	})
	if err != nil || len(resp.GetDeliveries()) == 0 {
		t.Fatalf("by recipient: %v %v", resp, err)
	}
	for _, d := range resp.GetDeliveries() {
		if !strings.EqualFold(d.GetRecipient(), someone.GetRecipient()) || d.GetTemplate() != someone.GetTemplate() || d.GetCategory() == "" {
			t.Errorf("by recipient %s: %v", someone.GetRecipient(), d)
		}
	}
	// Suppressed deliveries are listed as such (testUnsubscribe made one).
	sup, err := h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{Status: notificationv1.DeliveryStatus_DELIVERY_STATUS_SUPPRESSED})
	if err != nil || len(sup.GetDeliveries()) == 0 || sup.GetDeliveries()[0].GetCategory() != "petition_news" {
		t.Errorf("suppressed: %v %v", sup, err)
	}
	// Pages of 4: every delivery once, in order.
	seen, token := map[string]bool{}, ""
	for {
		page, err := h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{PageSize: 4, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.GetDeliveries() {
			if seen[d.GetId()] {
				t.Fatalf("delivery %s on two pages", d.GetId())
			}
			seen[d.GetId()] = true
		}
		if token = page.GetNextPageToken(); token == "" {
			break
		}
	}
	if len(seen) != len(all.GetDeliveries()) {
		t.Errorf("paging listed %d of %d deliveries", len(seen), len(all.GetDeliveries()))
	}

	// Bad input.
	_, err = h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{PageToken: "garbage!"})
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = h.coordinator.ListDeliveries(ctx, &notificationv1.ListDeliveriesRequest{EventId: "not-a-uuid"})
	if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument {
		t.Errorf("bad event id: %v, want InvalidArgument", err)
	}
}
