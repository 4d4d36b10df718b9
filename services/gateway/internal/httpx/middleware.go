package httpx

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Options configures [Wrap].
type Options struct {
	Log *zap.Logger
	// MaxBodyBytes bounds every request body.
	MaxBodyBytes int64
	// TooLarge answers a request whose declared length is over the limit
	// (413), in the format the route speaks (JSON for the API, HTML for pages).
	TooLarge func(w http.ResponseWriter, r *http.Request)
	// Quiet lists route patterns logged at debug level only (probes, static
	// files), whatever their status.
	Quiet map[string]bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For gives
	// the client's address (see realClient); none: the peer is the client.
	TrustedProxies []netip.Prefix
}

// Wrap puts the gateway's middleware around h: access log and panic
// recovery, security headers, the body limit, the client's address
// behind trusted proxies. h should be wrapped in
// [Route] so the access log knows the route pattern.
func Wrap(h http.Handler, o Options) http.Handler {
	return accessLog(securityHeaders(limitBody(realClient(h, o.TrustedProxies), o)), o)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func limitBody(next http.Handler, o Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.MaxBodyBytes > 0 && r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > o.MaxBodyBytes {
				if info := InfoFrom(r.Context()); info != nil {
					info.bodyTooLarge.Store(true)
				}
				w.Header().Set("Connection", "close")
				if o.TooLarge != nil {
					o.TooLarge(w, r)
				} else {
					http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
				}
				return
			}
			r.Body = &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, o.MaxBodyBytes), info: InfoFrom(r.Context())}
		}
		next.ServeHTTP(w, r)
	})
}

// accessLog logs method, route pattern, status, size and duration of each
// request. Never the path's query (confirmation tokens travel there), never
// a body, never a header.
func accessLog(next http.Handler, o Options) http.Handler {
	log := o.Log
	if log == nil {
		log = zap.NewNop()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &Info{}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		rec := &recorder{ResponseWriter: w}
		defer func() {
			p := recover()
			if p != nil && !rec.wroteHeader {
				rec.Header().Set("Content-Type", "text/plain; charset=utf-8")
				rec.WriteHeader(http.StatusInternalServerError)
				_, _ = rec.Write([]byte("internal error\n"))
			}
			pattern := info.Pattern()
			if pattern == "" {
				pattern = "-"
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			fields := []zap.Field{
				zap.String("method", r.Method),
				zap.String("pattern", pattern),
				zap.Int("status", status),
				zap.Int64("bytes", rec.bytes),
				zap.Duration("duration", time.Since(start)),
			}
			lvl := zapcore.InfoLevel
			switch {
			case p != nil:
				lvl = zapcore.ErrorLevel
				fields = append(fields, zap.Any("panic", p))
			case o.Quiet[pattern]:
				// Probes repeat every few seconds; their 503s say nothing new.
				lvl = zapcore.DebugLevel
			case status >= 500:
				lvl = zapcore.WarnLevel
			}
			log.Log(lvl, "http request", fields...)
			if p == http.ErrAbortHandler {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder notes the status and size of a response and, just before the
// header goes out, adds the default Content-Security-Policy unless the
// handler chose its own (the mail catcher's message view does).
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (w *recorder) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.wroteHeader = true
	w.status = code
	if w.Header().Get("Content-Security-Policy") == "" {
		w.Header().Set("Content-Security-Policy", CSP)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush passes through so streamed responses keep working.
func (w *recorder) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack passes through for completeness.
func (w *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("hijack not supported")
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
