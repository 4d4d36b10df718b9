package mailcatcher

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestReceivePlain(t *testing.T) {
	c := start(t, Options{})
	mustSend(t, c, "alice@example.org", []string{"bob@example.org", "Bob2@Example.org"}, plainMsg)

	msgs := c.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "alice@example.org" || strings.Join(m.To, ",") != "bob@example.org,Bob2@Example.org" {
		t.Errorf("envelope = %q %q", m.From, m.To)
	}
	if m.Subject != "Hello" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if string(m.Raw) != plainMsg || m.Size != len(plainMsg) {
		t.Errorf("Raw differs from what was sent:\n%q\nwant\n%q", m.Raw, plainMsg)
	}
	if u, err := uuid.Parse(m.ID); err != nil || u.Version() != 7 {
		t.Errorf("ID %q is not a UUIDv7: %v", m.ID, err)
	}
	if time.Since(m.Time) > time.Minute {
		t.Errorf("Time = %v", m.Time)
	}
	if got, ok := c.Get(m.ID); !ok || got.ID != m.ID {
		t.Errorf("Get(%q) = %v, %v", m.ID, got.ID, ok)
	}
	if _, ok := c.Get("nope"); ok {
		t.Error("Get(unknown) found a message")
	}
}

func TestEncodedSubjectAndOrder(t *testing.T) {
	c := start(t, Options{})
	mustSend(t, c, "a@example.org", []string{"x@example.org"}, plainMsg)
	mustSend(t, c, "petition@example.org", []string{"frank@example.org"}, encodedSubjectMsg)

	msgs := c.Messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d messages", len(msgs))
	}
	if want := "Bestätigen Sie Ihre Unterschrift ✓"; msgs[0].Subject != want {
		t.Errorf("newest Subject = %q, want %q", msgs[0].Subject, want)
	}
	if msgs[1].Subject != "Hello" || msgs[0].ID <= msgs[1].ID {
		t.Errorf("not newest first: %q (%s), %q (%s)", msgs[0].Subject, msgs[0].ID, msgs[1].Subject, msgs[1].ID)
	}
	if n := c.Count(func(m Message) bool { return m.hasRecipient("FRANK") }); n != 1 {
		t.Errorf("Count(frank) = %d", n)
	}
	if n := c.Count(nil); n != 2 {
		t.Errorf("Count(nil) = %d", n)
	}
	c.Clear()
	if n := c.Count(nil); n != 0 {
		t.Errorf("after Clear Count = %d", n)
	}
}

func TestWaitFor(t *testing.T) {
	c := start(t, Options{})
	ctx := waitCtx(t)

	var wg sync.WaitGroup
	var got Message
	var err error
	wg.Go(func() {
		got, err = c.WaitFor(ctx, func(m Message) bool { return m.hasRecipient("carol@") })
	})
	time.Sleep(20 * time.Millisecond) // let WaitFor block first (not required for correctness)
	mustSend(t, c, "a@example.org", []string{"bob@example.org"}, plainMsg)
	mustSend(t, c, "news@example.org", []string{"carol@example.org"}, alternativeMsg)
	wg.Wait()
	if err != nil || got.Subject != "Newsletter" {
		t.Fatalf("WaitFor = %q, %v", got.Subject, err)
	}

	// An already received message matches at once.
	m, err := c.WaitFor(ctx, nil)
	if err != nil || m.Subject != "Newsletter" {
		t.Errorf("WaitFor(nil) = %q, %v", m.Subject, err)
	}

	short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, err = c.WaitFor(short, func(Message) bool { return false })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitFor on timeout: %v", err)
	}
}

func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

func TestFailNextThenSuccess(t *testing.T) {
	c := start(t, Options{})
	c.FailNext(2, 451, "try again later")

	for i := range 2 {
		err := send(c, "a@example.org", []string{"b@example.org"}, plainMsg)
		if smtpCode(err) != 451 || !strings.Contains(err.Error(), "try again later") {
			t.Fatalf("attempt %d: err = %v, want 451", i, err)
		}
	}
	mustSend(t, c, "a@example.org", []string{"b@example.org"}, plainMsg)
	if n := c.Count(nil); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}

	// A permanent failure at DATA: the client gets past RCPT, then 550.
	c.FailNext(1, 550, "")
	cl, err := smtp.Dial(c.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Mail("a@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := cl.Rcpt("b@example.org"); smtpCode(err) != 550 {
		t.Fatalf("Rcpt: %v, want 550", err)
	}
	if err := cl.Rcpt("b@example.org"); err != nil {
		t.Fatalf("second Rcpt: %v", err)
	}
	c.FailNext(1, 554, "rejected")
	w, err := cl.Data()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(w, plainMsg)
	if err := w.Close(); smtpCode(err) != 554 {
		t.Fatalf("end of DATA: %v, want 554", err)
	}
	if err := cl.Quit(); err != nil {
		t.Fatal(err)
	}
	if n := c.Count(nil); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func TestSetDown(t *testing.T) {
	c := start(t, Options{})
	c.SetDown(true)
	if err := send(c, "a@example.org", []string{"b@example.org"}, plainMsg); smtpCode(err) != 421 {
		t.Fatalf("while down: %v, want 421", err)
	}
	c.SetDown(false)
	mustSend(t, c, "a@example.org", []string{"b@example.org"}, plainMsg)
	if n := c.Count(nil); n != 1 {
		t.Errorf("Count = %d", n)
	}
}

func TestAuthAccepted(t *testing.T) {
	c := start(t, Options{})
	auth := smtp.PlainAuth("", "anyone", "anything", "127.0.0.1")
	if err := smtp.SendMail(c.Addr(), auth, "a@example.org", []string{"b@example.org"}, []byte(plainMsg)); err != nil {
		t.Fatalf("SendMail with AUTH PLAIN: %v", err)
	}
}

func TestMaxMessageBytes(t *testing.T) {
	c := start(t, Options{MaxMessageBytes: 1024})
	big := plainMsg + strings.Repeat(strings.Repeat("x", 70)+"\r\n", 30)
	if err := send(c, "a@example.org", []string{"b@example.org"}, big); smtpCode(err) != 552 {
		t.Fatalf("oversized: %v, want 552", err)
	}
	if n := c.Count(nil); n != 0 {
		t.Errorf("Count = %d", n)
	}
}

func TestRingBuffer(t *testing.T) {
	c := start(t, Options{MaxMessages: 3})
	for i := range 5 {
		mustSend(t, c, "a@example.org", []string{"b@example.org"}, crlf(fmt.Sprintf("Subject: n%d\n\nbody\n", i)))
	}
	var subjects []string
	for _, m := range c.Messages() {
		subjects = append(subjects, m.Subject)
	}
	if got := strings.Join(subjects, ","); got != "n4,n3,n2" {
		t.Errorf("subjects = %s, want n4,n3,n2", got)
	}
	// WaitFor still sees new messages once the ring is full.
	ctx := waitCtx(t)
	done := make(chan error, 1)
	go func() {
		_, err := c.WaitFor(ctx, func(m Message) bool { return m.Subject == "late" })
		done <- err
	}()
	mustSend(t, c, "a@example.org", []string{"b@example.org"}, crlf("Subject: late\n\nbody\n"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPersistenceReload(t *testing.T) {
	dir := t.TempDir()
	c1, err := Start(t.Context(), Options{Dir: dir, MaxMessages: 2})
	if err != nil {
		t.Fatal(err)
	}
	mustSend(t, c1, "a@example.org", []string{"b@example.org"}, plainMsg)
	mustSend(t, c1, "news@example.org", []string{"carol@example.org"}, alternativeMsg)
	mustSend(t, c1, "petition@example.org", []string{"frank@example.org"}, encodedSubjectMsg)
	before := c1.Messages()
	if err := c1.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c1.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	c2 := start(t, Options{Dir: dir, MaxMessages: 2})
	after := c2.Messages()
	if len(after) != 2 || len(before) != 2 {
		t.Fatalf("reloaded %d messages, had %d", len(after), len(before))
	}
	for i := range after {
		b, a := before[i], after[i]
		if a.ID != b.ID || a.From != b.From || strings.Join(a.To, ",") != strings.Join(b.To, ",") ||
			a.Subject != b.Subject || !a.Time.Equal(b.Time) || a.Size != b.Size || string(a.Raw) != string(b.Raw) {
			t.Errorf("message %d differs after reload:\n%+v\n%+v", i, a, b)
		}
	}

	// Reload respects a smaller bound and drops the oldest files.
	if err := c2.Close(); err != nil {
		t.Fatal(err)
	}
	c3 := start(t, Options{Dir: dir, MaxMessages: 1})
	if ms := c3.Messages(); len(ms) != 1 || ms[0].ID != before[0].ID {
		t.Fatalf("MaxMessages 1 reload: %d messages", len(ms))
	}
	c3.Clear()
	if err := c3.Close(); err != nil {
		t.Fatal(err)
	}
	c4 := start(t, Options{Dir: dir})
	if n := c4.Count(nil); n != 0 {
		t.Errorf("after Clear and restart: %d messages", n)
	}
}

func TestCloseOnContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	c, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := smtp.Dial(c.Addr()); err != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("catcher still accepting after ctx was cancelled")
}

func TestCloseWithIdleConnection(t *testing.T) {
	c, err := Start(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := smtp.Dial(c.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Hello("localhost"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > shutdownGrace/2 {
		t.Errorf("Close took %v", d)
	}
}

func TestCloseLetsTransactionFinish(t *testing.T) {
	c, err := Start(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := smtp.Dial(c.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Mail("a@example.org"); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- c.Close() }()
	time.Sleep(50 * time.Millisecond) // Close is now waiting for this transaction
	if err := cl.Rcpt("b@example.org"); err != nil {
		t.Fatal(err)
	}
	w, err := cl.Data()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(w, plainMsg)
	if err := w.Close(); err != nil {
		t.Fatalf("DATA during Close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if n := c.Count(nil); n != 1 {
		t.Errorf("Count = %d", n)
	}
}
