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
	// Updater writes the relay's conditional updates; it must take Locks.
	// Default: one made on the first round, asking the store which engine
	// it is (mongodb.IsFerretDB).
	Updater *mongodb.Updater
	// PollInterval is how often every collection is scanned for pending
	// events (default 1s); a scan also runs at start and on Kick. Writers
	// that name their documents (Notify) need no scan: a service whose
	// writers all do can set a long interval, the scan then being only the
	// safety net for documents written before a crash.
	PollInterval time.Duration
	// ScanGap is the least time between the end of one scan and the start
	// of the next, however often writers Kick (default 1s, or PollInterval
	// if shorter); it grows to ten times the last scan's duration, so that
	// scanning takes at most about a tenth of the relay's time: on the
	// embedded store a scan reads every document, and a busy writer that
	// kicks after each write would otherwise keep the relay (and a core)
	// scanning. A scan that found a full batch is followed at once.
	ScanGap time.Duration
	// BatchSize bounds documents read per round and collection (default 256).
	BatchSize int
	// QueueLimit bounds the documents waiting to be read after Notify
	// (default 10 000); beyond it they are dropped and a scan finds them.
	QueueLimit int
	// PublishTimeout bounds waiting for JetStream's acks (default 5s).
	PublishTimeout time.Duration
	Logger         *zap.Logger
}

// Relay moves events from outboxes to JetStream.
type Relay struct {
	js    jetstream.JetStream
	opts  RelayOptions
	log   *zap.Logger
	wake  chan struct{}
	queue *idQueue
	known map[string]bool // names of Collections

	mu          sync.Mutex
	provisioned bool
	updater     *mongodb.Updater

	// Touched by Run's goroutine only (ScanGap).
	lastScan time.Time
	lastTook time.Duration
	lastFull bool
}

// NewRelay makes a relay; call Run to start it and Indexes to create the
// index it queries by.
func NewRelay(js jetstream.JetStream, opts RelayOptions) *Relay {
	if opts.Locks == nil {
		// A relay with private locks would still race the service's
		// writers on the embedded store: a wiring mistake, caught early.
		panic("outbox: RelayOptions.Locks is required (pass the service's bootstrap.Runtime.Locks)")
	}
	if opts.Updater != nil && opts.Updater.Locks() != opts.Locks {
		panic("outbox: RelayOptions.Updater must take RelayOptions.Locks")
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.ScanGap <= 0 {
		opts.ScanGap = min(time.Second, opts.PollInterval)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 256
	}
	if opts.QueueLimit <= 0 {
		opts.QueueLimit = 10_000
	}
	if opts.PublishTimeout <= 0 {
		opts.PublishTimeout = 5 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	known := map[string]bool{}
	for _, c := range opts.Collections {
		known[c.Name()] = true
	}
	return &Relay{
		js: js, opts: opts, log: log.Named("outbox"), wake: make(chan struct{}, 1),
		queue: newIDQueue(opts.QueueLimit), known: known, updater: opts.Updater,
	}
}

// Indexes returns the index every outbox collection needs.
func Indexes(collections ...string) []mongodb.Index {
	idx := make([]mongodb.Index, 0, len(collections))
	for _, c := range collections {
		idx = append(idx, mongodb.Index{Collection: c, Name: "outbox_pending", Keys: bson.D{{Key: FieldPending, Value: 1}}})
	}
	return idx
}

// Kick asks the relay to scan every collection for events now.
func (r *Relay) Kick() {
	r.queue.wantScan()
	r.signal()
}

// Notify tells the relay that documents ids of the named collection got
// events: it reads exactly those (by _id) without scanning. Call it after
// the write. A collection the relay does not publish from is ignored.
func (r *Relay) Notify(collection string, ids ...string) {
	if len(ids) == 0 || !r.known[collection] {
		return
	}
	r.queue.add(collection, ids)
	r.signal()
}

func (r *Relay) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run publishes pending events until ctx ends. While NATS or the store is
// unreachable it backs off and keeps the events where they are.
func (r *Relay) Run(ctx context.Context) {
	backoff := 100 * time.Millisecond
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	defer retry.Stop()
	scan := time.NewTicker(r.opts.PollInterval)
	defer scan.Stop()
	gap := time.NewTimer(time.Hour)
	gap.Stop()
	defer gap.Stop()
	r.queue.wantScan() // at start: whatever a crash left behind
	for {
		more, wait, err := r.round(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			r.log.Warn("outbox round failed; events stay pending", zap.Error(err), zap.Duration("retry_in", backoff))
			resetTimer(retry, backoff)
			backoff = min(backoff*2, 5*time.Second)
			// Back off even if writers keep notifying: NATS or the store is
			// likely down, and their documents are queued.
			select {
			case <-ctx.Done():
				return
			case <-retry.C:
			}
			continue
		case more:
			backoff = 100 * time.Millisecond
			continue
		default:
			backoff = 100 * time.Millisecond
		}
		if wait > 0 { // a scan is due once the gap has passed
			resetTimer(gap, wait)
		}
		select {
		case <-ctx.Done():
			return
		case <-scan.C:
			r.queue.wantScan()
		case <-gap.C:
		case <-r.wake:
		}
	}
}

// scanCostFactor: the gap after a scan is at least this many times its
// duration (ScanGap).
const scanCostFactor = 10

func resetTimer(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	t.Reset(d)
}

// round publishes what documents named by Notify hold, then, if a scan is
// due and ScanGap allows, one batch per collection found by scanning. It
// reports whether more work is waiting, and how long until a due scan may
// run. What it could not do stays queued (or the scan due).
func (r *Relay) round(ctx context.Context) (more bool, wait time.Duration, err error) {
	for _, coll := range r.opts.Collections {
		ids := r.queue.take(coll.Name(), r.opts.BatchSize)
		if len(ids) == 0 {
			continue
		}
		if err := r.drainIDs(ctx, coll, ids); err != nil {
			r.queue.add(coll.Name(), ids)
			return false, 0, fmt.Errorf("%s: %w", coll.Name(), err)
		}
	}
	if r.queue.scanDue() {
		gap := max(r.opts.ScanGap, scanCostFactor*r.lastTook)
		if left := gap - time.Since(r.lastScan); left > 0 && !r.lastFull {
			wait = left
		} else {
			r.queue.takeScan()
			start := time.Now()
			scanMore, err := r.Once(ctx)
			r.lastScan, r.lastTook, r.lastFull = time.Now(), time.Since(start), scanMore
			if err != nil || scanMore {
				r.queue.wantScan()
			}
			if err != nil {
				return false, 0, err
			}
			more = scanMore
		}
	}
	return more || r.queue.len() > 0, wait, nil
}

// Once scans each collection and publishes one batch from each. It reports
// whether a batch was full (more work is likely waiting).
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

// drain scans coll for pending documents (the embedded store reads every
// document to answer: the safety net, not the way).
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
	return len(docs), r.publishAndMark(ctx, coll, docs)
}

// drainIDs publishes the pending events of the documents ids, read by _id.
func (r *Relay) drainIDs(ctx context.Context, coll *mongo.Collection, ids []string) error {
	u, err := r.updaterFor(ctx, coll)
	if err != nil {
		return err
	}
	raws, err := u.FindEach(ctx, coll, ids, mongodb.Eq(FieldPending, true), FieldEvents, FieldSeq)
	if err != nil {
		return fmt.Errorf("read pending events: %w", err)
	}
	docs := make([]pendingDoc, len(raws))
	for i, raw := range raws {
		if err := bson.Unmarshal(raw, &docs[i]); err != nil {
			return fmt.Errorf("decode pending events: %w", err)
		}
	}
	return r.publishAndMark(ctx, coll, docs)
}

func (r *Relay) publishAndMark(ctx context.Context, coll *mongo.Collection, docs []pendingDoc) error {
	if len(docs) == 0 {
		return nil
	}
	if err := r.ensureStream(ctx); err != nil {
		return err
	}
	if err := r.publish(ctx, docs); err != nil {
		return err
	}
	return r.markPublished(ctx, coll, docs)
}

// updaterFor returns the configured updater, or makes one asking the store
// once which engine it is.
func (r *Relay) updaterFor(ctx context.Context, coll *mongo.Collection) (*mongodb.Updater, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.updater == nil {
		ferret, err := mongodb.IsFerretDB(ctx, coll.Database())
		if err != nil {
			return nil, err
		}
		r.updater = mongodb.NewUpdater(r.opts.Locks, ferret)
	}
	return r.updater, nil
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

// markPublished removes the published events: the whole outbox when the
// document gained no events meanwhile (its seq is unchanged), otherwise
// exactly the events published, the document staying pending for the next
// round.
func (r *Relay) markPublished(ctx context.Context, coll *mongo.Collection, docs []pendingDoc) error {
	u, err := r.updaterFor(ctx, coll)
	if err != nil {
		return err
	}
	if u.FerretDB() {
		// Read by _id and written by _id under the locks (mongodb.Updater):
		// a filter on _id and seq would scan the collection per document.
		changes := make([]mongodb.Change, len(docs))
		for i, d := range docs {
			changes[i] = mongodb.Change{ID: d.ID, If: mongodb.Eq(FieldSeq, d.Seq), Update: clearOutbox, Else: pullEvents(d)}
		}
		if _, err := u.UpdateEach(ctx, coll, changes); err != nil {
			return fmt.Errorf("mark events published: %w", err)
		}
		return nil
	}
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
			SetUpdate(clearOutbox))
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
		_, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: FieldSeq, Value: bson.D{{Key: "$ne", Value: d.Seq}}}}, pullEvents(d))
		if err != nil {
			return fmt.Errorf("pull published events: %w", err)
		}
	}
	return nil
}

var clearOutbox = bson.D{
	{Key: "$unset", Value: bson.D{{Key: FieldEvents, Value: ""}}},
	{Key: "$set", Value: bson.D{{Key: FieldPending, Value: false}}},
}

// pullEvents removes the events published, as read: $pullAll matches whole
// values (FerretDB v1's $pull takes no query condition), and an event
// re-encoded from what was read encodes the same.
func pullEvents(d pendingDoc) bson.D {
	return bson.D{{Key: "$pullAll", Value: bson.D{{Key: FieldEvents, Value: d.Events}}}}
}
