package mailcatcher

import (
	"strings"

	"go.uber.org/zap"
)

// Defaults applied by [Start] to zero-valued [Options] fields.
const (
	DefaultAddr            = "127.0.0.1:0"
	DefaultDomain          = "localhost"
	DefaultMaxMessageBytes = 10 << 20
	DefaultMaxMessages     = 2000
	DefaultHTTPPrefix      = "/dev/mail"
)

// Options configures a [Catcher]. The zero value is usable.
type Options struct {
	// Addr is the TCP address the SMTP server listens on (default
	// "127.0.0.1:0", an ephemeral loopback port; see [Catcher.Addr]).
	Addr string
	// Domain is the host name announced in the SMTP greeting (default
	// "localhost").
	Domain string
	// MaxMessageBytes bounds the size of one message (default 10 MiB).
	// Larger messages are refused with 552.
	MaxMessageBytes int64
	// MaxMessages bounds the inbox (default 2000); when it is full the
	// oldest message is dropped.
	MaxMessages int
	// Dir, if set, is a directory where every message is also stored as
	// <id>.eml with a <id>.json sidecar holding the envelope, so that the
	// inbox survives a restart. Existing messages are loaded by [Start].
	Dir string
	// HTTPPrefix is the path at which [Catcher.Handler] is mounted (default
	// "/dev/mail"; "/" mounts it at the root). The handler receives full
	// paths under it.
	HTTPPrefix string
	// Logger receives diagnostics (default: no logging).
	Logger *zap.Logger
}

func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.Domain == "" {
		o.Domain = DefaultDomain
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if o.MaxMessages <= 0 {
		o.MaxMessages = DefaultMaxMessages
	}
	if o.HTTPPrefix == "" {
		o.HTTPPrefix = DefaultHTTPPrefix
	}
	// Normalised to a leading slash and no trailing one; "/" becomes "",
	// which mounts the handler at the root.
	o.HTTPPrefix = strings.TrimRight(o.HTTPPrefix, "/")
	if o.HTTPPrefix != "" && !strings.HasPrefix(o.HTTPPrefix, "/") {
		o.HTTPPrefix = "/" + o.HTTPPrefix
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	return o
}
