package validate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadCompose loads docker-compose.yml as `docker compose` would with a
// .env made from .env.example (and nothing from this process's environment).
func loadCompose(t *testing.T) *types.Project {
	t.Helper()
	root := repoRoot(t)
	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(root, "docker-compose.yml")},
		cli.WithWorkingDirectory(root),
		cli.WithEnvFiles(filepath.Join(root, ".env.example")),
		cli.WithDotEnv,
	)
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	return project
}

func TestComposeRunsEveryServiceFromItsOwnDockerfile(t *testing.T) {
	project := loadCompose(t)
	root := repoRoot(t)
	for _, name := range allServices {
		svc, ok := project.Services[name]
		if !ok {
			t.Errorf("service %s missing", name)
			continue
		}
		if svc.Build == nil {
			t.Errorf("%s: no build section", name)
			continue
		}
		if svc.Build.Context != root {
			t.Errorf("%s: build context %s, want the repository root (go.work)", name, svc.Build.Context)
		}
		if want := filepath.Join("services", name, "Dockerfile"); svc.Build.Dockerfile != want {
			t.Errorf("%s: dockerfile %s, want %s", name, svc.Build.Dockerfile, want)
		}
		if _, err := os.Stat(filepath.Join(svc.Build.Context, svc.Build.Dockerfile)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "deploy/docker/service.Dockerfile")); err == nil {
		t.Error("deploy/docker/service.Dockerfile is back: each service has its own Dockerfile")
	}
}

func TestComposeServicesAreHealthCheckedRestartedAndOrdered(t *testing.T) {
	project := loadCompose(t)
	oneShot := map[string]bool{} // init containers: run to completion, no health
	for _, svc := range project.Services {
		for dep, d := range svc.DependsOn {
			if d.Condition == types.ServiceConditionCompletedSuccessfully {
				oneShot[dep] = true
			}
		}
	}
	for name, svc := range project.Services {
		if svc.Restart == "" {
			t.Errorf("%s: no restart policy", name)
		}
		if oneShot[name] {
			if svc.Restart != types.RestartPolicyNo {
				t.Errorf("%s: a one-shot init container must not restart (restart: %q)", name, svc.Restart)
			}
			continue
		}
		if svc.HealthCheck == nil || svc.HealthCheck.Disable || len(svc.HealthCheck.Test) == 0 {
			t.Errorf("%s: no health check", name)
		}
		for dep, d := range svc.DependsOn {
			target := project.Services[dep]
			if target.HealthCheck != nil && !target.HealthCheck.Disable && d.Condition != types.ServiceConditionHealthy {
				t.Errorf("%s depends on %s with %q: it has a health check, wait for service_healthy", name, dep, d.Condition)
			}
		}
	}
	// The distroless images have no shell: the binary checks itself.
	for _, name := range allServices {
		hc := project.Services[name].HealthCheck
		want := []string{"CMD", "/usr/local/bin/" + name, "healthcheck"}
		if hc == nil || !slices.Equal(hc.Test, want) {
			t.Errorf("%s: health check %v, want %v", name, hc, want)
		}
	}
	// The gateway comes up after what it calls; the domain services after
	// their store and broker.
	for _, name := range domainServices {
		for _, dep := range []string{"mongo", "nats"} {
			if _, ok := project.Services[name].DependsOn[dep]; !ok {
				t.Errorf("%s does not depend on %s", name, dep)
			}
		}
		if _, ok := project.Services["gateway"].DependsOn[name]; !ok {
			t.Errorf("gateway does not depend on %s", name)
		}
	}
}

func TestComposeImagesAreTaggedAndMountsExist(t *testing.T) {
	project := loadCompose(t)
	for name, svc := range project.Services {
		if err := checkImageTag(svc.Image); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, v := range svc.Volumes {
			switch v.Type {
			case types.VolumeTypeBind:
				if _, err := os.Stat(v.Source); err != nil {
					t.Errorf("%s: bind mount source: %v", name, err)
				}
				if !v.ReadOnly {
					t.Errorf("%s: bind mount %s should be read-only", name, v.Target)
				}
			case types.VolumeTypeVolume:
				if _, ok := project.Volumes[v.Source]; !ok {
					t.Errorf("%s: volume %q is not declared", name, v.Source)
				}
			}
		}
		for _, p := range svc.Ports {
			if p.HostIP != "127.0.0.1" {
				t.Errorf("%s: port %d is published on %q; publish on 127.0.0.1 behind a reverse proxy", name, p.Target, p.HostIP)
			}
		}
	}
	for _, name := range []string{"mongo", "nats"} {
		if len(project.Services[name].Volumes) == 0 {
			t.Errorf("%s keeps its data in the container: give it a volume", name)
		}
	}
}

func TestComposeCredentialsAndAuthentication(t *testing.T) {
	project := loadCompose(t)
	env := envExample(t)
	mongo := project.Services["mongo"]
	if !slices.Contains(mongo.Command, "--keyFile") || !slices.Contains(mongo.Command, "--replSet") {
		t.Errorf("mongo must run as a replica set with a key file (auth on): %v", mongo.Command)
	}
	if v := mongo.Environment["MONGO_INITDB_ROOT_PASSWORD"]; v == nil || *v == "" {
		t.Error("mongo has no root password: authentication would be off")
	}
	for _, name := range domainServices {
		e := project.Services[name].Environment
		wantMongo := "mongodb://" + name + ":" + env[strings.ToUpper(name)+"_MONGO_PASSWORD"] + "@mongo:27017/" + name + "?replicaSet=rs0&authSource=" + name
		if got := deref(e["MONGO_URI"]); got != wantMongo {
			t.Errorf("%s MONGO_URI = %q, want its own user on its own database", name, got)
		}
		wantNATS := "nats://" + name + ":" + env[strings.ToUpper(name)+"_NATS_PASSWORD"] + "@nats:4222"
		if got := deref(e["NATS_URL"]); got != wantNATS {
			t.Errorf("%s NATS_URL = %q, want its own NATS user", name, got)
		}
		if deref(e["STREAM_REPLICAS"]) != "1" {
			t.Errorf("%s: a single NATS node holds one replica", name)
		}
	}
}

// Every variable docker-compose.yml reads is documented in .env.example, and
// .env.example documents nothing compose ignores.
func TestEnvExampleDocumentsEveryVariable(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{([A-Z0-9_]+)`).FindAllStringSubmatch(string(raw), -1) {
		used[m[1]] = true
	}
	env := envExample(t)
	for name := range used {
		if _, ok := env[name]; !ok {
			t.Errorf("docker-compose.yml uses ${%s}; document it in .env.example", name)
		}
	}
	for name, value := range env {
		if !used[name] {
			t.Errorf(".env.example has %s, which docker-compose.yml does not use", name)
		}
		// Example secrets must look like examples, so that nobody runs them.
		if (strings.HasSuffix(name, "_PASSWORD") || strings.HasSuffix(name, "_SALT") || strings.HasSuffix(name, "_TOKEN")) && value != "" && !strings.HasPrefix(value, "EXAMPLE-") {
			t.Errorf(".env.example: %s must be marked as an EXAMPLE value", name)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkImageTag refuses an image without an explicit tag, or tagged latest.
func checkImageTag(image string) error {
	if image == "" {
		return fmt.Errorf("no image name")
	}
	if strings.Contains(image, "@sha256:") {
		return nil
	}
	ref := image[strings.LastIndex(image, "/")+1:]
	_, tag, ok := strings.Cut(ref, ":")
	switch {
	case !ok || tag == "":
		return fmt.Errorf("image %q has no tag", image)
	case tag == "latest":
		return fmt.Errorf("image %q is tagged latest", image)
	}
	return nil
}
