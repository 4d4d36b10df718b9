package logging

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"go.uber.org/zap"
)

// EmailHash returns a short, stable identifier for an email address: the first
// 12 hex characters of the SHA-256 of the trimmed, lower-cased address. Logs
// use it to correlate one person's events without containing the address.
func EmailHash(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:6])
}

// Recipient is a log field naming an email recipient by [EmailHash] only.
func Recipient(email string) zap.Field {
	return zap.String("recipient", EmailHash(email))
}
