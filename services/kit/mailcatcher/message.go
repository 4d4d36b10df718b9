package mailcatcher

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Message is one message received over SMTP. Messages returned by a
// [Catcher] share memory with its inbox: treat Raw and To as read-only.
type Message struct {
	// ID is a time-ordered UUIDv7: sorting IDs sorts by arrival.
	ID string
	// From is the envelope sender (MAIL FROM), possibly empty.
	From string
	// To lists the envelope recipients (RCPT TO) in order.
	To []string
	// Subject is the decoded Subject header.
	Subject string
	// Time is when the message was received.
	Time time.Time
	// Size is len(Raw).
	Size int
	// Raw holds the exact bytes received (dot-stuffing removed, CRLF kept).
	Raw []byte
}

// newMessage builds a Message with a fresh ID from an accepted transaction.
func newMessage(from string, to []string, raw []byte, now time.Time) (Message, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Message{}, fmt.Errorf("mailcatcher: new message id: %w", err)
	}
	return Message{
		ID:      id.String(),
		From:    from,
		To:      to,
		Subject: subjectOf(raw),
		Time:    now,
		Size:    len(raw),
		Raw:     raw,
	}, nil
}

// subjectOf returns the decoded Subject header of raw, or "" if the header
// block cannot be parsed. Undecodable encoded words are returned as is.
func subjectOf(raw []byte) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return decodeHeader(m.Header.Get("Subject"))
}

// decodeHeader decodes RFC 2047 encoded words, falling back to the input.
func decodeHeader(v string) string {
	dec := mime.WordDecoder{CharsetReader: charsetReader}
	s, err := dec.DecodeHeader(v)
	if err != nil {
		return v
	}
	return s
}

// hasRecipient reports whether any envelope recipient contains sub,
// ignoring case.
func (m Message) hasRecipient(sub string) bool {
	sub = strings.ToLower(sub)
	for _, to := range m.To {
		if strings.Contains(strings.ToLower(to), sub) {
			return true
		}
	}
	return false
}
