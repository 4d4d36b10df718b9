package preferences

import (
	"bytes"
	"errors"
	"regexp"
	"testing"

	"github.com/cc4dr/coalition/services/notification/internal/store"
)

func TestTokens(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte("o"), 32), bytes.Repeat([]byte("n"), 32)
	tokens, err := NewTokens(newKey, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	hash := store.AddressHash(" Ana@Example.org ")
	if hash != store.AddressHash("ana@example.org") {
		t.Fatal("the address hash does not normalise case and space")
	}
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{40,200}$`) // the proto's rule
	for _, cat := range []string{"", "petition_news", "assembly_reminders"} {
		tok := tokens.Make(hash, cat)
		if !urlSafe.MatchString(tok) {
			t.Errorf("token %q does not pass the proto's rule", tok)
		}
		c, err := tokens.Parse(tok)
		if err != nil || c.AddressHash != hash || c.Category != cat {
			t.Errorf("Parse(Make(%q)) = %+v, %v", cat, c, err)
		}
	}
	if tokens.Make(hash, "petition_news") == tokens.Make(hash, "coordinator_alerts") ||
		tokens.Make(hash, "petition_news") == tokens.Make(store.AddressHash("bo@example.org"), "petition_news") {
		t.Error("tokens of different categories or addresses are equal")
	}

	// A link signed with the retired key still works while it verifies.
	old, _ := NewTokens(oldKey)
	if c, err := tokens.Parse(old.Make(hash, "petition_news")); err != nil || c.Category != "petition_news" {
		t.Errorf("old key's token: %+v %v", c, err)
	}
	// Another service's key, or a changed category, is refused.
	other, _ := NewTokens(bytes.Repeat([]byte("x"), 32))
	if _, err := tokens.Parse(other.Make(hash, "petition_news")); !errors.Is(err, ErrUnknownToken) {
		t.Errorf("foreign token: %v", err)
	}
	tok := []byte(tokens.Make(hash, "petition_news"))
	tok[50] ^= 1 // flips a bit of the category or MAC
	if _, err := tokens.Parse(string(tok)); err == nil {
		t.Error("a tampered token was accepted")
	}
	for _, bad := range []string{"", "short", "!!!!" + tokens.Make(hash, ""), tokens.Make(hash, "")[:40]} {
		if _, err := tokens.Parse(bad); err == nil {
			t.Errorf("malformed token %q accepted", bad)
		}
	}
	if _, err := NewTokens([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestLinks(t *testing.T) {
	tokens, _ := NewTokens(bytes.Repeat([]byte("k"), 32))
	s := New(nil, tokens, "https://coalition.test/")
	l := s.LinksFor("ana@example.org", "transactional")
	if l.Unsubscribe != "" || !regexp.MustCompile(`^https://coalition\.test/preferences/[A-Za-z0-9_-]+$`).MatchString(l.Preferences) {
		t.Errorf("transactional links %+v", l)
	}
	l = s.LinksFor("ana@example.org", "petition_news")
	c, err := tokens.Parse(l.Unsubscribe[len("https://coalition.test/unsubscribe/"):])
	if err != nil || c.Category != "petition_news" {
		t.Errorf("optional links %+v: %v %+v", l, err, c)
	}
}
