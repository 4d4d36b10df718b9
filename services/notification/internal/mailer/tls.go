package mailer

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/wneessen/go-mail"
)

// clientOptions are the go-mail options for opts: port, timeout, TLS mode
// and certificate checks, HELO and authentication.
func clientOptions(opts Options) ([]mail.Option, error) {
	out := []mail.Option{mail.WithPort(opts.Port), mail.WithTimeout(opts.Timeout)}
	switch opts.TLS {
	case "", "none":
		out = append(out, mail.WithTLSPolicy(mail.NoTLS))
	case "opportunistic":
		out = append(out, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case "starttls":
		out = append(out, mail.WithTLSPolicy(mail.TLSMandatory))
	case "tls":
		out = append(out, mail.WithSSL())
	default:
		return nil, fmt.Errorf("mailer: SMTP TLS mode %q is not one of none, opportunistic, starttls, tls", opts.TLS)
	}
	if opts.TLSSkipVerify {
		if opts.TLS == "" || opts.TLS == "none" {
			return nil, errors.New("mailer: skipping certificate checks needs a TLS mode")
		}
		// A password sent over a connection whose server is not
		// authenticated goes to whoever intercepts it.
		if opts.Password != "" {
			return nil, errors.New("mailer: certificate checks cannot be skipped when a password is sent (development servers only)")
		}
	}
	out = append(out, mail.WithTLSConfig(&tls.Config{
		ServerName: opts.Host, MinVersion: tls.VersionTLS12,
		InsecureSkipVerify: opts.TLSSkipVerify, //nolint:gosec // development servers only, refused with a password
	}))
	if opts.HELO != "" {
		out = append(out, mail.WithHELO(opts.HELO))
	}
	if opts.Username != "" {
		out = append(out, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(opts.Username), mail.WithPassword(opts.Password))
	}
	return out, nil
}
