package logging

import (
	"context"
	"log/slog"
	"runtime"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Slog returns a *slog.Logger whose records are written by z, so libraries
// that log through slog (FerretDB) land in the same stream, format and level
// filter as the service's own logs. Wrap z with [AtLeast] to quiet them.
func Slog(z *zap.Logger) *slog.Logger {
	return slog.New(&zapHandler{z: z})
}

// zapHandler is a minimal slog.Handler forwarding to zap; it saves pulling in
// go.uber.org/zap/exp for one small type.
type zapHandler struct {
	z      *zap.Logger
	groups []string // open groups not yet turned into a zap namespace
}

func (h *zapHandler) Enabled(_ context.Context, l slog.Level) bool {
	return h.z.Core().Enabled(zapLevel(l))
}

func (h *zapHandler) Handle(_ context.Context, r slog.Record) error {
	ce := h.z.Check(zapLevel(r.Level), r.Message)
	if ce == nil {
		return nil
	}
	if !r.Time.IsZero() {
		ce.Time = r.Time
	}
	if r.PC != 0 {
		// Report the library's call site, not this adapter.
		f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
		ce.Caller = zapcore.NewEntryCaller(f.PC, f.File, f.Line, true)
	}
	fields := make([]zap.Field, 0, r.NumAttrs()+len(h.groups))
	for _, g := range h.groups {
		fields = append(fields, zap.Namespace(g))
	}
	r.Attrs(func(a slog.Attr) bool {
		fields = appendAttr(fields, a)
		return true
	})
	ce.Write(fields...)
	return nil
}

func (h *zapHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	fields := make([]zap.Field, 0, len(attrs)+len(h.groups))
	for _, g := range h.groups {
		fields = append(fields, zap.Namespace(g))
	}
	for _, a := range attrs {
		fields = appendAttr(fields, a)
	}
	return &zapHandler{z: h.z.With(fields...)}
}

func (h *zapHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	// Defer the namespace until something is logged in it: slog drops empty
	// groups, and an eager zap.Namespace would print them as {}.
	groups := append(append([]string(nil), h.groups...), name)
	return &zapHandler{z: h.z, groups: groups}
}

func appendAttr(fields []zap.Field, a slog.Attr) []zap.Field {
	v := a.Value.Resolve()
	if a.Key == "" && v.Kind() != slog.KindGroup {
		return fields // slog ignores empty attributes
	}
	switch v.Kind() {
	case slog.KindString:
		return append(fields, zap.String(a.Key, v.String()))
	case slog.KindInt64:
		return append(fields, zap.Int64(a.Key, v.Int64()))
	case slog.KindUint64:
		return append(fields, zap.Uint64(a.Key, v.Uint64()))
	case slog.KindFloat64:
		return append(fields, zap.Float64(a.Key, v.Float64()))
	case slog.KindBool:
		return append(fields, zap.Bool(a.Key, v.Bool()))
	case slog.KindDuration:
		return append(fields, zap.Duration(a.Key, v.Duration()))
	case slog.KindTime:
		return append(fields, zap.Time(a.Key, v.Time()))
	case slog.KindGroup:
		attrs := v.Group()
		if len(attrs) == 0 {
			return fields
		}
		if a.Key == "" { // inline group
			for _, ga := range attrs {
				fields = appendAttr(fields, ga)
			}
			return fields
		}
		return append(fields, zap.Object(a.Key, groupMarshaler(attrs)))
	default:
		if err, ok := v.Any().(error); ok {
			return append(fields, zap.NamedError(a.Key, err))
		}
		return append(fields, zap.Any(a.Key, v.Any()))
	}
}

// groupMarshaler encodes a slog group as a nested zap object.
type groupMarshaler []slog.Attr

func (g groupMarshaler) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	for _, a := range g {
		for _, f := range appendAttr(nil, a) {
			f.AddTo(enc)
		}
	}
	return nil
}

// zapLevel maps slog's open-ended levels onto zap's four.
func zapLevel(l slog.Level) zapcore.Level {
	switch {
	case l < slog.LevelInfo:
		return zapcore.DebugLevel
	case l < slog.LevelWarn:
		return zapcore.InfoLevel
	case l < slog.LevelError:
		return zapcore.WarnLevel
	default:
		return zapcore.ErrorLevel
	}
}
