package mailcatcher

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"go.uber.org/zap"
)

// session is one SMTP connection's transaction state.
type session struct {
	c    *Catcher
	conn *trackedConn // nil if the connection is not ours
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (c *Catcher) newSession(conn *smtp.Conn) (smtp.Session, error) {
	tc, _ := conn.Conn().(*trackedConn)
	return &session{c: c, conn: tc}, nil
}

// setBusy records whether a transaction is in progress, so that Close
// knows which connections it may end at once.
func (s *session) setBusy(busy bool) {
	if s.conn != nil {
		s.conn.busy.Store(busy)
	}
}

// AuthMechanisms offers PLAIN and ANONYMOUS for clients that insist on
// authenticating; any credentials are accepted.
func (s *session) AuthMechanisms() []string {
	return []string{sasl.Plain, sasl.Anonymous}
}

// Auth accepts any credentials.
func (s *session) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(string, string, string) error { return nil }), nil
	case sasl.Anonymous:
		return sasl.NewAnonymousServer(func(string) error { return nil }), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := s.c.checkDown(); err != nil {
		return err
	}
	s.from = from
	s.to = nil
	s.setBusy(true)
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.c.checkFault(); err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if err := s.c.checkFault(); err != nil {
		return err // the server discards the rest of the data
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		// go-smtp maps only a bare *SMTPError (e.g. 552 too large) to
		// its own reply code.
		if se := (*smtp.SMTPError)(nil); errors.As(err, &se) {
			return se
		}
		return fmt.Errorf("mailcatcher: read message data: %w", err)
	}
	m, err := newMessage(s.from, s.to, buf.Bytes(), time.Now())
	if err != nil {
		return err
	}
	s.c.add(m)
	s.c.log.Debug("mailcatcher: message received",
		zap.String("id", m.ID), zap.String("from", m.From), zap.Strings("to", m.To), zap.Int("size", m.Size))
	return nil
}

// Reset ends the transaction; go-smtp also calls it after DATA.
func (s *session) Reset() {
	s.from = ""
	s.to = nil
	s.setBusy(false)
}

func (s *session) Logout() error { return nil }
