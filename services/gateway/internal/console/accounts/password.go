package accounts

import (
	"errors"
	"fmt"
	"sync"

	"github.com/alexedwards/argon2id"
)

// Params are the argon2id parameters new hashes use: OWASP's Password
// Storage Cheat Sheet configuration of 19 MiB memory, 2 iterations and one
// thread (argon2id's own defaults take 64 MiB per attempt, which a login
// flood turns into a memory problem).
var Params = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Bounds a stored hash's parameters must stay within: a hash is data from a
// file, and its parameters decide how much memory and time checking costs.
const (
	maxMemoryKiB  = 256 * 1024
	maxIterations = 10
	maxThreads    = 16
	maxPassword   = 1024 // bytes; longer input is refused before hashing
)

// ErrBadHash is returned for a stored hash that is not a usable argon2id hash.
var ErrBadHash = errors.New("not an argon2id hash within bounds")

// Hash returns the PHC-format argon2id hash of password
// ($argon2id$v=19$m=19456,t=2,p=1$salt$key).
func Hash(password string) (string, error) {
	if password == "" || len(password) > maxPassword {
		return "", fmt.Errorf("password must be 1 to %d bytes", maxPassword)
	}
	h, err := argon2id.CreateHash(password, Params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// CheckHash reports whether hash is an argon2id hash whose parameters are
// within bounds (accounts files are checked when loaded).
func CheckHash(hash string) error {
	p, salt, key, err := argon2id.DecodeHash(hash)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadHash, err)
	}
	if p.Memory == 0 || p.Memory > maxMemoryKiB || p.Iterations == 0 || p.Iterations > maxIterations ||
		p.Parallelism == 0 || p.Parallelism > maxThreads || len(salt) < 8 || len(key) < 16 {
		return ErrBadHash
	}
	return nil
}

// Verify reports whether password matches hash, comparing in constant time.
// An over-long password never matches (and is not hashed).
func Verify(password, hash string) bool {
	if len(password) > maxPassword {
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

// dummyHash is checked against when no account matches, so an unknown name
// costs the same time as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := argon2id.CreateHash("no account has this password", Params)
	if err != nil {
		panic(fmt.Sprintf("accounts: dummy hash: %v", err))
	}
	return h
})
