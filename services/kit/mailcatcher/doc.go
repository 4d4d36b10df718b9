// Package mailcatcher is a small SMTP server that keeps every message it
// receives in memory (and optionally on disk) so that developers and tests
// can read it back, in the spirit of MailHog or Mailpit.
//
// It is a loopback development tool: any envelope sender and recipient are
// accepted, no authentication is required (AUTH PLAIN and ANONYMOUS are
// offered and accept any credentials) and there is no TLS.
//
// Tests use the Go API ([Catcher.Messages], [Catcher.WaitFor], ...) and can
// inject SMTP failures with [Catcher.FailNext] and [Catcher.SetDown] to
// exercise retry logic. People use the HTML inbox served by
// [Catcher.Handler], which the gateway mounts at /dev/mail; the same handler
// also offers a small JSON API.
package mailcatcher
