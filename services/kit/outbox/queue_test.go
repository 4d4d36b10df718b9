package outbox

import (
	"fmt"
	"testing"
)

func TestIDQueueDeduplicatesBoundsAndKeepsOrder(t *testing.T) {
	q := newIDQueue(4)
	q.add("a", []string{"1", "2", "1"})
	q.add("b", []string{"x"})
	if q.len() != 3 || q.takeScan() {
		t.Fatalf("len %d, want 3 and no scan due", q.len())
	}
	q.add("a", []string{"3", "4", "5"}) // 3 fits; 4 and 5 do not: a scan finds them
	if q.len() != 4 || !q.takeScan() || q.takeScan() {
		t.Fatalf("len %d; want 4 and one scan due", q.len())
	}
	if got := fmt.Sprint(q.take("a", 2)); got != "[1 2]" {
		t.Fatalf("take = %s", got)
	}
	q.add("a", []string{"1"}) // taken, so queued again
	if got := fmt.Sprint(q.take("a", 10)); got != "[3 1]" {
		t.Fatalf("take = %s", got)
	}
	if got := fmt.Sprint(q.take("b", 10), q.take("c", 10)); got != "[x] []" || q.len() != 0 {
		t.Fatalf("take = %s, len %d", got, q.len())
	}
}
