package testkit

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/cc4dr/coalition/services/kit/embedded"
)

// current is set by Main for the duration of m.Run. It is package state
// because Get(t) must find the servers from any test without plumbing.
var (
	currentMu sync.Mutex
	current   *Env
)

// Env is the package's shared store and NATS server.
type Env struct {
	once     sync.Once
	startErr error

	dir    string
	store  *embedded.Store
	nats   *embedded.NATS
	client *mongo.Client // shared by every Database(t)

	natsMu sync.Mutex // serialises StopNATS/StartNATS from parallel tests
}

// Main runs the package's tests with a shared Env and tears it down after.
// Use it as: func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }.
func Main(m *testing.M) int {
	e := &Env{}
	currentMu.Lock()
	current = e
	currentMu.Unlock()

	code := m.Run()

	currentMu.Lock()
	current = nil
	currentMu.Unlock()
	e.close()
	return code
}

// Get returns the shared Env, starting the servers on first use. It fails
// the test if TestMain does not call Main, and skips (fails under CI=true)
// if the servers cannot start.
func Get(t testing.TB) *Env {
	t.Helper()
	currentMu.Lock()
	e := current
	currentMu.Unlock()
	if e == nil {
		t.Fatal("testkit: no environment; add `func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }` to the package")
	}
	e.once.Do(func() { e.startErr = e.start() })
	if e.startErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("testkit: start embedded servers: %v", e.startErr)
		}
		t.Skipf("testkit: embedded servers unavailable (CI=true makes this fatal): %v", e.startErr)
	}
	return e
}

func (e *Env) start() error {
	dir, err := os.MkdirTemp("", "testkit-*")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	e.dir = dir

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if e.store, err = embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir + "/store"}); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	// SyncAlways as in single-node production: tests restart NATS and must
	// see exactly what an acked publish promised.
	if e.nats, err = embedded.StartNATS(embedded.NATSOptions{StoreDir: dir + "/nats", SyncAlways: true}); err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	if e.client, err = mongo.Connect(options.Client().ApplyURI(e.store.URI())); err != nil {
		return fmt.Errorf("mongo client: %w", err)
	}
	return nil
}

func (e *Env) close() {
	if e.client != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = e.client.Disconnect(ctx)
		cancel()
	}
	if e.nats != nil {
		e.nats.Close()
	}
	if e.store != nil {
		e.store.Close()
	}
	if e.dir != "" {
		_ = os.RemoveAll(e.dir)
	}
}

// MongoURI is the shared store's connection string.
func (e *Env) MongoURI() string { return e.store.URI() }

// NATSURL is the shared NATS server's URL; it survives StopNATS/StartNATS.
func (e *Env) NATSURL() string { return e.nats.ClientURL() }

// Logger returns a logger writing through t.Log, so output shows only for
// failing (or -v) tests and is attributed to the right test.
func (e *Env) Logger(t testing.TB) *zap.Logger {
	return zaptest.NewLogger(t)
}
