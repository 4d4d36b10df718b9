package outbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// RelayOptions tune a Relay.
type RelayOptions struct {
	// Stream is provisioned before the first publish.
	Stream jetstream.StreamConfig
	// Collections whose documents carry outboxes.
	Collections []*mongo.Collection
	// Locks are the service's document locks, shared with its stores: the
	// relay's own update of a document must not interleave with theirs
	// (see mongodb.DocLocks). Required.
	Locks *mongodb.DocLocks
	// PollInterval is the fallback when nobody calls Kick (default 1s).
	PollInterval time.Duration
	// BatchSize bounds documents read per round (default 256).
	BatchSize int
	// PublishTimeout bounds waiting for JetStream's acks (default 5s).
	PublishTimeout time.Duration
	Logger         *zap.Logger
}

// Relay moves events from outboxes to JetStream.
type Relay struct {
	js   jetstream.JetStream
	opts RelayOptions
	log  *zap.Logger
	kick chan struct{}

	mu          sync.Mutex
	provisioned bool
}

// NewRelay makes a relay; call Run to start it and Indexes to create the
// index it queries by.
func NewRelay(js jetstream.JetStream, opts RelayOptions) *Relay {
	if opts.Locks == nil {
		// A relay with private locks would still race the service's
		// writers on the embedded store: a wiring mistake, caught early.
		panic("outbox: RelayOptions.Locks is required (pass the service's bootstrap.Runtime.Locks)")
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 256
	}
	if opts.PublishTimeout <= 0 {
		opts.PublishTimeout = 5 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	return &Relay{js: js, opts: opts, log: log.Named("outbox"), kick: make(chan struct{}, 1)}
}

// Indexes returns the index every outbox collection needs.
func Indexes(collections ...string) []mongodb.Index {
	idx := make([]mongodb.Index, 0, len(collections))
	for _, c := range collections {
		idx = append(idx, mongodb.Index{Collection: c, Name: "outbox_pending", Keys: bson.D{{Key: FieldPending, Value: 1}}})
	}
	return idx
}

// Kick asks the relay to look for events now (after a write that added some).
func (r *Relay) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run publishes pending events until ctx ends. While NATS or the store is
// unreachable it backs off and keeps the events where they are.
func (r *Relay) Run(ctx context.Context) {
	backoff := 100 * time.Millisecond
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-r.kick:
		}
		more, err := r.Once(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			r.log.Warn("outbox round failed; events stay pending", zap.Error(err), zap.Duration("retry_in", backoff))
			resetTimer(timer, backoff)
			backoff = min(backoff*2, 5*time.Second)
		case more:
			backoff = 100 * time.Millisecond
			resetTimer(timer, 0)
		default:
			backoff = 100 * time.Millisecond
			resetTimer(timer, r.opts.PollInterval)
		}
	}
}

func resetTimer(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	t.Reset(d)
}

// Once publishes one batch from each collection. It reports whether a batch
// was full (more work is likely waiting).
func (r *Relay) Once(ctx context.Context) (more bool, err error) {
	for _, coll := range r.opts.Collections {
		n, err := r.drain(ctx, coll)
		if err != nil {
			return false, fmt.Errorf("%s: %w", coll.Name(), err)
		}
		if n >= r.opts.BatchSize {
			more = true
		}
	}
	return more, nil
}

type pendingDoc struct {
	ID     string         `bson:"_id"` // documents with outboxes have string ids
	Events []broker.Event `bson:"outbox"`
	Seq    int64          `bson:"outbox_seq"`
}

func (r *Relay) drain(ctx context.Context, coll *mongo.Collection) (int, error) {
	cur, err := coll.Find(ctx, bson.D{{Key: FieldPending, Value: true}},
		options.Find().
			SetLimit(int64(r.opts.BatchSize)).
			SetProjection(bson.D{{Key: FieldEvents, Value: 1}, {Key: FieldSeq, Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("find pending events: %w", err)
	}
	var docs []pendingDoc
	if err := cur.All(ctx, &docs); err != nil {
		return 0, fmt.Errorf("read pending events: %w", err)
	}
	if len(docs) == 0 {
		return 0, nil
	}
	if err := r.ensureStream(ctx); err != nil {
		return 0, err
	}
	if err := r.publish(ctx, docs); err != nil {
		return 0, err
	}
	return len(docs), r.markPublished(ctx, coll, docs)
}

func (r *Relay) ensureStream(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.provisioned {
		return nil
	}
	pctx, cancel := context.WithTimeout(ctx, r.opts.PublishTimeout)
	defer cancel()
	if err := broker.EnsureStream(pctx, r.js, r.opts.Stream); err != nil {
		return err
	}
	r.provisioned = true
	return nil
}

// publish sends every event asynchronously and waits for all the acks: one
// round trip for the batch instead of one per event.
func (r *Relay) publish(ctx context.Context, docs []pendingDoc) error {
	pctx, cancel := context.WithTimeout(ctx, r.opts.PublishTimeout)
	defer cancel()
	var futures []jetstream.PubAckFuture
	for _, d := range docs {
		for _, ev := range d.Events {
			f, err := r.js.PublishMsgAsync(ev.Msg(), jetstream.WithExpectStream(r.opts.Stream.Name))
			if err != nil {
				return fmt.Errorf("publish %s: %w", ev.Subject, err)
			}
			futures = append(futures, f)
		}
	}
	var errs []error
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			errs = append(errs, fmt.Errorf("publish %s: %w", f.Msg().Subject, err))
		case <-pctx.Done():
			return fmt.Errorf("waiting for publish acks: %w", pctx.Err())
		}
	}
	return errors.Join(errs...)
}

// markPublished removes the published events. When the document gained new
// events meanwhile (its seq moved on), only the published ones are pulled and
// the document stays pending for the next round.
func (r *Relay) markPublished(ctx context.Context, coll *mongo.Collection, docs []pendingDoc) error {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	unlock, err := r.opts.Locks.LockAll(ctx, coll, ids)
	if err != nil {
		return fmt.Errorf("lock documents: %w", err)
	}
	defer unlock()
	models := make([]mongo.WriteModel, 0, len(docs))
	for _, d := range docs {
		models = append(models, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: d.ID}, {Key: FieldSeq, Value: d.Seq}}).
			SetUpdate(bson.D{
				{Key: "$unset", Value: bson.D{{Key: FieldEvents, Value: ""}}},
				{Key: "$set", Value: bson.D{{Key: FieldPending, Value: false}}},
			}))
	}
	res, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	if err != nil {
		return fmt.Errorf("mark events published: %w", err)
	}
	if res.MatchedCount == int64(len(docs)) {
		return nil
	}
	// Some documents changed while we published: pull exactly what we sent.
	for _, d := range docs {
		ids := make([]string, len(d.Events))
		for i, ev := range d.Events {
			ids[i] = ev.ID
		}
		_, err := coll.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: d.ID}, {Key: FieldSeq, Value: bson.D{{Key: "$ne", Value: d.Seq}}}},
			bson.D{{Key: "$pull", Value: bson.D{{Key: FieldEvents, Value: bson.D{{Key: "id", Value: bson.D{{Key: "$in", Value: ids}}}}}}}})
		if err != nil {
			return fmt.Errorf("pull published events: %w", err)
		}
	}
	return nil
}
