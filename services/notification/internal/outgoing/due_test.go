package outgoing

import (
	"slices"
	"testing"
	"time"
)

// TestDueSet: ids come out once, earliest first, only when due; an id
// added again keeps its earlier time.
func TestDueSet(t *testing.T) {
	t.Parallel()
	s := newDueSet()
	now := time.Now()
	s.add(now.Add(time.Minute), "later")
	s.add(now.Add(-time.Second), "b")
	s.add(now.Add(-2*time.Second), "a")
	s.add(now.Add(time.Hour), "a") // keeps -2s
	s.add(now.Add(-3*time.Second), "later")
	if got := s.take(now, 10); !slices.Equal(got, []string{"later", "a", "b"}) {
		t.Errorf("take = %v, want [later a b]", got)
	}
	if got := s.take(now, 10); len(got) != 0 || s.len() != 0 {
		t.Errorf("second take = %v (len %d), want nothing", got, s.len())
	}
	if _, ok := s.next(); ok {
		t.Error("next reports a due delivery in an empty set")
	}
	s.add(now.Add(time.Minute), "x", "y")
	if at, ok := s.next(); !ok || !at.Equal(now.Add(time.Minute)) {
		t.Errorf("next = %v %v", at, ok)
	}
	if got := s.take(now, 10); len(got) != 0 {
		t.Errorf("took %v before they were due", got)
	}
	if got := s.take(now.Add(time.Minute), 1); len(got) != 1 {
		t.Errorf("take(1) = %v", got)
	}
}
