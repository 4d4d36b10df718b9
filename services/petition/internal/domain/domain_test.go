package domain

import (
	"strings"
	"testing"
	"time"
)

func TestNormalizeEmail(t *testing.T) {
	cases := map[string]string{
		"  Ana@Example.ORG ":      "ana@example.org",
		"ana@example.org":         "ana@example.org",
		"ÉLODIE@exemple.fr":       "élodie@exemple.fr",
		"E\u0301lodie@exemple.fr": "élodie@exemple.fr", // combining accent → composed
		"\tMAX@EXAMPLE.DE\n":      "max@example.de",
		"ＡＢＣ@example.com":         "abc@example.com", // full-width letters (NFKC)
	}
	for in, want := range cases {
		if got := NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewTokenIsUnguessableAndHashed(t *testing.T) {
	seen := map[string]bool{}
	id := "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	for range 1000 {
		tok, hash, err := NewToken(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 36+43 || seen[tok] || tok[:36] != id {
			t.Fatalf("token %q: want the id then 43 unique base64url chars", tok)
		}
		seen[tok] = true
		if hash != HashToken(tok) || hash == tok {
			t.Fatal("hash must be derived from, and differ from, the token")
		}
		if got, ok := TokenID(tok); !ok || got != id {
			t.Fatalf("TokenID(%q) = %q, %v", tok, got, ok)
		}
	}
	for _, bad := range []string{"", "x", "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5bAAAA", strings.Repeat("A", 43), strings.Repeat("z", 79)} {
		if _, ok := TokenID(bad); ok {
			t.Errorf("TokenID(%q) found an id", bad)
		}
	}
	if _, _, err := NewToken("not-a-uuid"); err == nil {
		t.Error("a token for a non-UUID id")
	}
}

func TestSignatureConfirmable(t *testing.T) {
	now := time.Now()
	s := Signature{Status: SignaturePending, TokenExpiresAt: now.Add(time.Hour)}
	if err := s.Confirmable(now); err != nil {
		t.Fatalf("fresh link: %v", err)
	}
	if err := s.Confirmable(now.Add(2 * time.Hour)); err != ErrTokenExpired {
		t.Fatalf("expired link: got %v", err)
	}
	s.Status = SignatureConfirmed
	if err := s.Confirmable(now.Add(2 * time.Hour)); err != nil {
		t.Fatalf("confirmed signature is confirmable again (idempotent): %v", err)
	}
}

func TestPetitionAcceptsSignatures(t *testing.T) {
	now := time.Now()
	p := Petition{Status: PetitionOpen}
	if !p.AcceptsSignatures(now) {
		t.Fatal("open petition without end must accept")
	}
	p.ClosesAt = now.Add(-time.Minute)
	if p.AcceptsSignatures(now) {
		t.Fatal("past closing date must refuse")
	}
	p = Petition{Status: PetitionSucceeded}
	if p.AcceptsSignatures(now) {
		t.Fatal("succeeded petition must refuse")
	}
}

func TestPetitionTitleFallback(t *testing.T) {
	p := Petition{Texts: []Text{{Language: "ca", Title: "Uneix-te"}, {Language: "en", Title: "Join"}}}
	if got := p.Title("ca"); got != "Uneix-te" {
		t.Fatal(got)
	}
	if got := p.Title("fr"); got != "Join" {
		t.Fatal(got)
	}
}
