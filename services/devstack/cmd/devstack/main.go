// Command devstack is `make run`: the whole platform in one process on
// embedded defaults (NATS with JetStream, the FerretDB store, an SMTP
// catcher, all five services, demo data). Configure it with COALITION_*
// variables (run with -h for the list); -reset clears the data folder first.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.uber.org/zap"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/devstack/stack"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/logging"
)

func main() {
	reset := flag.Bool("reset", false, "delete the data folder before starting")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: devstack [-reset]\n\nConfigured by environment variables:\n\n%s", config.Table(config.Describe(&stack.Config{}, stack.EnvPrefix)))
	}
	flag.Parse()
	if err := run(*reset); err != nil {
		fmt.Fprintf(os.Stderr, "devstack: %v\n", err)
		os.Exit(1)
	}
}

func run(reset bool) error {
	var cfg stack.Config
	if err := config.LoadWithPrefix(&cfg, stack.EnvPrefix); err != nil {
		return err
	}
	if reset {
		if err := os.RemoveAll(cfg.DataDir); err != nil {
			return fmt.Errorf("reset %s: %w", cfg.DataDir, err)
		}
	}
	log, err := logging.New(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := stack.Start(ctx, cfg, log)
	if err != nil {
		return err
	}
	tokenFile, err := writeCoordinatorToken(st, cfg.DataDir)
	if err != nil {
		log.Warn("coordinator token", zap.Error(err))
	}
	a := st.Addresses()
	fmt.Printf(`
  Cities Coalition for Digital Rights — running on embedded defaults

  Open:            %s
  Mail inbox:      %s
  JSON API:        %s/api/v1/   (OpenAPI: %s/api/v1/openapi.json)
  Health:          %s/healthz
%s
  gRPC  membership %s · petition %s · events %s · notification %s
  Store (MongoDB wire) %s
  NATS  %s   SMTP catcher %s
  Data  %s   (make reset clears it)
  Coordinator API token (24 h): %s

  Ctrl-C stops everything.

`, a.GatewayURL, a.MailURL, a.GatewayURL, a.GatewayURL, a.GatewayURL, consoleBanner(a.GatewayURL, st.ConsoleLogins()),
		a.Membership, a.Petition, a.Events, a.Notification, a.StoreURI, a.NATSURL, a.SMTPAddr, cfg.DataDir, tokenFile)
	return st.Run(ctx)
}

func writeCoordinatorToken(st *stack.Stack, dataDir string) (string, error) {
	tok, err := st.Token("dev-coordinator", optionsv1.Role_ROLE_COORDINATOR, 24*time.Hour)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dataDir, "coordinator.token")
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// consoleBanner tells where the console is and how to sign in to it.
func consoleBanner(gateway string, logins []stack.ConsoleLogin) string {
	if len(logins) == 0 {
		return ""
	}
	b := fmt.Sprintf("  Console:         %s/console/\n", gateway)
	for _, l := range logins {
		b += fmt.Sprintf("    %-15s %-28s password %s\n", l.Role, l.Username, l.Password)
	}
	return b
}
