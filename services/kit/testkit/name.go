package testkit

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
)

// UniqueName returns prefix + the test's name + a random suffix, limited to
// letters, digits, '_' and '-' so it is valid as a JetStream stream or
// consumer name and as a database name. Tests share the NATS server, so
// per-test names keep their streams apart.
func UniqueName(t testing.TB, prefix string) string {
	return uniqueName(t, prefix, 63)
}

func uniqueName(t testing.TB, prefix string, maxLen int) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	suffix := "_" + hex.EncodeToString(b[:])

	name := sanitize(t.Name())
	if prefix != "" {
		name = sanitize(prefix) + "_" + name
	}
	if keep := maxLen - len(suffix); len(name) > keep {
		name = name[:keep]
	}
	return name + suffix
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		default:
			return '_'
		}
	}, s)
}
