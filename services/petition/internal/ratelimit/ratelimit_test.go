package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterPerKey(t *testing.T) {
	l := New(3, time.Hour, 10)
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("action %d refused", i)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait < 19*time.Minute || wait > 21*time.Minute {
		t.Fatalf("4th action: ok=%v wait=%v, want refused for ~20m", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key is limited too")
	}
}

func TestLimiterIsBounded(t *testing.T) {
	l := New(1, time.Hour, 100)
	for i := range 1000 {
		l.Allow(fmt.Sprint(i))
	}
	if l.Len() > 100 {
		t.Fatalf("%d keys kept, want at most 100", l.Len())
	}
}

func TestDisabled(t *testing.T) {
	l := New(0, time.Hour, 10)
	for range 100 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("disabled limiter refused")
		}
	}
}
