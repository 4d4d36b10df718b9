// Package logging builds the zap loggers every service uses, bridges the
// standard library's slog into them (FerretDB and other libraries log through
// slog), and offers helpers that keep personal data out of logs.
package logging
