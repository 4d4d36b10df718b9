package preferences

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
)

// Token errors.
var (
	// ErrBadToken: not something this service could have made.
	ErrBadToken = errors.New("the link's token is not valid")
	// ErrUnknownToken: well formed, but not signed with any of our keys.
	ErrUnknownToken = errors.New("the link's token is not one of ours")
)

const (
	tokenVersion = 1
	hashLen      = 32
	macLen       = 16 // 128 bits: not guessable
	maxCategory  = 40
	macContext   = "coalition/notification/unsubscribe/v1\x00"
)

// Claim is what a token grants: control over the email of one address
// (by its hash), and one-click unsubscribe from Category when set.
type Claim struct {
	AddressHash string // store.AddressHash
	Category    string // "" for a preferences-only token
}

// Tokens makes and checks the tokens of unsubscribe and preferences links:
// base64url(version, address hash, category, HMAC-SHA256 over them). They
// are stateless (nothing stored per email) and do not expire: an
// unsubscribe link must keep working. The first key signs; every key
// verifies, so a new key can be introduced before the old one is retired.
type Tokens struct {
	keys [][]byte
}

// NewTokens uses keys (at least one, each of 32 bytes or more).
func NewTokens(keys ...[]byte) (*Tokens, error) {
	if len(keys) == 0 {
		return nil, errors.New("unsubscribe tokens: no key")
	}
	for _, k := range keys {
		if len(k) < 32 {
			return nil, errors.New("unsubscribe tokens: a key is shorter than 32 bytes")
		}
	}
	return &Tokens{keys: keys}, nil
}

// Make returns the token for an address hash and category ("" for the
// preferences-only token).
func (t *Tokens) Make(addressHash, category string) string {
	h, err := hex.DecodeString(addressHash)
	if err != nil || len(h) != hashLen || len(category) > maxCategory {
		panic("preferences: Make with a malformed address hash or category") // programming error: callers pass store.AddressHash
	}
	payload := append(append([]byte{tokenVersion}, h...), category...)
	return base64.RawURLEncoding.EncodeToString(append(payload, mac(t.keys[0], payload)...))
}

// Parse checks a token and returns its claim.
func (t *Tokens) Parse(token string) (Claim, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < 1+hashLen+macLen || len(b) > 1+hashLen+maxCategory+macLen || b[0] != tokenVersion {
		return Claim{}, ErrBadToken
	}
	payload, sig := b[:len(b)-macLen], b[len(b)-macLen:]
	for _, k := range t.keys {
		if hmac.Equal(sig, mac(k, payload)) {
			return Claim{AddressHash: hex.EncodeToString(payload[1 : 1+hashLen]), Category: string(payload[1+hashLen:])}, nil
		}
	}
	return Claim{}, ErrUnknownToken
}

func mac(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(macContext))
	m.Write(payload)
	return m.Sum(nil)[:macLen]
}
