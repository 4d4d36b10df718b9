package paging

import (
	"testing"
	"time"
)

func TestRoundTrips(t *testing.T) {
	key, id, err := Parse(Token("a|b name", "0192f0c4-7d3a"))
	if err != nil || key != "a|b name" || id != "0192f0c4-7d3a" {
		t.Fatalf("%q %q %v", key, id, err)
	}
	now := time.Now()
	tt, id, err := ParseTime(TimeToken(now, "x"))
	if err != nil || !tt.Equal(now) || id != "x" {
		t.Fatalf("%v %q %v", tt, id, err)
	}
}

func TestRejectsForeignTokens(t *testing.T) {
	for _, s := range []string{"!!", Token("k", "")[:2], "bm9waXBl", Token("not a time", "x")} {
		if _, _, err := ParseTime(s); err != ErrBadToken {
			t.Errorf("%q: %v", s, err)
		}
	}
}
