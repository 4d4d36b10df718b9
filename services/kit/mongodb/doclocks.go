package mongodb

import (
	"context"
	"slices"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// DocLocks serialises this process's writes to one document. A service
// owns one (bootstrap.Runtime.Locks) and every writer that updates existing
// documents — its stores and its outbox relay — takes the document's lock
// around the update.
//
// Why: the embedded store (FerretDB v1 on SQLite) applies an update as
// "find the matching documents, change them in memory, write them back"
// with no isolation between the find and the write. Two concurrent updates
// of one document both pass a conditional filter such as {status:
// "pending"}, and one $inc, $push or $unset overwrites the other (measured:
// 20 concurrent $inc of one field end at 1 to 6). MongoDB applies each
// single-document update atomically, so there the lock costs only a little
// waiting. It cannot help across processes: on the embedded store each
// service runs as one instance (the dev launcher does exactly that).
type DocLocks struct {
	mu sync.Mutex
	m  map[string]*docLock
}

type docLock struct {
	ch   chan struct{} // holds a token while locked
	refs int           // holders and waiters
}

// NewDocLocks returns an empty lock table.
func NewDocLocks() *DocLocks { return &DocLocks{m: make(map[string]*docLock)} }

func docKey(coll *mongo.Collection, id string) string {
	return coll.Database().Name() + "." + coll.Name() + "/" + id
}

// Lock waits for the lock of document id in coll (or for ctx to end) and
// returns its release.
func (l *DocLocks) Lock(ctx context.Context, coll *mongo.Collection, id string) (unlock func(), err error) {
	return l.lock(ctx, docKey(coll, id))
}

// LockAll locks several documents of coll, in a fixed order so that two
// callers locking overlapping sets cannot deadlock.
func (l *DocLocks) LockAll(ctx context.Context, coll *mongo.Collection, ids []string) (unlock func(), err error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = docKey(coll, id)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	unlocks := make([]func(), 0, len(keys))
	release := func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
	for _, k := range keys {
		u, err := l.lock(ctx, k)
		if err != nil {
			release()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return release, nil
}

func (l *DocLocks) lock(ctx context.Context, key string) (func(), error) {
	l.mu.Lock()
	k := l.m[key]
	if k == nil {
		k = &docLock{ch: make(chan struct{}, 1)}
		l.m[key] = k
	}
	k.refs++
	l.mu.Unlock()

	drop := func() {
		l.mu.Lock()
		if k.refs--; k.refs == 0 {
			delete(l.m, key)
		}
		l.mu.Unlock()
	}
	select {
	case k.ch <- struct{}{}:
		return func() { <-k.ch; drop() }, nil
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
}

// Held reports how many documents are locked or awaited (tests).
func (l *DocLocks) Held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}
