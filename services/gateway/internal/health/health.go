// Package health answers the gateway's probes: /healthz and /readyz ask
// every downstream service over the gRPC health protocol, /livez only says
// the process is up.
package health

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	rpccode "google.golang.org/genproto/googleapis/rpc/code"
)

// DefaultTimeout bounds each downstream check.
const DefaultTimeout = 2 * time.Second

// Target is one downstream service.
type Target struct {
	Name   string
	Client healthpb.HealthClient
}

// Checker checks every target concurrently.
type Checker struct {
	Targets []Target
	Timeout time.Duration
}

// Report is the probe's JSON body.
type Report struct {
	Status   string            `json:"status"`
	Services map[string]string `json:"services"`
}

// Check asks every target for its overall health (service ""). A target is
// healthy only when it answers SERVING; otherwise its entry names what it
// said (NOT_SERVING) or why it could not be asked (UNAVAILABLE,
// DEADLINE_EXCEEDED, ...).
func (c *Checker) Check(ctx context.Context) (Report, bool) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	results := make([]string, len(c.Targets))
	var wg sync.WaitGroup
	for i, t := range c.Targets {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			resp, err := t.Client.Check(cctx, &healthpb.HealthCheckRequest{Service: ""})
			switch {
			case err != nil:
				results[i] = codeName(status.Code(err))
			default:
				results[i] = resp.GetStatus().String()
			}
		})
	}
	wg.Wait()
	rep := Report{Status: "ok", Services: make(map[string]string, len(c.Targets))}
	ok := true
	for i, t := range c.Targets {
		rep.Services[t.Name] = results[i]
		if results[i] != healthpb.HealthCheckResponse_SERVING.String() {
			ok = false
		}
	}
	if !ok {
		rep.Status = "unavailable"
	}
	return rep, ok
}

func codeName(c codes.Code) string {
	if n, ok := rpccode.Code_name[int32(c)]; ok {
		return n
	}
	return "UNKNOWN"
}

// ServeHTTP answers 200 when every downstream is SERVING, else 503; the body
// names each service's state either way.
func (c *Checker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep, ok := c.Check(r.Context())
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, rep)
}

// Live answers 200 as long as the process serves HTTP.
func Live(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}
