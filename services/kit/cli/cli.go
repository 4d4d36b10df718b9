// Package cli is the shared main of the service binaries: load the
// configuration from the environment (printing the table for -h), build the
// logger, run until SIGINT/SIGTERM, exit non-zero on failure.
package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/logging"
)

// Runnable is a started service.
type Runnable interface {
	Run(ctx context.Context) error
}

// Main loads cfg (a pointer to a service's config struct) from the
// environment and runs the service that start builds from it.
func Main[C any](name string, cfg *C, runtime func(*C) config.Runtime, start func(context.Context, C, *zap.Logger) (Runnable, error)) {
	if len(os.Args) > 1 && (os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help") {
		fmt.Printf("%s: configured by environment variables\n\n%s", name, config.Table(config.Describe(cfg, "")))
		return
	}
	if err := config.Load(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(2)
	}
	c := runtime(cfg)
	log, err := logging.New(c.LogLevel, c.LogFormat)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(2)
	}
	defer func() { _ = log.Sync() }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	svc, err := start(ctx, *cfg, log)
	if err != nil {
		log.Error("start failed", zap.Error(err))
		os.Exit(1)
	}
	if err := svc.Run(ctx); err != nil {
		log.Error("stopped with error", zap.Error(err))
		os.Exit(1)
	}
}
