// Package paging makes the opaque page tokens of the services' List methods:
// the sort key and id of the last item returned, so the next page starts
// after it (keyset pagination, stable while items are added).
package paging

import (
	"encoding/base64"
	"errors"
	"strings"
	"time"
)

// ErrBadToken is returned for a page token the service did not issue.
var ErrBadToken = errors.New("page_token is not valid")

// Token encodes the last item's sort key and id.
func Token(key, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "|" + id))
}

// Parse reads a Token. The id (a UUID) holds no '|'; the key may.
func Parse(s string) (key, id string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", "", ErrBadToken
	}
	i := strings.LastIndexByte(string(b), '|')
	if i < 0 || i == len(b)-1 {
		return "", "", ErrBadToken
	}
	return string(b[:i]), string(b[i+1:]), nil
}

// TimeToken encodes a time sort key and the id.
func TimeToken(t time.Time, id string) string { return Token(t.UTC().Format(time.RFC3339Nano), id) }

// ParseTime reads a TimeToken.
func ParseTime(s string) (time.Time, string, error) {
	key, id, err := Parse(s)
	if err != nil {
		return time.Time{}, "", err
	}
	t, err := time.Parse(time.RFC3339Nano, key)
	if err != nil {
		return time.Time{}, "", ErrBadToken
	}
	return t, id, nil
}
