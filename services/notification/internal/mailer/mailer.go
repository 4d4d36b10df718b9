// Package mailer sends assembled emails over SMTP with go-mail and tells
// temporary failures (retry later) from permanent ones (stop and record).
package mailer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"
)

// Options configure the SMTP connection.
type Options struct {
	Host string
	Port int
	// TLS is "none", "starttls" (mandatory), "opportunistic" or "tls" (implicit).
	TLS      string
	Username string
	Password string
	// From is the sender, e.g. "Coalition <no-reply@example.org>".
	From    string
	ReplyTo string
	// HELO name announced to the server.
	HELO    string
	Timeout time.Duration
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
}

// Mailer sends messages.
type Mailer struct {
	opts Options
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
	if _, err := tlsOptions(opts.TLS); err != nil {
		return nil, err
	}
	return &Mailer{opts: opts}, nil
}

func tlsOptions(mode string) ([]mail.Option, error) {
	switch mode {
	case "", "none":
		return []mail.Option{mail.WithTLSPolicy(mail.NoTLS)}, nil
	case "opportunistic":
		return []mail.Option{mail.WithTLSPolicy(mail.TLSOpportunistic)}, nil
	case "starttls":
		return []mail.Option{mail.WithTLSPolicy(mail.TLSMandatory)}, nil
	case "tls":
		return []mail.Option{mail.WithSSL()}, nil
	default:
		return nil, fmt.Errorf("mailer: SMTP TLS mode %q is not one of none, opportunistic, starttls, tls", mode)
	}
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
	return out, nil
}

// Send delivers one message. The error is Permanent when retrying cannot help.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	built, err := m.Build(msg)
	if err != nil {
		return err
	}
	opts := []mail.Option{mail.WithPort(m.opts.Port), mail.WithTimeout(m.opts.Timeout)}
	tlsOpts, _ := tlsOptions(m.opts.TLS)
	opts = append(opts, tlsOpts...)
	if m.opts.HELO != "" {
		opts = append(opts, mail.WithHELO(m.opts.HELO))
	}
	if m.opts.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(m.opts.Username), mail.WithPassword(m.opts.Password))
	}
	client, err := mail.NewClient(m.opts.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, built); err != nil {
		var se *mail.SendError
		// Only a 5xx answer is final; connection failures and 4xx are retried.
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return Permanent(fmt.Errorf("smtp: %w", err))
		}
		return fmt.Errorf("smtp (will retry): %w", err)
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
