package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"
)

// idLen is the length of the record id (a UUID, canonical form) that starts
// a token.
const idLen = 36

// NewToken returns an unguessable single-use token for the record id (a
// UUID) and the hash under which it is stored. The token is the id followed
// by 256 random bits (base64url): the id finds the record by its primary key
// — the one lookup the embedded store answers by index — and the random part
// is the secret. Only the hash is kept, so a leaked database does not hand
// out links.
func NewToken(id string) (token, hash string, err error) {
	if _, err := uuid.Parse(id); err != nil || len(id) != idLen {
		return "", "", fmt.Errorf("token for %q: not a UUID", id)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	token = id + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// TokenID returns the record id a token starts with; ok is false for a
// token without one (links sent before tokens carried ids).
func TokenID(token string) (id string, ok bool) {
	if len(token) != idLen+43 {
		return "", false
	}
	if _, err := uuid.Parse(token[:idLen]); err != nil {
		return "", false
	}
	return token[:idLen], true
}

// HashToken is how a token is looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
