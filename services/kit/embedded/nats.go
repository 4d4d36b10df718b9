package embedded

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"go.uber.org/zap"
)

// NATSOptions configures [StartNATS].
type NATSOptions struct {
	// Host to listen on; default 127.0.0.1.
	Host string
	// Port to listen on; 0 picks a free port (kept across Restart).
	Port int
	// StoreDir holds JetStream's file storage; created if missing. If empty, a
	// temporary directory is used; Close (not Shutdown, which allows a later
	// Start) removes it.
	StoreDir string
	// SyncAlways fsyncs every JetStream write. Single-node deployments need it:
	// by default JetStream acks before fsync and a power loss loses acked
	// messages (see DESIGN "Known pitfalls").
	SyncAlways bool
	// Logger receives the server's warnings and errors (its notices go to
	// debug, so an info-level logger shows warn and above); nil: no logging.
	Logger *zap.Logger
}

// NATS is a running in-process NATS server with JetStream.
type NATS struct {
	mu      sync.Mutex
	opts    server.Options // resolved: fixed port, absolute store dir
	log     *zap.Logger
	srv     *server.Server // nil while stopped
	tempDir string
}

// StartNATS starts the server and returns once it accepts connections.
func StartNATS(opts NATSOptions) (*NATS, error) {
	n := &NATS{log: opts.Logger}
	host := opts.Host
	if host == "" {
		host = "127.0.0.1"
	}
	dir := opts.StoreDir
	if dir == "" {
		d, err := os.MkdirTemp("", "nats-js-*")
		if err != nil {
			return nil, fmt.Errorf("embedded nats: temp dir: %w", err)
		}
		dir, n.tempDir = d, d
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: store dir: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("embedded nats: store dir: %w", err)
	}
	port := opts.Port
	if port == 0 || port == server.RANDOM_PORT {
		// Bind the free port ourselves so Restart can come back on the same
		// address: clients reconnect to the URL they already have.
		if port, err = freePort(host); err != nil {
			n.removeTemp()
			return nil, fmt.Errorf("embedded nats: %w", err)
		}
	}
	n.opts = server.Options{
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   dir,
		SyncAlways: opts.SyncAlways,
		NoSigs:     true, // the embedding process owns signal handling
		NoLog:      opts.Logger == nil,
	}
	if err := n.Start(); err != nil {
		n.removeTemp()
		return nil, err
	}
	return n, nil
}

// Start starts the server again after Shutdown, on the same address and
// store dir, so JetStream recovers its streams from disk.
func (n *NATS) Start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.srv != nil {
		return errors.New("embedded nats: already running")
	}
	opts := n.opts // NewServer mutates its options; keep ours pristine
	srv, err := server.NewServer(&opts)
	if err != nil {
		return fmt.Errorf("embedded nats: %w", err)
	}
	if n.log != nil {
		srv.SetLogger(zapNATSLogger{n.log}, false, false)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return fmt.Errorf("embedded nats: not ready on %s:%d after 10s", n.opts.Host, n.opts.Port)
	}
	n.srv = srv
	return nil
}

// ClientURL returns the nats:// URL clients connect to; it stays the same
// across Restart.
func (n *NATS) ClientURL() string {
	return "nats://" + net.JoinHostPort(n.opts.Host, strconv.Itoa(n.opts.Port))
}

// StoreDir returns the JetStream storage directory.
func (n *NATS) StoreDir() string { return n.opts.StoreDir }

// Running reports whether the server is up.
func (n *NATS) Running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.srv != nil
}

// Shutdown stops the server and waits until it has. The store dir is kept so
// Start can resume. Safe to call while stopped.
func (n *NATS) Shutdown() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.srv == nil {
		return
	}
	n.srv.Shutdown()
	n.srv.WaitForShutdown()
	n.srv = nil
}

// Restart shuts the server down and starts it again on the same address and
// store dir — what a NATS outage looks like to clients.
func (n *NATS) Restart() error {
	n.Shutdown()
	return n.Start()
}

// Close shuts the server down for good and removes a temporary store dir.
func (n *NATS) Close() {
	n.Shutdown()
	n.removeTemp()
}

func (n *NATS) removeTemp() {
	if n.tempDir != "" {
		_ = os.RemoveAll(n.tempDir)
		n.tempDir = ""
	}
}

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// zapNATSLogger adapts zap to the server's logger. Notices are routine
// (startup banners, JetStream stats), so they go to debug.
type zapNATSLogger struct{ z *zap.Logger }

func (l zapNATSLogger) Noticef(format string, v ...any) { l.z.Debug(fmt.Sprintf(format, v...)) }
func (l zapNATSLogger) Warnf(format string, v ...any)   { l.z.Warn(fmt.Sprintf(format, v...)) }
func (l zapNATSLogger) Errorf(format string, v ...any)  { l.z.Error(fmt.Sprintf(format, v...)) }

// Fatalf must not exit the process as the server's own logger would: an
// embedded server's failure is the embedding program's to handle.
func (l zapNATSLogger) Fatalf(format string, v ...any) { l.z.Error(fmt.Sprintf(format, v...)) }
func (l zapNATSLogger) Debugf(format string, v ...any) { l.z.Debug(fmt.Sprintf(format, v...)) }
func (l zapNATSLogger) Tracef(format string, v ...any) { l.z.Debug(fmt.Sprintf(format, v...)) }
