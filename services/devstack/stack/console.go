package stack

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	gatewaysvc "github.com/cc4dr/coalition/services/gateway/service"
)

// ConsoleLogin is a demonstration account of the coordinator console.
type ConsoleLogin struct {
	Username, Password, Role string
}

// The demonstration console accounts: a coordinator, and the (fictional)
// political representative of Porto from the demo register, who can sign
// in once the demo data is loaded.
const (
	DemoCoordinator    = "coordinator@example.org"
	DemoRepresentative = "porto.political@example.org"
)

// seedConsole writes the console's demo accounts file and points the
// gateway at it and at the launcher's signing key (the services already
// trust it). The demo password is made once per data folder and kept
// there, so it survives restarts. Variables set for the gateway
// (GATEWAY_CONSOLE_ACCOUNTS_FILE, GATEWAY_CONSOLE_SIGNING_KEY_FILE) win.
func (s *Stack) seedConsole(gcfg *gatewaysvc.Config) error {
	if gcfg.Console.SigningKeyFile == "" {
		gcfg.Console.SigningKeyFile = filepath.Join(s.cfg.DataDir, devSigningKeyFile)
	}
	if gcfg.Console.AccountsFile != "" {
		return nil
	}
	password, err := demoPassword(filepath.Join(s.cfg.DataDir, "console-demo-password"))
	if err != nil {
		return err
	}
	path := filepath.Join(s.cfg.DataDir, "console-accounts.json")
	err = gatewaysvc.WriteConsoleAccounts(path, []gatewaysvc.ConsoleAccount{
		{Username: DemoCoordinator, Name: "Demo Coordinator (fictional)", Role: "coordinator", Password: password},
		{Username: DemoRepresentative, Role: "representative", Password: password},
	})
	if err != nil {
		return fmt.Errorf("console accounts: %w", err)
	}
	gcfg.Console.AccountsFile = path
	s.console = []ConsoleLogin{
		{Username: DemoCoordinator, Password: password, Role: "coordinator"},
		{Username: DemoRepresentative, Password: password, Role: "representative"},
	}
	return nil
}

// ConsoleLogins are the console's demonstration accounts (none when the
// accounts file came from GATEWAY_CONSOLE_ACCOUNTS_FILE).
func (s *Stack) ConsoleLogins() []ConsoleLogin { return append([]ConsoleLogin(nil), s.console...) }

// demoPassword reads the demo password kept at path, making a random one
// on first start.
func demoPassword(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 12 {
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("console demo password: %w", err)
	}
	pw := strings.ToLower(rand.Text()) // 26 characters, 128 random bits
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("console demo password: %w", err)
	}
	return pw, nil
}
