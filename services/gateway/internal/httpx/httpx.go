// Package httpx holds the gateway's HTTP middleware: security headers, the
// request body limit, the access log and the client's address behind
// trusted reverse proxies (clientip.go), plus the per-request record they
// share.
package httpx

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
)

// CSP is the Content-Security-Policy sent with every response whose handler
// has not set its own.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// Info is what the middleware learns about a request while it is served.
type Info struct {
	// Pattern is the route that served the request (set by [Route]).
	pattern atomic.Pointer[string]
	// bodyTooLarge is set once reading the body hit the limit.
	bodyTooLarge atomic.Bool
}

type infoKey struct{}

// InfoFrom returns the request's record, or nil outside the middleware.
func InfoFrom(ctx context.Context) *Info {
	i, _ := ctx.Value(infoKey{}).(*Info)
	return i
}

// SetPattern records the route pattern that serves the request.
func (i *Info) SetPattern(p string) {
	if i != nil && p != "" {
		i.pattern.Store(&p)
	}
}

// Pattern is the recorded route pattern ("" when none matched).
func (i *Info) Pattern() string {
	if i == nil {
		return ""
	}
	if p := i.pattern.Load(); p != nil {
		return *p
	}
	return ""
}

// BodyTooLarge reports whether reading the body hit the size limit.
func (i *Info) BodyTooLarge() bool { return i != nil && i.bodyTooLarge.Load() }

// BodyTooLarge reports whether err, or the request behind ctx, ran into the
// body size limit.
func BodyTooLarge(ctx context.Context, err error) bool {
	var mbe *http.MaxBytesError
	if err != nil && errors.As(err, &mbe) {
		return true
	}
	return InfoFrom(ctx).BodyTooLarge()
}

// Route wraps the innermost handler (an http.ServeMux) so that the pattern
// the mux picked is recorded for the access log. The mux sets r.Pattern on
// the request it is handed, which outer middleware never sees.
func Route(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if info := InfoFrom(r.Context()); info != nil && info.Pattern() == "" {
			info.SetPattern(r.Pattern)
		}
	})
}

// ClientIP is the address of the client that sent the request (no port):
// the peer, or behind a trusted proxy the address it forwarded for.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ForwardedFor is the x-forwarded-for value passed to the services: what the
// client sent, with the peer address appended (the same rule grpc-gateway
// applies to API calls, so services read both alike).
func ForwardedFor(r *http.Request) string {
	var parts []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		if v = strings.TrimSpace(v); v != "" && printableASCII(v) {
			parts = append(parts, v)
		}
	}
	if ip := ClientIP(r); ip != "" {
		parts = append(parts, ip)
	}
	return strings.Join(parts, ", ")
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// limitedBody is http.MaxBytesReader that remembers, in the request's
// record, that the limit was hit: grpc-gateway turns the read error into a
// plain InvalidArgument, and the error handler needs to answer 413 instead.
type limitedBody struct {
	io.ReadCloser
	info *Info
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			b.info.bodyTooLarge.Store(true)
		}
	}
	return n, err
}
