// Package accounts holds the console's local accounts: a JSON file the
// operator writes (the dev launcher writes demonstration accounts), with
// passwords stored only as argon2id hashes. The file is read again when it
// changes, so accounts can be added or removed without a restart.
//
// File format:
//
//	{"accounts": [
//	  {"username": "coordinator@example.org", "name": "Alex Coordinator",
//	   "role": "coordinator", "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$..."},
//	  {"username": "porto.political@example.org", "name": "Inês Modelo",
//	   "role": "representative", "password_hash": "$argon2id$..."}
//	]}
//
// A representative's member is found at sign-in from their representative
// record (by subject, which defaults to the username and may be their
// representative id or email address); member_id pins it instead.
package accounts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Role is what an account may do in the console.
type Role string

// The roles an account can have.
const (
	Coordinator    Role = "coordinator"
	Representative Role = "representative"
)

// Account is one person who can sign in.
type Account struct {
	Username string `json:"username"`
	// Name is shown in the console ("Signed in as ...").
	Name         string `json:"name"`
	Role         Role   `json:"role"`
	PasswordHash string `json:"password_hash"`
	// Subject is who backend calls are made as (default: the username).
	// For representatives: their representative id or email address.
	Subject string `json:"subject,omitempty"`
	// MemberID pins a representative's member (default: found at sign-in).
	MemberID string `json:"member_id,omitempty"`
}

// Limits on the file and its entries.
const (
	maxFileBytes   = 1 << 20
	maxAccounts    = 1000
	maxUsernameLen = 254
	maxNameLen     = 200
)

// Normalize is the form usernames are compared in.
func Normalize(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// Parse reads an accounts file's content, checking every entry.
func Parse(b []byte) (map[string]Account, error) {
	if len(b) > maxFileBytes {
		return nil, fmt.Errorf("accounts file larger than %d bytes", maxFileBytes)
	}
	var f struct {
		Accounts []Account `json:"accounts"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("accounts file: %w", err)
	}
	if len(f.Accounts) > maxAccounts {
		return nil, fmt.Errorf("accounts file: more than %d accounts", maxAccounts)
	}
	out := make(map[string]Account, len(f.Accounts))
	for i, a := range f.Accounts {
		a.Username = Normalize(a.Username)
		if err := check(a); err != nil {
			return nil, fmt.Errorf("accounts file: account %d: %w", i+1, err)
		}
		if _, dup := out[a.Username]; dup {
			return nil, fmt.Errorf("accounts file: account %d: username %q appears twice", i+1, a.Username)
		}
		if a.Subject == "" {
			a.Subject = a.Username
		}
		if a.Name == "" {
			a.Name = a.Username
		}
		out[a.Username] = a
	}
	return out, nil
}

func check(a Account) error {
	switch {
	case a.Username == "" || len(a.Username) > maxUsernameLen:
		return fmt.Errorf("username must be 1 to %d characters", maxUsernameLen)
	case len(a.Name) > maxNameLen || len(a.Subject) > maxUsernameLen || len(a.MemberID) > 64:
		return errors.New("name, subject or member_id too long")
	case a.Role != Coordinator && a.Role != Representative:
		return fmt.Errorf("role must be %q or %q", Coordinator, Representative)
	case a.Role == Coordinator && a.MemberID != "":
		return errors.New("a coordinator has no member_id")
	}
	return CheckHash(a.PasswordHash)
}

// Directory is the accounts file, read again whenever it changes.
type Directory struct {
	path string
	// sem bounds how many password checks run at once: each takes
	// Params.Memory, and a burst of sign-ins must not exhaust memory.
	sem chan struct{}

	mu       sync.Mutex
	accounts map[string]Account
	modTime  time.Time
	size     int64
}

// Open reads the accounts file at path. An empty path is a directory with
// no accounts (sign-in with a password is then off).
func Open(path string) (*Directory, error) {
	d := &Directory{path: path, sem: make(chan struct{}, 2), accounts: map[string]Account{}}
	if path == "" {
		return d, nil
	}
	if err := d.reload(); err != nil {
		return nil, err
	}
	return d, nil
}

// Enabled reports whether an accounts file is configured.
func (d *Directory) Enabled() bool { return d != nil && d.path != "" }

// Refresh reads the file again if it changed since it was last read. A file
// that became unreadable or invalid keeps the accounts last read, and the
// error is returned for the caller to log.
func (d *Directory) Refresh() error {
	if !d.Enabled() {
		return nil
	}
	fi, err := os.Stat(d.path)
	if err != nil {
		return fmt.Errorf("accounts file: %w", err)
	}
	d.mu.Lock()
	same := fi.ModTime().Equal(d.modTime) && fi.Size() == d.size
	d.mu.Unlock()
	if same {
		return nil
	}
	return d.reload()
}

func (d *Directory) reload() error {
	f, err := os.Open(d.path)
	if err != nil {
		return fmt.Errorf("accounts file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("accounts file: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return fmt.Errorf("accounts file: %w", err)
	}
	accounts, err := Parse(b)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.accounts, d.modTime, d.size = accounts, fi.ModTime(), fi.Size()
	d.mu.Unlock()
	return nil
}

// Lookup returns the account with this username, as last read.
func (d *Directory) Lookup(username string) (Account, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a, ok := d.accounts[Normalize(username)]
	return a, ok
}

// Authenticate returns the account whose username and password these are.
// Whether the username exists or not, one password hash is checked, so the
// answer takes as long either way. It waits for a free hashing slot; a
// cancelled ctx answers false.
func (d *Directory) Authenticate(ctx context.Context, username, password string) (Account, bool) {
	username = Normalize(username)
	d.mu.Lock()
	a, found := d.accounts[username]
	d.mu.Unlock()
	hash := dummyHash()
	if found {
		hash = a.PasswordHash
	}
	select {
	case d.sem <- struct{}{}:
	case <-ctx.Done():
		return Account{}, false
	}
	ok := Verify(password, hash)
	<-d.sem
	if !found || !ok {
		return Account{}, false
	}
	return a, true
}

// Write saves accounts as an accounts file readable only by its owner,
// replacing any file at path in one rename (a reader sees the old file or
// the new one, never half of one).
func Write(path string, list []Account) error {
	b, err := json.MarshalIndent(struct {
		Accounts []Account `json:"accounts"`
	}{list}, "", "  ")
	if err != nil {
		return fmt.Errorf("accounts file: %w", err)
	}
	if _, err := Parse(b); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("accounts file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("accounts file: %w", err)
	}
	return nil
}
