package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// SignatureBatcher is group commit for new signatures: concurrent Insert
// calls arriving within MaxWait of each other share one unordered
// InsertMany (the embedded store takes ~1 000 single inserts/s but ~20 000
// documents/s in bulk). Every document still carries its own outbox event,
// so "one write per signature with its event" holds document by document;
// each caller gets its own document's result back (nil, ErrDuplicate, or an
// error), exactly what InsertSignature would have answered.
//
// Run drives the batches; while it is not running (before the service
// starts, after it stops, in store-level tests), Insert writes directly.
type SignatureBatcher struct {
	st       *Store
	maxBatch int
	maxWait  time.Duration

	jobs chan *insertJob

	mu      sync.RWMutex
	running bool
}

type insertJob struct {
	doc signatureDoc
	res chan error // buffered (1)
}

// BatchOptions tune a SignatureBatcher.
type BatchOptions struct {
	// MaxBatch bounds the documents of one InsertMany (default 500).
	MaxBatch int
	// MaxWait is how long the first signature of a batch waits for others
	// (default 2ms).
	MaxWait time.Duration
}

// NewSignatureBatcher returns a batcher writing into st.
func NewSignatureBatcher(st *Store, opts BatchOptions) *SignatureBatcher {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 500
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 2 * time.Millisecond
	}
	return &SignatureBatcher{st: st, maxBatch: opts.MaxBatch, maxWait: opts.MaxWait, jobs: make(chan *insertJob, opts.MaxBatch)}
}

// Insert stores a new pending signature with its events, or returns
// ErrDuplicate when the same person (email key) already signed; see
// Store.InsertSignature.
func (b *SignatureBatcher) Insert(ctx context.Context, sig domain.Signature, events ...broker.Event) error {
	job := &insertJob{doc: toSignatureDoc(sig, events...), res: make(chan error, 1)}
	// Enqueue without blocking under the read lock: Run takes the write lock
	// to stop, so a job is either queued before the final drain or written
	// directly. A full queue also writes directly (the store is the limit
	// then, not the batcher).
	b.mu.RLock()
	queued := false
	if b.running {
		select {
		case b.jobs <- job:
			queued = true
		default:
		}
	}
	b.mu.RUnlock()
	if !queued {
		return b.st.InsertSignature(ctx, sig, events...)
	}
	// Once queued, the job is written whatever happens to ctx (Run drains
	// the queue before it returns), so wait for the answer: a caller that
	// went away must not leave an unknown outcome behind for the next one.
	return <-job.res
}

// Run writes batches until ctx ends, then writes what is still queued.
func (b *SignatureBatcher) Run(ctx context.Context) error {
	b.mu.Lock()
	if b.running {
		b.mu.Unlock()
		return errors.New("signature batcher already running")
	}
	b.running = true
	b.mu.Unlock()

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	batch := make([]*insertJob, 0, b.maxBatch)
	for {
		select {
		case <-ctx.Done():
			b.mu.Lock()
			b.running = false // new callers write directly from now on
			b.mu.Unlock()
			// Whatever was queued before is written, under a short deadline
			// of its own (the service's context is gone).
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			for {
				batch = batch[:0]
				for len(batch) < b.maxBatch {
					select {
					case j := <-b.jobs:
						batch = append(batch, j)
						continue
					default:
					}
					break
				}
				if len(batch) == 0 {
					return nil
				}
				b.write(wctx, batch)
			}
		case first := <-b.jobs:
			batch = append(batch[:0], first)
			timer.Reset(b.maxWait)
		collect:
			for len(batch) < b.maxBatch {
				select {
				case j := <-b.jobs:
					batch = append(batch, j)
				case <-timer.C:
					break collect
				}
			}
			timer.Stop()
			b.write(ctx, batch)
		}
	}
}

// write inserts one batch and answers every caller.
func (b *SignatureBatcher) write(ctx context.Context, batch []*insertJob) {
	results := b.st.insertSignatureDocs(ctx, docsOf(batch))
	for i, j := range batch {
		j.res <- results[i]
	}
}

func docsOf(batch []*insertJob) []signatureDoc {
	out := make([]signatureDoc, len(batch))
	for i, j := range batch {
		out[i] = j.doc
	}
	return out
}

// InsertSignatures stores many new pending signatures, each with its own
// events, in one unordered InsertMany, and returns one result per document:
// nil, ErrDuplicate, or the error that document (or the whole write) met.
func (s *Store) InsertSignatures(ctx context.Context, sigs []domain.Signature, events [][]broker.Event) []error {
	docs := make([]signatureDoc, len(sigs))
	for i, sig := range sigs {
		var evs []broker.Event
		if i < len(events) {
			evs = events[i]
		}
		docs[i] = toSignatureDoc(sig, evs...)
	}
	return s.insertSignatureDocs(ctx, docs)
}

func (s *Store) insertSignatureDocs(ctx context.Context, docs []signatureDoc) []error {
	results := make([]error, len(docs))
	if len(docs) == 0 {
		return results
	}
	if len(docs) == 1 { // nothing to share: the plain insert is cheaper
		_, err := s.signatures.InsertOne(ctx, docs[0])
		results[0] = insertResult(err)
		return results
	}
	models := make([]any, len(docs))
	for i := range docs {
		models[i] = docs[i]
	}
	_, err := s.signatures.InsertMany(ctx, models, options.InsertMany().SetOrdered(false))
	if err == nil {
		return results
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		// The whole write failed (store unreachable, timeout): nobody's
		// document is known to be stored.
		for i := range results {
			results[i] = fmt.Errorf("insert signatures: %w", err)
		}
		return results
	}
	dups, _ := mongodb.DuplicateKeyIndexes(err)
	for _, i := range dups {
		if i >= 0 && i < len(results) {
			results[i] = ErrDuplicate
		}
	}
	for _, we := range bwe.WriteErrors {
		if we.Index >= 0 && we.Index < len(results) && results[we.Index] == nil {
			results[we.Index] = fmt.Errorf("insert signature: %w", we)
		}
	}
	return results
}

func insertResult(err error) error {
	switch {
	case err == nil:
		return nil
	case mongodb.IsDuplicateKey(err):
		return ErrDuplicate
	default:
		return fmt.Errorf("insert signature: %w", err)
	}
}
