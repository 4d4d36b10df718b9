package mongodb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const (
	// readParallelism bounds concurrent reads by _id in one call.
	readParallelism = 4
	// ferretBulkMax bounds the updates of one bulk write on the embedded
	// store. FerretDB v1.24 keeps every statement's query open until a
	// multi-statement update command ends (a defer in a loop), each holding
	// one of the database's 100 SQLite connections: a bulk of 100 updates
	// waits for a connection it holds itself, and the database stops for
	// everyone (found under load: the platform stalled for good).
	ferretBulkMax = 16
)

// Updater writes "update document X only if <condition>" so that both
// engines find the document by index.
//
// On MongoDB the condition travels in the filter beside _id: one atomic
// round trip. The embedded store (FerretDB v1 on SQLite) finds a document by
// index only when the filter is exactly {_id: X} — {_id: X, status:
// "pending"} scans the whole collection (measured ~0.35 s at 40 000
// documents). There the Updater reads the document by _id, checks the
// condition in Go and writes by _id, all under the document's lock in
// DocLocks, which every writer of the document in the process holds; the
// embedded store runs each service as one process, so this is as atomic as
// MongoDB's conditional update.
//
// Every method takes the documents' locks itself: callers must not hold
// them. Documents must have string ids.
type Updater struct {
	locks  *DocLocks
	ferret bool
}

// NewUpdater returns an updater taking locks; ferretDB (IsFerretDB, asked
// once at start) selects the embedded store's way.
func NewUpdater(locks *DocLocks, ferretDB bool) *Updater {
	if locks == nil {
		panic("mongodb: NewUpdater needs the service's DocLocks")
	}
	return &Updater{locks: locks, ferret: ferretDB}
}

// FerretDB reports whether the updater writes the embedded store's way.
func (u *Updater) FerretDB() bool { return u.ferret }

// Locks are the document locks the updater takes.
func (u *Updater) Locks() *DocLocks { return u.locks }

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

func withID(id string, c Cond) bson.D {
	return append(byID(id), c.filter...)
}

// UpdateIf applies update to document id of coll if the document exists and
// satisfies cond, and reports whether it did. When it did and before is not
// nil, the document as it was before the update is decoded into before.
func (u *Updater) UpdateIf(ctx context.Context, coll *mongo.Collection, id string, cond Cond, update bson.D, before any) (bool, error) {
	if cond.err != nil {
		return false, cond.err
	}
	unlock, err := u.locks.Lock(ctx, coll, id)
	if err != nil {
		return false, fmt.Errorf("mongodb: lock %s/%s: %w", coll.Name(), id, err)
	}
	defer unlock()
	if !u.ferret {
		if before == nil {
			res, err := coll.UpdateOne(ctx, withID(id, cond), update)
			if err != nil {
				return false, err
			}
			return res.MatchedCount == 1, nil
		}
		err := coll.FindOneAndUpdate(ctx, withID(id, cond), update, options.FindOneAndUpdate().SetReturnDocument(options.Before)).Decode(before)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return false, nil
		}
		return err == nil, err
	}
	doc, err := u.read(ctx, coll, id, cond, before == nil)
	if err != nil || doc == nil || !cond.Match(doc) {
		return false, err
	}
	if _, err := coll.UpdateOne(ctx, byID(id), update); err != nil {
		return false, err
	}
	if before != nil {
		if err := bson.Unmarshal(doc, before); err != nil {
			return true, fmt.Errorf("mongodb: decode %s/%s: %w", coll.Name(), id, err)
		}
	}
	return true, nil
}

// Change is one document's conditional update for UpdateEach: Update when
// the document satisfies If, otherwise Else (if any).
//
// On MongoDB, Else is a second conditional update (filter: not If), so
// Update must leave the fields If reads as they were (a document updated by
// Update then never also gets Else).
type Change struct {
	ID     string
	If     Cond
	Update bson.D
	Else   bson.D
}

// UpdateEach applies changes to documents of coll (distinct ids) under
// their locks and reports, per change, whether If held and Update was
// applied. A missing document gets neither update. On the embedded store it
// reads each document by _id and writes the updates in bulks of pure _id
// updates (at most ferretBulkMax each).
func (u *Updater) UpdateEach(ctx context.Context, coll *mongo.Collection, changes []Change) ([]bool, error) {
	applied := make([]bool, len(changes))
	if len(changes) == 0 {
		return applied, nil
	}
	ids := make([]string, len(changes))
	for i, c := range changes {
		if c.If.err != nil {
			return applied, c.If.err
		}
		ids[i] = c.ID
	}
	unlock, err := u.locks.LockAll(ctx, coll, ids)
	if err != nil {
		return applied, fmt.Errorf("mongodb: lock %d documents of %s: %w", len(ids), coll.Name(), err)
	}
	defer unlock()
	if !u.ferret {
		err := forEach(ctx, len(changes), func(i int) error {
			c := changes[i]
			res, err := coll.UpdateOne(ctx, withID(c.ID, c.If), c.Update)
			if err != nil {
				return err
			}
			applied[i] = res.MatchedCount == 1
			if !applied[i] && len(c.Else) > 0 {
				_, err = coll.UpdateOne(ctx, withID(c.ID, Not(c.If)), c.Else)
			}
			return err
		})
		return applied, err
	}
	docs := make([]bson.Raw, len(changes))
	err = forEach(ctx, len(changes), func(i int) error {
		var err error
		docs[i], err = u.read(ctx, coll, changes[i].ID, changes[i].If, true)
		return err
	})
	if err != nil {
		return applied, err
	}
	models := make([]mongo.WriteModel, 0, len(changes))
	for i, c := range changes {
		if docs[i] == nil {
			continue
		}
		update := c.Else
		if applied[i] = c.If.Match(docs[i]); applied[i] {
			update = c.Update
		}
		if len(update) > 0 {
			models = append(models, mongo.NewUpdateOneModel().SetFilter(byID(c.ID)).SetUpdate(update))
		}
	}
	for chunk := range slices.Chunk(models, ferretBulkMax) {
		if _, err := coll.BulkWrite(ctx, chunk, options.BulkWrite().SetOrdered(false)); err != nil {
			// Some may have been written: the caller retries, so each
			// update must be safe to apply again (they are, where used).
			return make([]bool, len(changes)), err
		}
	}
	return applied, nil
}

// UpdateAllIf applies update to those of the documents ids of coll that
// satisfy cond, under their locks, and reports how many it updated: one
// UpdateMany on MongoDB; on the embedded store, UpdateEach.
func (u *Updater) UpdateAllIf(ctx context.Context, coll *mongo.Collection, ids []string, cond Cond, update bson.D) (int, error) {
	if cond.err != nil {
		return 0, cond.err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if u.ferret {
		changes := make([]Change, len(ids))
		for i, id := range ids {
			changes[i] = Change{ID: id, If: cond, Update: update}
		}
		applied, err := u.UpdateEach(ctx, coll, changes)
		n := 0
		for _, a := range applied {
			if a {
				n++
			}
		}
		return n, err
	}
	unlock, err := u.locks.LockAll(ctx, coll, ids)
	if err != nil {
		return 0, fmt.Errorf("mongodb: lock %d documents of %s: %w", len(ids), coll.Name(), err)
	}
	defer unlock()
	res, err := coll.UpdateMany(ctx, append(bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, cond.filter...), update)
	if err != nil {
		return 0, err
	}
	return int(res.MatchedCount), nil
}

// FindEach returns those of the documents ids of coll that exist and satisfy
// cond, in the order of ids, with fields (all fields when none are named;
// the fields cond reads are always included).
func (u *Updater) FindEach(ctx context.Context, coll *mongo.Collection, ids []string, cond Cond, fields ...string) ([]bson.Raw, error) {
	if cond.err != nil {
		return nil, cond.err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	proj := projection(cond, fields)
	if !u.ferret {
		filter := append(bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, cond.filter...)
		opts := options.Find()
		if proj != nil {
			opts.SetProjection(proj)
		}
		cur, err := coll.Find(ctx, filter, opts)
		if err != nil {
			return nil, err
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			return nil, err
		}
		pos := make(map[string]int, len(ids))
		for i, id := range ids {
			pos[id] = i
		}
		out := make([]bson.Raw, len(ids))
		for _, d := range docs {
			if id, ok := d.Lookup("_id").StringValueOK(); ok {
				if i, ok := pos[id]; ok {
					out[i] = d
				}
			}
		}
		return compact(out), nil
	}
	out := make([]bson.Raw, len(ids))
	err := forEach(ctx, len(ids), func(i int) error {
		d, err := findByID(ctx, coll, ids[i], proj)
		if err == nil && d != nil && cond.Match(d) {
			out[i] = d
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return compact(out), nil
}

// read loads a document by _id alone, only the fields cond reads when
// narrow; nil when it does not exist.
func (u *Updater) read(ctx context.Context, coll *mongo.Collection, id string, cond Cond, narrow bool) (bson.Raw, error) {
	var proj bson.D
	if narrow {
		proj = include(append([]string{"_id"}, cond.fields...))
	}
	return findByID(ctx, coll, id, proj)
}

func findByID(ctx context.Context, coll *mongo.Collection, id string, proj bson.D) (bson.Raw, error) {
	opts := options.FindOne()
	if proj != nil {
		opts.SetProjection(proj)
	}
	raw, err := coll.FindOne(ctx, byID(id), opts).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mongodb: read %s/%s: %w", coll.Name(), id, err)
	}
	return raw, nil
}

// projection includes fields and the fields cond reads; nil (whole
// documents) when no fields are named.
func projection(cond Cond, fields []string) bson.D {
	if len(fields) == 0 {
		return nil
	}
	return include(append(append([]string{}, fields...), cond.fields...))
}

func include(fields []string) bson.D {
	proj := bson.D{}
	seen := map[string]bool{}
	for _, f := range fields {
		if !seen[f] {
			seen[f] = true
			proj = append(proj, bson.E{Key: f, Value: 1})
		}
	}
	return proj
}

func compact(docs []bson.Raw) []bson.Raw {
	out := docs[:0]
	for _, d := range docs {
		if d != nil {
			out = append(out, d)
		}
	}
	return out
}

// forEach runs fn for 0..n-1 with bounded parallelism and returns the first
// error.
func forEach(ctx context.Context, n int, fn func(i int) error) error {
	if n == 1 {
		return fn(0)
	}
	sem := make(chan struct{}, readParallelism)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			<-sem
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}
