// Command mailbench measures the notification service's sending pipeline:
// emails per second from domain events published on JetStream to the SMTP
// server accepting them (consumer → inbox → delivery record → pooled SMTP
// connections → recorded as sent). It starts the whole platform in process
// (the dev launcher on a fresh data folder), publishes -n
// petition.signature.requested events for unique addresses as fast as
// JetStream takes them, and waits for every email to reach the catcher.
//
// It adds its figures to bench/results.md (its own section, between
// markers) and bench/results.json (a "mail" key beside the signing bench's
// "runs"), so it runs after scripts/loadgen in `make bench`.
//
//	go run ./scripts/loadgen/mailbench -n 1000
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/devstack/stack"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mailcatcher"
)

// Result is the "mail" entry of bench/results.json.
type Result struct {
	Emails          int     `json:"emails"`
	Seconds         float64 `json:"seconds"`
	EmailsPerSecond float64 `json:"emails_per_second"`
	P50Ms           float64 `json:"p50_ms"`
	P99Ms           float64 `json:"p99_ms"`
	Missing         int     `json:"missing"`
	SMTPConnections string  `json:"smtp_connections"`
	When            string  `json:"when"`
}

func main() {
	n := flag.Int("n", 1000, "events (one email each) to publish; at most 1900 (the catcher keeps 2000)")
	timeout := flag.Duration("timeout", 5*time.Minute, "how long to wait for every email")
	out := flag.String("out", "bench", "folder with results.md and results.json")
	flag.Parse()
	if *n <= 0 || *n > 1900 {
		fatalf("-n must be between 1 and 1900")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := run(ctx, *n, *timeout)
	if err != nil {
		fatalf("mailbench: %v", err)
	}
	if err := write(*out, res); err != nil {
		fatalf("mailbench: write results: %v", err)
	}
	fmt.Printf("mail: %d emails in %.1f s = %.1f emails/s (p50 %.0f ms, p99 %.0f ms from publish to SMTP accepted, %d missing)\n",
		res.Emails, res.Seconds, res.EmailsPerSecond, res.P50Ms, res.P99Ms, res.Missing)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func run(ctx context.Context, n int, timeout time.Duration) (Result, error) {
	platform, err := stack.StartEphemeral(ctx, stack.EphemeralOptions{Log: zap.NewNop()})
	if err != nil {
		return Result{}, err
	}
	defer func() { _ = platform.Stop() }()
	nc, err := nats.Connect(platform.Addresses().NATSURL)
	if err != nil {
		return Result{}, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return Result{}, err
	}
	// The petition service's relay creates its stream with its first event;
	// create it as the relay would, since the bench publishes first.
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := broker.EnsureStream(sctx, js, broker.StreamConfig("petition", broker.StreamOptions{})); err != nil {
		return Result{}, fmt.Errorf("petition stream: %w", err)
	}

	run := uuid.NewString()[:8]
	domain := "mailbench-" + run + ".example.org"
	published := make(map[string]time.Time, n)
	started := time.Now()
	for i := range n {
		to := fmt.Sprintf("r%d@%s", i, domain)
		ev, err := broker.NewEvent("/mailbench", &petitionv1.SignatureRequested{
			SignatureId: uuid.NewString(), PetitionId: uuid.NewString(), PetitionTitle: "Benchmark, join the coalition",
			City: "Benchmark", Name: "Signer", Email: to, Language: "en", ConfirmationToken: strings.Repeat("t", 43),
			ExpiresAt: timestamppb.New(time.Now().Add(time.Hour)),
		})
		if err != nil {
			return Result{}, err
		}
		published[to] = time.Now()
		if _, err := js.PublishMsgAsync(ev.Msg()); err != nil {
			return Result{}, fmt.Errorf("publish: %w", err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(time.Minute):
		return Result{}, errors.New("JetStream did not acknowledge the events")
	}

	ours := func(m mailcatcher.Message) bool { return len(m.To) == 1 && strings.HasSuffix(m.To[0], "@"+domain) }
	deadline := time.Now().Add(timeout)
	for platform.Mail().Count(ours) < n && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	var last time.Time
	var latencies []float64
	for _, m := range platform.Mail().Messages() {
		if !ours(m) {
			continue
		}
		if m.Time.After(last) {
			last = m.Time
		}
		latencies = append(latencies, float64(m.Time.Sub(published[m.To[0]]))/float64(time.Millisecond))
	}
	if len(latencies) == 0 {
		return Result{}, errors.New("no email arrived")
	}
	slices.Sort(latencies)
	secs := last.Sub(started).Seconds()
	conns := os.Getenv("NOTIFICATION_SMTP_CONNECTIONS")
	if conns == "" {
		conns = "4 (default)"
	}
	return Result{
		Emails: len(latencies), Seconds: round(secs), EmailsPerSecond: round(float64(len(latencies)) / secs),
		P50Ms: round(pct(latencies, 50)), P99Ms: round(pct(latencies, 99)), Missing: n - len(latencies),
		SMTPConnections: conns, When: time.Now().UTC().Format(time.RFC3339),
	}, nil
}

func pct(sorted []float64, p float64) float64 {
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

func round(v float64) float64 { return float64(int(v*10+0.5)) / 10 }

const (
	beginMarker = "<!-- mail:begin -->"
	endMarker   = "<!-- mail:end -->"
)

// write puts the result into results.md (replacing its own section) and
// results.json (the "mail" key; every other key is kept as it was).
func write(dir string, res Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	jsonPath := filepath.Join(dir, "results.json")
	doc := map[string]json.RawMessage{}
	if b, err := os.ReadFile(jsonPath); err == nil {
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %w", jsonPath, err)
		}
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	doc["mail"] = raw
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(jsonPath, append(b, '\n'), 0o644); err != nil {
		return err
	}

	mdPath := filepath.Join(dir, "results.md")
	md, err := os.ReadFile(mdPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	text := string(md)
	if i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker); i >= 0 && j > i {
		text = text[:i] + text[j+len(endMarker):]
	}
	var s strings.Builder
	s.WriteString(beginMarker + "\n")
	fmt.Fprintf(&s, "## Sending pipeline\n\nGenerated by `make bench` (scripts/loadgen/mailbench) on %s: %d `petition.signature.requested`\n", res.When, res.Emails+res.Missing)
	s.WriteString("events published on JetStream at once; each becomes a confirmation email through the notification\n")
	s.WriteString("service (consumer, inbox, delivery record, pooled SMTP connections, recorded as sent) to the SMTP catcher.\n")
	s.WriteString("Latency is from publishing an event to the catcher accepting its email.\n\n")
	s.WriteString("| Emails | Seconds | Emails/s | p50 (ms) | p99 (ms) | Missing | SMTP connections |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&s, "| %d | %.1f | %.1f | %.0f | %.0f | %d | %s |\n", res.Emails, res.Seconds, res.EmailsPerSecond, res.P50Ms, res.P99Ms, res.Missing, res.SMTPConnections)
	s.WriteString(endMarker + "\n")
	text = strings.TrimRight(text, "\n")
	if text != "" {
		text += "\n\n"
	}
	return os.WriteFile(mdPath, []byte(text+s.String()), 0o644)
}
