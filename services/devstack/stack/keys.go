package stack

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cc4dr/coalition/services/kit/auth"
)

// devSigningKeyFile is the signing key's file in the data folder.
const devSigningKeyFile = "dev-signing.key"

// devSigningKey loads the launcher's token signing key from the data folder,
// creating it on first start. Production uses keys from a secret store or an
// OIDC issuer instead.
func devSigningKey(dataDir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(dataDir, devSigningKeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return auth.ParsePrivateKey(strings.TrimSpace(string(b)))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read dev signing key: %w", err)
	}
	key, err := auth.GenerateKey()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(auth.EncodePrivateKey(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write dev signing key: %w", err)
	}
	return key, nil
}
