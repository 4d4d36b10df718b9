package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A short closed-loop run and a short paced run against the in-process
// platform: requests succeed, emails arrive, the pace holds, and both result
// files are written in the agreed shape.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole platform")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	o := options{levels: []int{4}, rates: []float64{20}, duration: 2 * time.Second, maxRequests: 5000, emailTimeout: 30 * time.Second}
	res, err := Bench(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Runs[0]
	t.Logf("%+v", r)
	if r.SignaturesPerSecond <= 0 || r.Errors != 0 || r.P50Ms <= 0 || r.P99Ms < r.P50Ms || r.emailsSeen == 0 || r.EmailP99Ms <= 0 || r.eventsSeen == 0 {
		t.Fatalf("run = %+v", r)
	}
	paced := res.Runs[1]
	t.Logf("%+v", paced)
	// 20/s for 2 s is at most 41 requests (a burst of one, then the pace).
	if paced.RatePerSecond != 20 || paced.Errors != 0 || paced.requests == 0 || paced.requests > 41 || paced.emailsSeen == 0 {
		t.Fatalf("paced run = %+v", paced)
	}
	dir := t.TempDir()
	if err := Write(dir, res); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var shape map[string][]map[string]any
	if err := json.Unmarshal(b, &shape); err != nil {
		t.Fatal(err)
	}
	want := []string{"concurrency", "duration_s", "signatures_per_second", "p50_ms", "p95_ms", "p99_ms", "errors", "email_p99_ms"}
	if len(shape) != 1 || len(shape["runs"]) != 2 || len(shape["runs"][0]) != len(want) || shape["runs"][1]["rate_per_second"] != 20.0 {
		t.Fatalf("results.json = %s", b)
	}
	for _, k := range want {
		if _, ok := shape["runs"][0][k]; !ok {
			t.Errorf("results.json lacks %q", k)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "results.md")); err != nil {
		t.Fatal(err)
	}
}

func TestRefusesOtherHosts(t *testing.T) {
	if _, _, _, _, err := target(context.Background(), options{url: "http://example.org:8080"}); err == nil {
		t.Fatal("accepted a remote target")
	}
}
