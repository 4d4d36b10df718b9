package cli_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/cc4dr/coalition/services/kit/cli"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
)

// The shapes of the real config structs: domain services declare GRPC_ADDR,
// the gateway HTTP_ADDR.
type grpcConfig struct {
	config.Common
	GRPCAddr string `env:"GRPC_ADDR" envDefault:":9082"`
}

type httpConfig struct {
	config.Runtime
	HTTPAddr string `env:"HTTP_ADDR" envDefault:":8080"`
}

func TestProbeForDialsLoopback(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  any
		env  string // GRPC_ADDR or HTTP_ADDR value; "" keeps the default
		want cli.Probe
	}{
		{"grpc default", &grpcConfig{}, "", cli.Probe{GRPC: "127.0.0.1:9082"}},
		{"grpc any address", &grpcConfig{}, "0.0.0.0:9100", cli.Probe{GRPC: "127.0.0.1:9100"}},
		{"grpc ipv6 any", &grpcConfig{}, "[::]:9100", cli.Probe{GRPC: "127.0.0.1:9100"}},
		{"grpc specific host kept", &grpcConfig{}, "10.0.0.7:9100", cli.Probe{GRPC: "10.0.0.7:9100"}},
		{"http", &httpConfig{}, ":8081", cli.Probe{HTTP: "http://127.0.0.1:8081"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("GRPC_ADDR", tc.env)
				t.Setenv("HTTP_ADDR", tc.env)
			}
			got, err := cli.ProbeFor(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("ProbeFor = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestProbeForRejectsUnusableConfigs(t *testing.T) {
	if _, err := cli.ProbeFor(&config.Common{}); err == nil {
		t.Error("a config without GRPC_ADDR or HTTP_ADDR: want error")
	}
	t.Setenv("GRPC_ADDR", "127.0.0.1:0")
	if _, err := cli.ProbeFor(&grpcConfig{}); err == nil {
		t.Error("port 0 cannot be probed: want error")
	}
}

func TestGRPCProbeAgainstRealServer(t *testing.T) {
	srv, err := grpcserver.New(grpcserver.Options{Name: "test", Addr: "127.0.0.1:0", Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, time.Second) }()
	t.Cleanup(func() { stop(); <-done })

	t.Setenv("GRPC_ADDR", srv.Addr())
	probe, err := cli.ProbeFor(&grpcConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := check(t, probe); err != nil {
		t.Fatalf("serving server: %v", err)
	}

	srv.SetServing(false) // what a draining service reports
	if err := check(t, probe); err == nil || !strings.Contains(err.Error(), "NOT_SERVING") {
		t.Fatalf("draining server: err = %v, want NOT_SERVING", err)
	}
}

func TestGRPCProbeFailsFastWhenNothingListens(t *testing.T) {
	start := time.Now()
	if err := check(t, cli.Probe{GRPC: closedAddr(t)}); err == nil {
		t.Fatal("want error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a refused connection took %v; want an answer well before the timeout", d)
	}
}

func TestHTTPProbeAsksLivez(t *testing.T) {
	healthy := true
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/livez" || !healthy {
			http.Error(w, "no", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(ts.Close)

	t.Setenv("HTTP_ADDR", strings.TrimPrefix(ts.URL, "http://"))
	probe, err := cli.ProbeFor(&httpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := check(t, probe); err != nil {
		t.Fatalf("live gateway: %v", err)
	}
	healthy = false
	if err := check(t, probe); err == nil {
		t.Fatal("503 from /livez: want error")
	}
	if err := check(t, cli.Probe{HTTP: "http://" + closedAddr(t)}); err == nil {
		t.Fatal("nothing listening: want error")
	}
}

func check(t *testing.T, p cli.Probe) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cli.HealthTimeout)
	defer cancel()
	return p.Check(ctx)
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
