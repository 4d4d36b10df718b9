package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ferretNewMu guards FerretDB's own global state during ferretdb.New; it is
// package state because that state is.
var ferretNewMu sync.Mutex

// StoreOptions configures [StartStore].
type StoreOptions struct {
	// Dir holds the SQLite files (one per database). Created if missing.
	// If empty, a temporary directory is used and removed by Close.
	Dir string
	// Addr is the TCP listen address; default "127.0.0.1:0" (a free port).
	Addr string
	// Logger receives FerretDB's logs. FerretDB is chatty: pass a bridge into
	// zap raised to warn (logging.Slog(logging.AtLeast(z, zap.WarnLevel))).
	// Default: discard.
	Logger *slog.Logger
}

// Store is a running in-process FerretDB.
type Store struct {
	uri     string
	cancel  context.CancelFunc
	done    chan error
	tempDir string        // removed on Close when we created it
	indexed chan struct{} // closed when the id indexer has stopped (idindex.go)
}

// StartStore starts FerretDB and returns once it answers a ping. ctx bounds
// start-up only; the store then runs until Close, so a launcher can shut
// services down before the store they write to.
func StartStore(ctx context.Context, opts StoreOptions) (*Store, error) {
	s := &Store{}
	dir := opts.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "ferretdb-*")
		if err != nil {
			return nil, fmt.Errorf("embedded store: temp dir: %w", err)
		}
		dir, s.tempDir = d, d
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded store: dir %q: %w", opts.Dir, err)
	}
	// FerretDB's SQLite backend refuses a directory that does not exist.
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("embedded store: create dir: %w", err)
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	// New already binds the listener, so MongoDBURI reports the real port even
	// for ":0"; it would block only if the listener had not been created.
	// New also writes FerretDB's package-level version info, so two stores
	// starting at once in one process race (the race detector says so):
	// starts are serialised.
	ferretNewMu.Lock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	ferretNewMu.Unlock()
	if err != nil {
		s.removeTemp()
		return nil, fmt.Errorf("embedded store: %w", err)
	}

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.done = make(chan error, 1)
	go func() { s.done <- f.Run(runCtx) }()
	s.indexed = make(chan struct{})
	go func() {
		defer close(s.indexed)
		(&idIndexer{dir: dir, log: logger, seen: map[string]fileState{}}).run(runCtx)
	}()
	s.uri = f.MongoDBURI()

	if err := waitForPing(ctx, s.uri); err != nil {
		s.Close()
		return nil, fmt.Errorf("embedded store at %s: %w", s.uri, err)
	}
	return s, nil
}

// URI returns the mongodb:// URI clients connect to.
func (s *Store) URI() string { return s.uri }

// Close stops the store and waits until its listener and SQLite files are
// closed. FerretDB gives open client connections a 3 s grace period, so
// disconnect clients first for a fast Close. Safe to call more than once.
func (s *Store) Close() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
	if s.indexed != nil {
		<-s.indexed
	}
	s.cancel = nil
	s.removeTemp()
}

func (s *Store) removeTemp() {
	if s.tempDir != "" {
		_ = os.RemoveAll(s.tempDir)
		s.tempDir = ""
	}
}

// waitForPing proves the store serves the wire protocol end to end.
func waitForPing(ctx context.Context, uri string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(time.Second))
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	defer func() { _ = client.Disconnect(context.WithoutCancel(ctx)) }()
	for {
		err = client.Ping(ctx, nil)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(fmt.Errorf("ping: %w", err), ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
