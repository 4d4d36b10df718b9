package mongodb

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.uber.org/zap"
)

const (
	// ServerSelectionTimeout bounds how long one operation waits for a
	// reachable server, so requests fail fast (gRPC Unavailable) while the
	// store is down instead of hanging for the driver's 30 s default.
	ServerSelectionTimeout = 5 * time.Second

	// defaultStartupWait applies when Connect's ctx has no deadline.
	defaultStartupWait = 30 * time.Second
)

// Connect opens a client to uri and returns it with the named database.
//
// It pings until the server answers, backing off between attempts, up to
// ctx's deadline (30 s if ctx has none): services often start alongside the
// store and should not crash-loop while it comes up. On failure the client is
// disconnected and the last ping error is returned.
func Connect(ctx context.Context, uri, database string, log *zap.Logger) (*mongo.Client, *mongo.Database, error) {
	if database == "" {
		return nil, nil, fmt.Errorf("mongodb: connect: database name is empty")
	}
	if log == nil {
		log = zap.NewNop()
	}

	client, err := mongo.Connect(options.Client().
		ApplyURI(uri).
		SetServerSelectionTimeout(ServerSelectionTimeout).
		SetConnectTimeout(ServerSelectionTimeout))
	if err != nil {
		// Only a malformed URI or options fail here; no I/O has happened yet.
		return nil, nil, fmt.Errorf("mongodb: connect: %w", err)
	}

	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStartupWait)
		defer cancel()
	}

	if err := pingUntilReady(ctx, client, log); err != nil {
		// Disconnect with a fresh context: ctx is already done here.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = client.Disconnect(dctx)
		return nil, nil, fmt.Errorf("mongodb: connect to database %q: %w", database, err)
	}
	return client, client.Database(database), nil
}

func pingUntilReady(ctx context.Context, client *mongo.Client, log *zap.Logger) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := client.Ping(ctx, readpref.Primary())
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("store not reachable after %d attempts: %w", attempt, err)
		}
		log.Warn("store not reachable yet, retrying",
			zap.Int("attempt", attempt), zap.Duration("backoff", backoff), zap.Error(err))
		select {
		case <-ctx.Done():
			return fmt.Errorf("store not reachable after %d attempts: %w", attempt, err)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}
