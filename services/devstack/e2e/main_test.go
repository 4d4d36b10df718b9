// Package e2e tests the whole platform as `make run` starts it: the launcher
// in process (embedded NATS, the FerretDB store, the SMTP catcher, all five
// services), driven over HTTP like a browser or API client would, with
// email read back from the catcher and parsed as MIME.
package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/devstack/stack"
)

// platform is the stack shared by the package's tests (started once: it
// takes a few seconds). Tests that stop parts of it restore them.
type platform struct {
	*stack.Stack
	cancel context.CancelFunc
	done   chan error
}

func startPlatform() (*platform, error) {
	dir, err := os.MkdirTemp("", "e2e-*")
	if err != nil {
		return nil, err
	}
	cfg := stack.Config{
		DataDir: dir, HTTPAddr: "127.0.0.1:0", StoreAddr: "127.0.0.1:0", NATSAddr: "127.0.0.1:0", SMTPAddr: "127.0.0.1:0",
		Membership: "127.0.0.1:0", Petition: "127.0.0.1:0", Events: "127.0.0.1:0", Notify: "127.0.0.1:0",
		SyncAlways: true, LogLevel: "warn", LogFormat: "console", ShutdownTimeout: 5 * time.Second,
	}
	log := zap.NewNop()
	if os.Getenv("E2E_LOG") != "" {
		log, _ = zap.NewDevelopment()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, err := stack.Start(ctx, cfg, log)
	if err != nil {
		return nil, fmt.Errorf("start stack: %w", err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	p := &platform{Stack: st, cancel: stop, done: make(chan error, 1)}
	go func() { p.done <- st.Run(runCtx) }()
	return p, nil
}

func (p *platform) stop() error {
	p.cancel()
	return <-p.done
}

// shared is set by TestMain for the duration of the run.
var shared *platform

func TestMain(m *testing.M) {
	p, err := startPlatform()
	if err != nil {
		// No skipping: the platform not starting is a failure, on CI or not.
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	shared = p
	code := m.Run()
	if err := p.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: stack stopped with error:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
