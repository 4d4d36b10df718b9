package stack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"go.uber.org/zap"
)

// EphemeralOptions configures [StartEphemeral].
type EphemeralOptions struct {
	// DemoData loads the demonstration data before StartEphemeral returns
	// (not in the background as `make run` does), so pages show it at once.
	DemoData bool
	// Log receives the stack's logs; nil discards them.
	Log *zap.Logger
	// StartTimeout bounds the start (and the demo data); 60 s when zero.
	StartTimeout time.Duration
}

// Ephemeral is a throwaway stack for tests: a fresh temporary data folder,
// every listener on a free loopback port, serving in the background until
// Stop. Test packages start one in TestMain and share it.
type Ephemeral struct {
	*Stack
	dir    string
	cancel context.CancelFunc
	done   chan error
}

// StartEphemeral starts the whole platform in process as [Start] does, with
// a temporary data folder and free ports, and runs it in the background.
func StartEphemeral(ctx context.Context, o EphemeralOptions) (*Ephemeral, error) {
	dir, err := os.MkdirTemp("", "coalition-stack-*")
	if err != nil {
		return nil, err
	}
	cfg := Config{
		DataDir: dir, HTTPAddr: "127.0.0.1:0", StoreAddr: "127.0.0.1:0", NATSAddr: "127.0.0.1:0", SMTPAddr: "127.0.0.1:0",
		Membership: "127.0.0.1:0", Petition: "127.0.0.1:0", Events: "127.0.0.1:0", Notify: "127.0.0.1:0",
		SyncAlways: true, LogLevel: "warn", LogFormat: "console", ShutdownTimeout: 5 * time.Second,
	}
	log := o.Log
	if log == nil {
		log = zap.NewNop()
	}
	timeout := o.StartTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	startCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	st, err := Start(startCtx, cfg, log)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start stack: %w", err)
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	e := &Ephemeral{Stack: st, dir: dir, cancel: stop, done: make(chan error, 1)}
	go func() { e.done <- st.Run(runCtx) }()
	if o.DemoData {
		if err := st.LoadDemoDataOnce(startCtx); err != nil {
			return nil, errors.Join(fmt.Errorf("demo data: %w", err), e.Stop())
		}
	}
	return e, nil
}

// Stop stops every service and the embedded servers, then deletes the data
// folder. It returns the error the stack stopped with.
func (e *Ephemeral) Stop() error {
	e.cancel()
	err := <-e.done
	return errors.Join(err, os.RemoveAll(e.dir))
}
