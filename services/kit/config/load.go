package config

import (
	"fmt"

	"github.com/caarlos0/env/v11"
)

// Load fills cfg (a pointer to a struct) from environment variables.
func Load(cfg any) error {
	return LoadWithPrefix(cfg, "")
}

// LoadWithPrefix is Load with every variable name prefixed, e.g. "PETITION_",
// so several services can share one environment (the dev launcher does).
//
// The returned error lists every missing or invalid variable at once, so an
// operator fixes the deployment in one round rather than one variable a time.
func LoadWithPrefix(cfg any, prefix string) error {
	if err := env.ParseWithOptions(cfg, env.Options{Prefix: prefix}); err != nil {
		if prefix != "" {
			return fmt.Errorf("load config (prefix %q): %w", prefix, err)
		}
		return fmt.Errorf("load config: %w", err)
	}
	return nil
}
