package mailcatcher

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
	"go.uber.org/zap"
)

// shutdownGrace is how long Close lets open SMTP connections finish before
// closing them.
const shutdownGrace = 2 * time.Second

// Catcher is a running SMTP mail catcher. Its methods are safe for
// concurrent use.
type Catcher struct {
	opts  Options
	log   *zap.Logger
	store *dirStore // nil unless Options.Dir is set

	srv     *smtp.Server
	ln      *trackingListener
	served  chan struct{} // closed when Serve returns
	handler http.Handler

	mu      sync.Mutex
	msgs    []Message     // oldest first, at most opts.MaxMessages
	arrived chan struct{} // closed and replaced when a message is added

	faultMu sync.Mutex
	faults  faults

	stopCtx   func() bool
	closing   atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// Start loads any persisted messages, listens on opts.Addr and serves SMTP
// until [Catcher.Close] is called or ctx is cancelled, whichever comes
// first.
func Start(ctx context.Context, opts Options) (*Catcher, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("mailcatcher: start: %w", err)
	}
	opts = opts.withDefaults()
	c := &Catcher{
		opts:    opts,
		log:     opts.Logger,
		served:  make(chan struct{}),
		arrived: make(chan struct{}),
	}
	if opts.Dir != "" {
		store, err := newDirStore(opts.Dir)
		if err != nil {
			return nil, err
		}
		msgs, err := store.load(opts.MaxMessages, func(err error) {
			c.log.Warn("mailcatcher: skip stored message", zap.Error(err))
		})
		if err != nil {
			return nil, err
		}
		c.store, c.msgs = store, msgs
	}
	c.handler = c.newHandler()

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("mailcatcher: listen on %s: %w", opts.Addr, err)
	}
	c.ln = newTrackingListener(ln)

	srv := smtp.NewServer(smtp.BackendFunc(c.newSession))
	srv.Domain = opts.Domain
	srv.MaxMessageBytes = opts.MaxMessageBytes
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = smtpLogger{c.log.Sugar()}
	c.srv = srv

	go func() {
		defer close(c.served)
		// Serve returns an error once Close has closed the listener; only
		// an error before that is worth reporting.
		if err := srv.Serve(c.ln); err != nil && !c.isClosed() {
			c.log.Error("mailcatcher: serve SMTP", zap.Error(err))
		}
	}()
	c.stopCtx = context.AfterFunc(ctx, func() { _ = c.Close() })
	c.log.Info("mailcatcher: listening", zap.String("addr", c.Addr()), zap.Int("messages", len(c.msgs)))
	return c, nil
}

// Addr returns the host:port the SMTP server is bound to.
func (c *Catcher) Addr() string {
	return c.ln.Addr().String()
}

// Close stops accepting connections, lets transactions in progress finish
// for up to two seconds, and closes all connections. Stored messages stay readable through
// the Go API. Close is idempotent.
func (c *Catcher) Close() error {
	c.closeOnce.Do(func() {
		c.closing.Store(true)
		c.stopCtx()
		// Close the listener here too: Shutdown only knows listeners that
		// Serve has registered, which may not have happened yet.
		lerr := c.ln.Close()
		err := c.shutdown()
		<-c.served
		if err == nil && !errors.Is(lerr, net.ErrClosed) {
			err = lerr
		}
		if err != nil && !errors.Is(err, net.ErrClosed) {
			c.closeErr = fmt.Errorf("mailcatcher: close: %w", err)
		}
	})
	return c.closeErr
}

func (c *Catcher) isClosed() bool { return c.closing.Load() }

// shutdown waits up to shutdownGrace for the transactions in progress to
// finish, closing connections as soon as they are between transactions,
// then closes whatever is left.
func (c *Catcher) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.srv.Shutdown(ctx) }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		c.ln.closeConns(false)
		select {
		case err := <-done:
			if errors.Is(err, context.DeadlineExceeded) {
				c.ln.closeConns(true)
				return nil
			}
			return err
		case <-tick.C:
		}
	}
}

// smtpLogger adapts zap to go-smtp's logger interface.
type smtpLogger struct{ s *zap.SugaredLogger }

func (l smtpLogger) Printf(format string, v ...any) { l.s.Debugf("mailcatcher: smtp: "+format, v...) }
func (l smtpLogger) Println(v ...any)               { l.s.Debugln(append([]any{"mailcatcher: smtp:"}, v...)...) }
