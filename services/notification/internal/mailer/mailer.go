// Package mailer sends assembled emails over SMTP with go-mail and tells
// temporary failures (retry later) from permanent ones (stop and record).
// It keeps a few SMTP connections open and reuses them across messages
// (pool.go), redialling after an error; TLS is configurable (tls.go).
package mailer

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"time"

	"github.com/wneessen/go-mail"
)

// Options configure the SMTP connection.
type Options struct {
	Host string
	Port int
	// TLS is "none", "starttls" (mandatory), "opportunistic" or "tls" (implicit).
	TLS string
	// TLSSkipVerify accepts any server certificate: for development
	// servers with self-signed certificates only (refused with a password).
	TLSSkipVerify bool
	Username      string
	Password      string
	// From is the sender, e.g. "Coalition <no-reply@example.org>".
	From    string
	ReplyTo string
	// HELO name announced to the server.
	HELO    string
	Timeout time.Duration
	// Connections is how many SMTP connections are kept open (default 1):
	// at most that many messages are sent at once.
	Connections int
	// IdleTimeout closes a connection unused this long (default 30s), before
	// the server drops it.
	IdleTimeout time.Duration
}

// Message is one email for one recipient.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// MessageID without angle brackets (go-mail adds them).
	MessageID string
	// Headers are extra headers (e.g. List-Unsubscribe).
	Headers map[string]string
	// Attachments are files sent with the message.
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Filename string
	// ContentType with its parameters, e.g.
	// "text/calendar; method=REQUEST; charset=UTF-8".
	ContentType string
	Content     []byte
	// Alternative also shows the content as an alternative body part after
	// the text and HTML: how mail clients expect a calendar invitation
	// (iMIP, RFC 6047), besides the attached .ics.
	Alternative bool
}

// Mailer sends messages over its pool of connections.
type Mailer struct {
	opts  Options
	conns chan *conn
}

// New validates opts.
func New(opts Options) (*Mailer, error) {
	if opts.Host == "" || opts.Port <= 0 {
		return nil, errors.New("mailer: SMTP host and port are required")
	}
	if opts.From == "" {
		return nil, errors.New("mailer: a sender address is required")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 15 * time.Second
	}
	if opts.Connections <= 0 {
		opts.Connections = 1
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 30 * time.Second
	}
	if _, err := clientOptions(opts); err != nil {
		return nil, err
	}
	m := &Mailer{opts: opts, conns: make(chan *conn, opts.Connections)}
	for range opts.Connections {
		m.conns <- &conn{}
	}
	return m, nil
}

// Build assembles the MIME message (multipart/alternative, text then HTML).
func (m *Mailer) Build(msg Message) (*mail.Msg, error) {
	out := mail.NewMsg()
	if err := out.From(m.opts.From); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := out.To(msg.To); err != nil {
		return nil, Permanent(fmt.Errorf("recipient address is not valid: %w", err))
	}
	if m.opts.ReplyTo != "" {
		if err := out.ReplyTo(m.opts.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to: %w", err)
		}
	}
	out.Subject(msg.Subject)
	out.SetDate()
	if msg.MessageID != "" {
		out.SetMessageIDWithValue(msg.MessageID)
	}
	for k, v := range msg.Headers {
		out.SetGenHeader(mail.Header(k), v)
	}
	out.SetBodyString(mail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		out.AddAlternativeString(mail.TypeTextHTML, msg.HTML)
	}
	if err := attach(out, msg.Attachments); err != nil {
		return nil, Permanent(err)
	}
	return out, nil
}

// attach adds the attachments, and as alternative body parts those that
// ask for it (go-mail then nests the alternatives in multipart/mixed).
func attach(out *mail.Msg, list []Attachment) error {
	for _, a := range list {
		if a.Alternative {
			mediaType, params, err := mime.ParseMediaType(a.ContentType)
			if err != nil {
				return fmt.Errorf("attachment %s: content type: %w", a.Filename, err)
			}
			delete(params, "charset") // go-mail writes the message's (UTF-8)
			out.AddAlternativeString(mail.ContentType(mime.FormatMediaType(mediaType, params)), string(a.Content))
		}
		if err := out.AttachReader(a.Filename, bytes.NewReader(a.Content), mail.WithFileContentType(mail.ContentType(a.ContentType))); err != nil {
			return fmt.Errorf("attachment %s: %w", a.Filename, err)
		}
	}
	return nil
}

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent marks an error that retrying cannot fix.
func Permanent(err error) error { return permanent{err} }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
