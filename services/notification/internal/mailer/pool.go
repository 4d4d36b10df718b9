package mailer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// conn is one SMTP connection of the pool: it stays open across messages
// and is redialled when it broke or sat idle. Only the goroutine that took
// it from the pool uses it.
type conn struct {
	client   *mail.Client
	smtp     *smtp.Client
	lastUsed time.Time
}

// Send delivers one message over a pooled connection (waiting for a free
// one). The error is Permanent when retrying cannot help: the server
// answered 5xx, or the message cannot be built.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	built, err := m.Build(msg)
	if err != nil {
		return err
	}
	var c *conn
	select {
	case c = <-m.conns:
	case <-ctx.Done():
		return fmt.Errorf("smtp (temporary): no free connection: %w", ctx.Err())
	}
	defer func() { m.conns <- c }()
	return classify(m.send(ctx, c, built))
}

func (m *Mailer) send(ctx context.Context, c *conn, built *mail.Msg) error {
	if c.smtp != nil && time.Since(c.lastUsed) > m.opts.IdleTimeout {
		c.close()
	}
	reused := c.smtp != nil
	if err := m.dial(ctx, c); err != nil {
		return err
	}
	err := c.client.SendWithSMTPClient(c.smtp, built)
	var se *mail.SendError
	if err != nil && reused && errors.As(err, &se) && se.Reason == mail.ErrConnCheck {
		// The server closed the kept connection (NOOP failed) before
		// anything of this message went: dial again and send once more.
		c.close()
		if err := m.dial(ctx, c); err != nil {
			return err
		}
		err = c.client.SendWithSMTPClient(c.smtp, built)
	}
	if err != nil {
		// The session's state is unknown after a failure: start afresh.
		c.close()
		return err
	}
	c.lastUsed = time.Now()
	return nil
}

func (m *Mailer) dial(ctx context.Context, c *conn) error {
	if c.smtp != nil {
		return nil
	}
	if c.client == nil {
		opts, err := clientOptions(m.opts)
		if err != nil {
			return err
		}
		if c.client, err = mail.NewClient(m.opts.Host, opts...); err != nil {
			return fmt.Errorf("smtp client: %w", err)
		}
	}
	s, err := c.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	c.smtp = s
	return nil
}

// close ends the connection: QUIT if the server still listens, and the
// socket in any case.
func (c *conn) close() {
	if c.smtp == nil {
		return
	}
	if err := c.client.CloseWithSMTPClient(c.smtp); err != nil {
		_ = c.smtp.Close()
	}
	c.smtp = nil
}

// Close quits every idle connection (call once no Send is running).
func (m *Mailer) Close() {
	for range cap(m.conns) {
		c := <-m.conns
		c.close()
		defer func() { m.conns <- c }()
	}
}

// classify marks 5xx answers permanent; connection failures and 4xx are
// worth retrying.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return Permanent(fmt.Errorf("smtp: %w", err))
	}
	return fmt.Errorf("smtp (temporary): %w", err)
}
