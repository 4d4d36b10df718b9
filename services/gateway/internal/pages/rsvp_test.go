package pages

import (
	"testing"

	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// The answer clicked in the invitation email comes first (Enter submits
// it) and the others are drawn as secondary; an unknown choice changes
// nothing.
func TestRSVPButtonsPutTheClickedAnswerFirst(t *testing.T) {
	loc := i18n.Get("en")
	got := rsvpButtons(loc, "decline")
	if got[0].Value != "decline" || got[0].Secondary {
		t.Fatalf("first button = %+v, want decline as primary", got[0])
	}
	if len(got) != 3 || !got[1].Secondary || !got[2].Secondary || got[1].Value != "accept" || got[2].Value != "tentative" {
		t.Fatalf("buttons = %+v", got)
	}
	for _, choice := range []string{"", "maybe", "<script>"} {
		plain := rsvpButtons(loc, choice)
		if plain[0].Value != "accept" || plain[0].Secondary || plain[1].Secondary || plain[2].Secondary {
			t.Fatalf("choice %q: buttons = %+v", choice, plain)
		}
	}
}
