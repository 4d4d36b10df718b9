package accounts_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
)

func TestHashAndVerify(t *testing.T) {
	h, err := accounts.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q: want argon2id with OWASP parameters (m=19456, t=2, p=1)", h)
	}
	if err := accounts.CheckHash(h); err != nil {
		t.Fatalf("CheckHash: %v", err)
	}
	if !accounts.Verify("correct horse battery staple", h) {
		t.Error("the right password does not verify")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", strings.Repeat("x", 2000)} {
		if accounts.Verify(wrong, h) {
			t.Errorf("wrong password %.20q verifies", wrong)
		}
	}
	h2, _ := accounts.Hash("correct horse battery staple")
	if h2 == h {
		t.Error("two hashes of one password are equal: no random salt")
	}
	if _, err := accounts.Hash(""); err == nil {
		t.Error("empty password hashed")
	}
}

func TestCheckHashRefusesCostlyOrBrokenHashes(t *testing.T) {
	for _, h := range []string{
		"",
		"plaintext",
		"$2a$10$abcdefghijklmnopqrstuv", // bcrypt
		"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5", // 4 GiB
		"$argon2id$v=19$m=19456,t=1000,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	} {
		if err := accounts.CheckHash(h); err == nil {
			t.Errorf("CheckHash(%.40q) accepted", h)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestParseChecksEveryEntry(t *testing.T) {
	h, _ := accounts.Hash("pw")
	for name, content := range map[string]string{
		"not json":        "{",
		"unknown field":   `{"accounts":[{"username":"a","role":"coordinator","password_hash":"` + h + `","admin":true}]}`,
		"no username":     `{"accounts":[{"role":"coordinator","password_hash":"` + h + `"}]}`,
		"bad role":        `{"accounts":[{"username":"a","role":"admin","password_hash":"` + h + `"}]}`,
		"plain password":  `{"accounts":[{"username":"a","role":"coordinator","password_hash":"secret"}]}`,
		"duplicate":       `{"accounts":[{"username":"A","role":"coordinator","password_hash":"` + h + `"},{"username":"a ","role":"coordinator","password_hash":"` + h + `"}]}`,
		"coord member id": `{"accounts":[{"username":"a","role":"coordinator","member_id":"x","password_hash":"` + h + `"}]}`,
	} {
		if _, err := accounts.Parse([]byte(content)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	got, err := accounts.Parse([]byte(`{"accounts":[{"username":" Rep@Example.org ","role":"representative","password_hash":"` + h + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	a := got["rep@example.org"]
	if a.Subject != "rep@example.org" || a.Name != "rep@example.org" || a.Role != accounts.Representative {
		t.Errorf("account = %+v: want the normalised username as subject and name", a)
	}
}

func TestDirectoryAuthenticatesAndReloads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "accounts.json")
	h1, _ := accounts.Hash("first password")
	writeFile(t, path, `{"accounts":[{"username":"coord@example.org","name":"Coord","role":"coordinator","password_hash":"`+h1+`"}]}`)
	d, err := accounts.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := d.Authenticate(ctx, "COORD@example.org ", "first password"); !ok || a.Name != "Coord" || a.Role != accounts.Coordinator {
		t.Fatalf("Authenticate = %+v, %v", a, ok)
	}
	if _, ok := d.Authenticate(ctx, "coord@example.org", "wrong"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, ok := d.Authenticate(ctx, "nobody@example.org", "first password"); ok {
		t.Fatal("unknown user accepted")
	}

	// The file changes: the new password works after Refresh, the old one not.
	h2, _ := accounts.Hash("second password")
	writeFile(t, path, `{"accounts":[{"username":"coord@example.org","name":"Coord","role":"coordinator","password_hash":"`+h2+`"}, {"username":"x","role":"coordinator","password_hash":"`+h2+`"}]}`)
	if err := d.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Authenticate(ctx, "coord@example.org", "first password"); ok {
		t.Error("old password still accepted after the file changed")
	}
	if _, ok := d.Authenticate(ctx, "coord@example.org", "second password"); !ok {
		t.Error("new password refused after the file changed")
	}

	// A broken file keeps the accounts last read.
	writeFile(t, path, `{"accounts": [`)
	if err := d.Refresh(); err == nil {
		t.Error("Refresh of a broken file reported no error")
	}
	if _, ok := d.Authenticate(ctx, "coord@example.org", "second password"); !ok {
		t.Error("a broken file dropped the accounts last read")
	}
}

// TestUnknownUserCostsAHash: an unknown username is answered after a
// password hash is checked, as for a known one with a wrong password, so
// timing does not tell which usernames exist.
func TestUnknownUserCostsAHash(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "accounts.json")
	h, _ := accounts.Hash("pw")
	writeFile(t, path, `{"accounts":[{"username":"known","role":"coordinator","password_hash":"`+h+`"}]}`)
	d, err := accounts.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d.Authenticate(ctx, "nobody", "warm up") // the dummy hash is made once
	measure := func(user string) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			d.Authenticate(ctx, user, "wrong")
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := measure("known"), measure("nobody")
	if unknown < known/3 {
		t.Errorf("unknown user answered in %v, a wrong password in %v: the difference tells usernames apart", unknown, known)
	}
}
