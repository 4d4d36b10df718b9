// Command notification runs the notification service alone, configured by
// environment variables (run with -h for the list).
package main

import (
	"context"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/kit/cli"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/notification/service"
)

func main() {
	var cfg service.Config
	cli.Main(service.Name, &cfg, func(c *service.Config) config.Runtime { return c.Runtime },
		func(ctx context.Context, c service.Config, log *zap.Logger) (cli.Runnable, error) {
			return service.New(ctx, c, log)
		})
}
