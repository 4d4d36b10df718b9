package outbox

import "sync"

// idQueue holds the documents named by Notify until the relay reads them:
// per collection, de-duplicated, in arrival order, bounded. What does not
// fit is dropped and a scan requested instead, so nothing is lost.
type idQueue struct {
	mu    sync.Mutex
	limit int
	n     int
	ids   map[string][]string        // collection → ids in order
	set   map[string]map[string]bool // collection → ids queued
	scan  bool
}

func newIDQueue(limit int) *idQueue {
	return &idQueue{limit: limit, ids: map[string][]string{}, set: map[string]map[string]bool{}}
}

func (q *idQueue) add(coll string, ids []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	set := q.set[coll]
	if set == nil {
		set = map[string]bool{}
		q.set[coll] = set
	}
	for _, id := range ids {
		if set[id] {
			continue
		}
		if q.n >= q.limit {
			q.scan = true
			return
		}
		set[id] = true
		q.ids[coll] = append(q.ids[coll], id)
		q.n++
	}
}

// take removes and returns up to max ids of coll, oldest first.
func (q *idQueue) take(coll string, max int) []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	list := q.ids[coll]
	k := min(max, len(list))
	if k == 0 {
		return nil
	}
	out := append([]string(nil), list[:k]...)
	q.ids[coll] = list[k:]
	if len(q.ids[coll]) == 0 {
		delete(q.ids, coll) // drop the backing array once drained
	}
	for _, id := range out {
		delete(q.set[coll], id)
	}
	q.n -= k
	return out
}

func (q *idQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

func (q *idQueue) wantScan() {
	q.mu.Lock()
	q.scan = true
	q.mu.Unlock()
}

// scanDue reports whether a scan is due.
func (q *idQueue) scanDue() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.scan
}

// takeScan reports whether a scan is due and clears the request.
func (q *idQueue) takeScan() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	due := q.scan
	q.scan = false
	return due
}
