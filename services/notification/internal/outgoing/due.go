package outgoing

import (
	"container/heap"
	"sync"
	"time"
)

// maxKnownDue bounds the deliveries the pipeline remembers as due; beyond
// it they are forgotten and the safety-net scan finds them.
const maxKnownDue = 100_000

// dueSet is the deliveries this process knows will be due (recorded
// unclaimed, released, retry scheduled, resent), by when: the poller
// claims them by id, which the embedded store answers by index, instead
// of scanning the collection.
type dueSet struct {
	mu sync.Mutex
	at map[string]time.Time // the current due time of each id
	h  dueHeap              // may hold stale entries (at differs): skipped
}

func newDueSet() *dueSet { return &dueSet{at: map[string]time.Time{}} }

// add remembers ids as due at t; an id already known keeps the earlier
// time. It reports false when the set is full and some were dropped.
func (s *dueSet) add(t time.Time, ids ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := true
	for _, id := range ids {
		if old, ok := s.at[id]; ok && !old.After(t) {
			continue
		}
		if _, ok := s.at[id]; !ok && len(s.at) >= maxKnownDue {
			all = false
			continue
		}
		s.at[id] = t
		heap.Push(&s.h, dueEntry{id: id, at: t})
	}
	return all
}

// take removes and returns up to n ids due by now, earliest first.
func (s *dueSet) take(now time.Time, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for len(out) < n && len(s.h) > 0 && !s.h[0].at.After(now) {
		e := heap.Pop(&s.h).(dueEntry)
		if at, ok := s.at[e.id]; ok && at.Equal(e.at) {
			delete(s.at, e.id)
			out = append(out, e.id)
		}
	}
	return out
}

// next is when the earliest known delivery is due; ok is false when none
// is known.
func (s *dueSet) next() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.h) > 0 {
		e := s.h[0]
		if at, ok := s.at[e.id]; ok && at.Equal(e.at) {
			return e.at, true
		}
		heap.Pop(&s.h) // stale
	}
	return time.Time{}, false
}

func (s *dueSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}

type dueEntry struct {
	id string
	at time.Time
}

type dueHeap []dueEntry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
