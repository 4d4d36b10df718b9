package auth

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
)

// Audience is the audience of every platform token.
const Audience = "coalition"

// Claims is what a token says about its bearer.
type Claims struct {
	jwt.RegisteredClaims
	Role optionsv1.Role `json:"role"`
	// MemberID is the member a representative acts for.
	MemberID string `json:"member_id,omitempty"`
}

// Signer issues tokens.
type Signer struct {
	key    ed25519.PrivateKey
	issuer string
}

// NewSigner signs with key on behalf of issuer.
func NewSigner(key ed25519.PrivateKey, issuer string) *Signer {
	return &Signer{key: key, issuer: issuer}
}

// Issue returns a signed token for subject with role, valid for ttl.
func (s *Signer) Issue(subject string, role optionsv1.Role, memberID string, ttl time.Duration) (string, error) {
	now := time.Now()
	claims := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   subject,
			Audience:  jwt.ClaimStrings{Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-30 * time.Second)),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
		Role:     role,
		MemberID: memberID,
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims).SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return tok, nil
}

// Verifier checks tokens against one or more public keys (several during a
// key rotation).
type Verifier struct {
	keys []ed25519.PublicKey
}

// NewVerifier trusts tokens signed by any of keys.
func NewVerifier(keys ...ed25519.PublicKey) *Verifier { return &Verifier{keys: keys} }

// ErrInvalidToken is returned for any token that does not verify.
var ErrInvalidToken = errors.New("invalid token")

// Verify parses and checks a token: signature, algorithm, expiry, audience.
func (v *Verifier) Verify(token string) (*Claims, error) {
	if len(token) > 8192 {
		return nil, fmt.Errorf("%w: too long", ErrInvalidToken)
	}
	var lastErr error
	for _, key := range v.keys {
		claims := &Claims{}
		_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return key, nil },
			jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
			jwt.WithAudience(Audience),
			jwt.WithExpirationRequired(),
			jwt.WithLeeway(30*time.Second))
		if err == nil {
			if claims.Role == optionsv1.Role_ROLE_UNSPECIFIED {
				return nil, fmt.Errorf("%w: no role", ErrInvalidToken)
			}
			return claims, nil
		}
		lastErr = err
	}
	if lastErr == nil {
		lastErr = errors.New("no verification key configured")
	}
	return nil, fmt.Errorf("%w: %v", ErrInvalidToken, lastErr)
}

// GenerateKey makes a new Ed25519 key pair.
func GenerateKey() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	return priv, nil
}

// EncodePrivateKey encodes a private key's seed as unpadded base64url, the
// form AUTH_SIGNING_KEY takes.
func EncodePrivateKey(k ed25519.PrivateKey) string {
	return base64.RawURLEncoding.EncodeToString(k.Seed())
}

// EncodePublicKey encodes a public key as unpadded base64url, the form
// AUTH_PUBLIC_KEYS takes.
func EncodePublicKey(k ed25519.PublicKey) string { return base64.RawURLEncoding.EncodeToString(k) }

// ParsePrivateKey reads a key written by EncodePrivateKey.
func ParsePrivateKey(s string) (ed25519.PrivateKey, error) {
	seed, err := decode(s)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("signing key: want %d bytes of base64url seed", ed25519.SeedSize)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ParsePublicKeys reads a comma-separated list written by EncodePublicKey.
func ParsePublicKeys(s string) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		b, err := decode(part)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("public key %q: want %d bytes of base64url", part, ed25519.PublicKeySize)
		}
		keys = append(keys, ed25519.PublicKey(b))
	}
	return keys, nil
}

func decode(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
