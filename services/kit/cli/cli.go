// Package cli is the shared main of the service binaries: load the
// configuration from the environment (printing the table for -h), build the
// logger, run until SIGINT/SIGTERM, exit non-zero on failure. The same
// binary answers `<binary> healthcheck` for container health checks.
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
//
// `<binary> healthcheck` instead asks the already running service whether it
// is healthy and exits 0 or 1 within [HealthTimeout]: see [ProbeFor].
func Main[C any](name string, cfg *C, runtime func(*C) config.Runtime, start func(context.Context, C, *zap.Logger) (Runnable, error)) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "-h", "--help", "help":
			fmt.Printf("%s: configured by environment variables\n\n%s", name, config.Table(config.Describe(cfg, "")))
			fmt.Printf("\n`%s healthcheck` exits 0 if the running service answers healthy, 1 if not.\n", name)
			return
		case "healthcheck":
			os.Exit(healthcheck(name, cfg))
		}
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
