package logging

import (
	"fmt"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a logger at level (debug, info, warn, error) with format "json"
// (production encoder, ISO8601 time) or "console" (human-readable, for dev).
func New(level, format string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(strings.TrimSpace(level))
	if err != nil {
		return nil, fmt.Errorf("logging: level %q: %w", level, err)
	}

	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	// Sampling drops repeated lines, which is exactly what hides a retry loop
	// during an incident; volume is low enough to keep every line.
	cfg.Sampling = nil

	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "json":
		cfg.Encoding = "json"
	case "console":
		cfg.Encoding = "console"
		cfg.EncoderConfig.EncodeLevel = zapcore.CapitalLevelEncoder
		cfg.EncoderConfig.EncodeDuration = zapcore.StringDurationEncoder
	default:
		return nil, fmt.Errorf("logging: format %q: want json or console", format)
	}

	z, err := cfg.Build()
	if err != nil {
		return nil, fmt.Errorf("logging: build logger: %w", err)
	}
	return z, nil
}

// AtLeast returns z raised to min, for chatty libraries (FerretDB, the NATS
// server) whose info lines would drown ours. Unlike zap.IncreaseLevel it never
// lowers a level and never complains when z is already stricter.
func AtLeast(z *zap.Logger, min zapcore.Level) *zap.Logger {
	if zapcore.LevelOf(z.Core()) >= min {
		return z
	}
	return z.WithOptions(zap.IncreaseLevel(min))
}
