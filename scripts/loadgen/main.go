// Command loadgen drives the real signing path — HTTP → gateway → gRPC →
// petition store → JetStream → notification → SMTP — and reports sustained
// signatures per second, request latency percentiles and the time from
// signing to the confirmation email being accepted by the SMTP catcher, at
// several concurrency levels. It writes bench/results.md and
// bench/results.json.
//
// Without -url it starts the whole platform in process (the dev launcher,
// fresh data folder, demonstration data) and reads email straight from the
// catcher; with -url it targets a running platform on this machine (only
// 127.0.0.1/localhost) and polls its /dev/mail/messages.
//
//	go run ./scripts/loadgen -concurrency 8,32,128 -duration 20s
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	_ "net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"golang.org/x/time/rate"

	"github.com/cc4dr/coalition/services/devstack/stack"
)

// Run is one concurrency level's result (the JSON shape is fixed).
type Run struct {
	Concurrency         int     `json:"concurrency"`
	DurationS           float64 `json:"duration_s"`
	SignaturesPerSecond float64 `json:"signatures_per_second"`
	P50Ms               float64 `json:"p50_ms"`
	P95Ms               float64 `json:"p95_ms"`
	P99Ms               float64 `json:"p99_ms"`
	Errors              int     `json:"errors"`
	EmailP99Ms          float64 `json:"email_p99_ms"`
	// RatePerSecond is the pace of a paced run (requests per second across
	// all workers); absent for the closed-loop runs.
	RatePerSecond float64 `json:"rate_per_second,omitempty"`

	requests, emailsSeen, emailsMissing int
	// unfinished requests were still waiting for an answer when the run
	// ended (not counted as errors, nor in the latencies).
	unfinished int
	emailP50Ms float64
	// event: from sending the request to SignatureRequested being stored
	// in JetStream (in process only; events.go).
	eventP50Ms, eventP99Ms float64
	eventsSeen             int
}

// Results is bench/results.json.
type Results struct {
	Runs []Run `json:"runs"`
}

type options struct {
	url          string
	petition     string
	levels       []int
	rates        []float64
	duration     time.Duration
	maxRequests  int
	emailTimeout time.Duration
	out          string
}

func main() {
	var o options
	var levels, rates string
	flag.StringVar(&o.url, "url", "", "gateway of a running platform on this machine (default: start one in process)")
	flag.StringVar(&o.petition, "petition", "", "petition id to sign (default: the first open one)")
	flag.StringVar(&levels, "concurrency", "8,32,128", "comma-separated concurrency levels, one run each")
	flag.StringVar(&rates, "rates", "50,100", "comma-separated paced runs after the concurrency levels, in signatures per second (a surge of a few thousand a minute); empty: none")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "length of each run")
	flag.IntVar(&o.maxRequests, "max-requests", 1_000_000, "upper bound on requests per run")
	flag.DurationVar(&o.emailTimeout, "email-timeout", 60*time.Second, "how long to wait after a run for its confirmation emails")
	flag.StringVar(&o.out, "out", "bench", "folder for results.md and results.json")
	pprofAddr := flag.String("pprof", "", "serve net/http/pprof on this 127.0.0.1 address (profiling the in-process platform)")
	flag.Parse()
	if *pprofAddr != "" {
		if !strings.HasPrefix(*pprofAddr, "127.0.0.1:") {
			fatalf("-pprof must be a 127.0.0.1 address")
		}
		go func() { _ = http.ListenAndServe(*pprofAddr, nil) }()
	}
	for _, s := range strings.Split(levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4096 {
			fatalf("bad -concurrency %q", levels)
		}
		o.levels = append(o.levels, n)
	}
	for _, s := range strings.Split(rates, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || r <= 0 || r > 100_000 {
			fatalf("bad -rates %q", rates)
		}
		o.rates = append(o.rates, r)
	}
	if o.duration <= 0 || o.duration > time.Hour {
		fatalf("-duration must be between 0 and 1h")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := Bench(ctx, o, os.Stdout)
	if err != nil {
		fatalf("%v", err)
	}
	if err := Write(o.out, res); err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("wrote %s and %s\n", filepath.Join(o.out, "results.md"), filepath.Join(o.out, "results.json"))
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
	os.Exit(1)
}

// mailbox tells when the confirmation email to each address arrived.
type mailbox interface {
	// arrivals returns recipient → time accepted, for the recent messages.
	arrivals(ctx context.Context) (map[string]time.Time, error)
}

// Bench runs every level and returns the results. In process, each level
// gets a fresh platform, so no level inherits another's backlog (mail still
// being sent, a larger signatures collection).
func Bench(ctx context.Context, o options, log io.Writer) (Results, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4096, MaxConnsPerHost: 4096}}
	var res Results
	type plan struct {
		c    int
		rate float64
	}
	var plans []plan
	for _, c := range o.levels {
		plans = append(plans, plan{c: c})
	}
	for _, r := range o.rates {
		// Enough workers that the pace, not the latency, sets the rate.
		plans = append(plans, plan{c: pacedWorkers, rate: r})
	}
	for i, p := range plans {
		r, err := benchLevel(ctx, client, o, p.c, p.rate, i, log)
		if err != nil {
			return res, err
		}
		fmt.Fprintf(log, "rate %6.1f concurrency %4d: %8.1f sig/s  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  errors %d  unfinished %d  event p50 %7.1f ms p99 %7.1f ms (%d seen)  email p50 %7.1f ms p99 %7.1f ms (%d seen, %d missing)\n",
			r.RatePerSecond, r.Concurrency, r.SignaturesPerSecond, r.P50Ms, r.P95Ms, r.P99Ms, r.Errors, r.unfinished, r.eventP50Ms, r.eventP99Ms, r.eventsSeen, r.emailP50Ms, r.EmailP99Ms, r.emailsSeen, r.emailsMissing)
		res.Runs = append(res.Runs, r)
	}
	return res, nil
}

// pacedWorkers is the concurrency of paced runs.
const pacedWorkers = 64

func benchLevel(ctx context.Context, client *http.Client, o options, c int, pace float64, level int, log io.Writer) (Run, error) {
	base, mail, natsURL, cleanup, err := target(ctx, o)
	if err != nil {
		return Run{}, err
	}
	defer cleanup()
	petition := o.petition
	if petition == "" {
		if petition, err = openPetition(ctx, client, base); err != nil {
			return Run{}, err
		}
	}
	fmt.Fprintf(log, "target %s, petition %s\n", base, petition)
	return runLevel(ctx, client, base, petition, mail, natsURL, c, pace, level, o, log)
}

// target starts the platform in process (and reports its NATS URL), or
// checks -url.
func target(ctx context.Context, o options) (base string, mail mailbox, natsURL string, cleanup func(), err error) {
	if o.url != "" {
		u, err := url.Parse(o.url)
		if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
			return "", nil, "", nil, fmt.Errorf("-url must point at 127.0.0.1 or localhost, got %q", o.url)
		}
		base = strings.TrimSuffix(o.url, "/")
		return base, &httpMailbox{base: base, client: &http.Client{Timeout: 10 * time.Second}}, "", func() {}, nil
	}
	// A load test signs from one address: lift the per-address abuse limit
	// of the in-process platform (unless the caller set it).
	if _, set := os.LookupEnv("PETITION_RATE_LIMIT_PER_IP"); !set {
		_ = os.Setenv("PETITION_RATE_LIMIT_PER_IP", "0")
	}
	dir, err := os.MkdirTemp("", "loadgen-*")
	if err != nil {
		return "", nil, "", nil, err
	}
	cfg := stack.Config{
		DataDir: dir, HTTPAddr: "127.0.0.1:0", StoreAddr: "127.0.0.1:0", NATSAddr: "127.0.0.1:0", SMTPAddr: "127.0.0.1:0",
		Membership: "127.0.0.1:0", Petition: "127.0.0.1:0", Events: "127.0.0.1:0", Notify: "127.0.0.1:0",
		DemoData: true, SyncAlways: true, LogLevel: "error", LogFormat: "console", ShutdownTimeout: 10 * time.Second,
	}
	sctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	st, err := stack.Start(sctx, cfg, zap.NewNop())
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, "", nil, fmt.Errorf("start platform: %w", err)
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- st.Run(runCtx) }()
	cleanup = func() {
		stop()
		<-done
		_ = os.RemoveAll(dir)
	}
	return st.Addresses().GatewayURL, &catcherMailbox{st: st}, st.Addresses().NATSURL, cleanup, nil
}

type catcherMailbox struct{ st *stack.Stack }

func (m *catcherMailbox) arrivals(context.Context) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for _, msg := range m.st.Mail().Messages() {
		for _, to := range msg.To {
			out[strings.ToLower(to)] = msg.Time
		}
	}
	return out, nil
}

type httpMailbox struct {
	base   string
	client *http.Client
}

func (m *httpMailbox) arrivals(ctx context.Context) (map[string]time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.base+"/dev/mail/messages?limit=1000", nil)
	if err != nil {
		return nil, err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /dev/mail/messages: %s (is the platform's mail catcher on?)", resp.Status)
	}
	var msgs []struct {
		To   []string  `json:"to"`
		Time time.Time `json:"time"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&msgs); err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for _, msg := range msgs {
		for _, to := range msg.To {
			out[strings.ToLower(to)] = msg.Time
		}
	}
	return out, nil
}

// openPetition waits (the demonstration data loads in the background) for
// an open petition and returns its id.
func openPetition(ctx context.Context, client *http.Client, base string) (string, error) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var list struct {
			Petitions []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"petitions"`
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/petitions?page_size=200", nil)
		resp, err := client.Do(req)
		if err == nil {
			err = json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&list)
			resp.Body.Close()
		}
		if err == nil {
			for _, p := range list.Petitions {
				if p.Status == "PETITION_STATUS_OPEN" || p.Status == "PETITION_STATUS_GOAL_REACHED" {
					return p.ID, nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return "", errors.New("no open petition found (pass -petition)")
}

// runLevel signs at concurrency c for o.duration, then waits for the emails.
// runLevel drives c workers for o.duration; with pace > 0 they share a
// limiter of pace requests per second (an open surge rather than as fast
// as answers come back).
func runLevel(ctx context.Context, client *http.Client, base, petition string, mail mailbox, natsURL string, c int, pace float64, level int, o options, log io.Writer) (Run, error) {
	type sample struct {
		email string
		sent  time.Time
		took  time.Duration
	}
	prefix := fmt.Sprintf("lg%d-%d-%d", time.Now().UnixNano()%1_000_000_000, level, c)
	endpoint := base + "/api/v1/petitions/" + url.PathEscape(petition) + "/signatures"
	var (
		mu         sync.Mutex
		samples    []sample
		errs       atomic.Int64
		unfinished atomic.Int64
		firstErr   atomic.Value
		issued     atomic.Int64
	)
	// Email arrivals are collected while the run goes (the catcher keeps
	// only its newest messages).
	arrived := map[string]time.Time{}
	var amu sync.Mutex
	pollCtx, stopPoll := context.WithCancel(ctx)
	pollDone := make(chan struct{})
	go func() {
		defer close(pollDone)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if got, err := mail.arrivals(pollCtx); err == nil {
				amu.Lock()
				for k, v := range got {
					if strings.HasPrefix(k, prefix) {
						if _, ok := arrived[k]; !ok {
							arrived[k] = v
						}
					}
				}
				amu.Unlock()
			}
			select {
			case <-pollCtx.Done():
				return
			case <-t.C:
			}
		}
	}()

	var events *eventWatch
	if natsURL != "" {
		var err error
		if events, err = watchRequested(ctx, natsURL, prefix); err != nil {
			fmt.Fprintf(log, "not timing events: %v\n", err)
		}
		defer events.close()
	}

	var limiter *rate.Limiter
	if pace > 0 {
		limiter = rate.NewLimiter(rate.Limit(pace), 1)
	}
	runCtx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range c {
		wg.Go(func() {
			for i := 0; runCtx.Err() == nil; i++ {
				if limiter != nil && limiter.Wait(runCtx) != nil {
					return
				}
				if issued.Add(1) > int64(o.maxRequests) {
					return
				}
				email := fmt.Sprintf("%s-%d-%d@example.org", prefix, w, i)
				body, _ := json.Marshal(map[string]any{
					"name": "Load Test", "email": email, "lives_or_works_in_city": true, "language": "en",
				})
				req, _ := http.NewRequestWithContext(runCtx, http.MethodPost, endpoint, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				sent := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if runCtx.Err() != nil {
						unfinished.Add(1)
					} else {
						firstErr.CompareAndSwap(nil, err.Error())
						errs.Add(1)
					}
					continue
				}
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					firstErr.CompareAndSwap(nil, resp.Status)
					errs.Add(1)
					continue
				}
				mu.Lock()
				samples = append(samples, sample{email: email, sent: sent, took: time.Since(sent)})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	// Wait for the emails of this run (bounded).
	deadline := time.Now().Add(o.emailTimeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		amu.Lock()
		n := len(arrived)
		amu.Unlock()
		if n >= len(samples) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	stopPoll()
	<-pollDone
	if e := firstErr.Load(); e != nil {
		fmt.Fprintf(os.Stderr, "concurrency %d: %d errors, the first: %v\n", c, errs.Load(), e)
	}

	lat := make([]float64, len(samples))
	var email, event []float64
	for i, s := range samples {
		lat[i] = ms(s.took)
		if at, ok := arrived[strings.ToLower(s.email)]; ok {
			email = append(email, ms(at.Sub(s.sent)))
		}
		if at, ok := events.arrival(s.email); ok {
			event = append(event, ms(at.Sub(s.sent)))
		}
	}
	slices.Sort(lat)
	slices.Sort(email)
	slices.Sort(event)
	return Run{
		Concurrency: c, DurationS: round(elapsed.Seconds(), 2),
		SignaturesPerSecond: round(float64(len(samples))/elapsed.Seconds(), 1),
		P50Ms:               round(pct(lat, 50), 1), P95Ms: round(pct(lat, 95), 1), P99Ms: round(pct(lat, 99), 1),
		Errors: int(errs.Load()), EmailP99Ms: round(pct(email, 99), 1), RatePerSecond: pace,
		requests: len(samples), unfinished: int(unfinished.Load()), emailsSeen: len(email), emailsMissing: len(samples) - len(email), emailP50Ms: round(pct(email, 50), 1),
		eventP50Ms: round(pct(event, 50), 1), eventP99Ms: round(pct(event, 99), 1), eventsSeen: len(event),
	}, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// pct is the p-th percentile (nearest rank) of sorted values; 0 when empty.
func pct(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func round(v float64, digits int) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', digits, 64), 64)
	return f
}

// Write stores results.md and results.json in dir.
func Write(dir string, res Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Signing benchmark\n\nGenerated by `make bench` (scripts/loadgen) on %s: unique signers POST\n", time.Now().UTC().Format(time.RFC3339))
	b.WriteString("`/api/v1/petitions/{id}/signatures` through the gateway; \"email\" is the time from sending the\n")
	b.WriteString("request to the SMTP catcher accepting the confirmation email, \"event\" the time to its\n")
	b.WriteString("`petition.signature.requested` event being stored in JetStream (the petition service's share).\n\n")
	b.WriteString("Closed-loop runs (no pace) send as fast as answers come back; paced runs hold a fixed rate, the\n")
	b.WriteString("shape of a real surge, with enough workers that the pace sets the rate.\n\n")
	b.WriteString("| Pace (sig/s) | Concurrency | Duration (s) | Signatures/s | p50 (ms) | p95 (ms) | p99 (ms) | Errors | Event p50 (ms) | Event p99 (ms) | Email p50 (ms) | Email p99 (ms) | Emails seen / missing | Unfinished at the end |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range res.Runs {
		pace := "—"
		if r.RatePerSecond > 0 {
			pace = strconv.FormatFloat(r.RatePerSecond, 'f', -1, 64)
		}
		fmt.Fprintf(&b, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %.1f | %.1f | %.1f | %.1f | %d / %d | %d |\n",
			pace, r.Concurrency, r.DurationS, r.SignaturesPerSecond, r.P50Ms, r.P95Ms, r.P99Ms, r.Errors, r.eventP50Ms, r.eventP99Ms, r.emailP50Ms, r.EmailP99Ms, r.emailsSeen, r.emailsMissing, r.unfinished)
	}
	return os.WriteFile(filepath.Join(dir, "results.md"), []byte(b.String()), 0o644)
}
