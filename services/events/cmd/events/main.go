// Command events runs the events service alone, configured by environment
// variables (run with -h for the list).
package main

import (
	"context"
	_ "time/tzdata" // IANA zones even in minimal containers without /usr/share/zoneinfo

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/cli"
	"github.com/cc4dr/coalition/services/kit/config"
)

func main() {
	var cfg service.Config
	cli.Main(service.Name, &cfg, func(c *service.Config) config.Runtime { return c.Runtime },
		func(ctx context.Context, c service.Config, log *zap.Logger) (cli.Runnable, error) {
			return service.New(ctx, c, log)
		})
}
