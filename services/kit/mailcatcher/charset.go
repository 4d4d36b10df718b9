package mailcatcher

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// charsetReader lets mime.WordDecoder handle the single-byte Latin
// charsets that mail commonly uses besides UTF-8, without extra
// dependencies.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	if !isLatin1(charset) {
		return nil, fmt.Errorf("mailcatcher: unsupported charset %q", charset)
	}
	b, err := io.ReadAll(input)
	if err != nil {
		return nil, fmt.Errorf("mailcatcher: read %s text: %w", charset, err)
	}
	return strings.NewReader(latin1ToUTF8(b)), nil
}

// toUTF8 converts text in the named charset to valid UTF-8. Latin-1 and
// Windows-1252 (approximated by Latin-1) are converted; anything else is
// assumed to be UTF-8 compatible and invalid bytes are replaced.
func toUTF8(b []byte, charset string) string {
	if isLatin1(charset) {
		return latin1ToUTF8(b)
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}

func isLatin1(charset string) bool {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252":
		return true
	}
	return false
}

func latin1ToUTF8(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}
