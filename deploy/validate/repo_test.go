package validate

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// services are the five binaries; domain services have a gRPC port, the
// gateway an HTTP one.
var (
	domainServices = []string{"membership", "petition", "events", "notification"}
	allServices    = append(append([]string{}, domainServices...), "gateway")
	ports          = map[string]int{"membership": 9081, "petition": 9082, "events": 9083, "notification": 9084, "gateway": 8080}
)

// repoRoot is the directory holding go.work.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.work not found above the working directory")
		}
		dir = parent
	}
}

// envExample reads .env.example into KEY=VALUE pairs (quotes removed, as
// compose does).
func envExample(t testing.TB) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf(".env.example: not KEY=VALUE: %q", line)
		}
		env[k] = strings.Trim(v, `"`)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return env
}
