package validate

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-shellwords"
	"golang.org/x/mod/modfile"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Cmd  string // upper case: FROM, RUN, ...
	Args string
}

// parseDockerfile is enough of the Dockerfile grammar for these checks:
// comments, line continuations, one instruction per logical line.
func parseDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

// goBuild is the `go build` a Dockerfile runs: its flags and package.
type goBuild struct {
	env   []string // KEY=VALUE before `go`
	flags []string // without -o and its value
	out   string
	pkg   string
}

func parseGoBuild(run string) (goBuild, error) {
	words, err := shellwords.Parse(run)
	if err != nil {
		return goBuild{}, err
	}
	i := slices.Index(words, "go")
	if i < 0 || i+1 >= len(words) || words[i+1] != "build" {
		return goBuild{}, errors.New("no go build")
	}
	var b goBuild
	for _, w := range words[:i] {
		if strings.Contains(w, "=") && !strings.HasPrefix(w, "-") {
			b.env = append(b.env, w)
		}
	}
	args := words[i+2:]
	for j := 0; j < len(args); j++ {
		switch {
		case args[j] == "-o" && j+1 < len(args):
			b.out = args[j+1]
			j++
		case strings.HasPrefix(args[j], "-"):
			b.flags = append(b.flags, args[j])
		case b.pkg == "":
			b.pkg = args[j]
		default:
			return goBuild{}, errors.New("more than one package: " + run)
		}
	}
	return b, nil
}

func TestDockerfiles(t *testing.T) {
	root := repoRoot(t)
	uses := workspaceModules(t)
	var firstFlags []string
	for _, name := range allServices {
		t.Run(name, func(t *testing.T) {
			ins := parseDockerfile(t, filepath.Join(root, "services", name, "Dockerfile"))
			var (
				stages   []string
				user     string // USER of the last stage
				build    *goBuild
				copied   []string
				health   string
				entry    string
				finalBin string
			)
			for _, in := range ins {
				switch in.Cmd {
				case "FROM":
					f := strings.Fields(in.Args)
					if !slices.Contains(stages, f[0]) {
						if err := checkImageTag(f[0]); err != nil {
							t.Errorf("FROM: %v", err)
						}
					}
					if len(f) == 3 && strings.EqualFold(f[1], "AS") {
						stages = append(stages, f[2])
					} else {
						stages = append(stages, "")
					}
					user = ""
				case "USER":
					user = in.Args
				case "RUN":
					if strings.Contains(in.Args, "go build") {
						b, err := parseGoBuild(in.Args)
						if err != nil {
							t.Fatalf("RUN %s: %v", in.Args, err)
						}
						build = &b
					}
				case "COPY":
					f := strings.Fields(in.Args)
					if strings.HasPrefix(f[0], "--from=") {
						finalBin = f[len(f)-1]
						continue
					}
					copied = append(copied, f[:len(f)-1]...)
				case "HEALTHCHECK":
					health = in.Args
				case "ENTRYPOINT":
					entry = in.Args
				}
			}
			if len(stages) < 2 {
				t.Error("not a multi-stage build")
			}
			if uid, _, _ := strings.Cut(user, ":"); uid == "" || uid == "0" || uid == "root" {
				t.Errorf("final stage USER %q: want a non-root user", user)
			} else if strings.Trim(uid, "0123456789") != "" {
				t.Errorf("USER %q: use a numeric uid so Kubernetes' runAsNonRoot can verify it", user)
			}
			if build == nil {
				t.Fatal("no RUN go build")
			}
			if want := "./services/" + name + "/cmd/" + name; build.pkg != want {
				t.Errorf("go build %s, want %s", build.pkg, want)
			}
			if !slices.Contains(build.env, "CGO_ENABLED=0") {
				t.Error("go build without CGO_ENABLED=0: the distroless static image has no libc")
			}
			if !slices.Contains(build.flags, "-trimpath") {
				t.Error("go build without -trimpath")
			}
			if firstFlags == nil {
				firstFlags = build.flags
			} else if !slices.Equal(firstFlags, build.flags) {
				t.Errorf("go build flags %v differ from the other services' %v", build.flags, firstFlags)
			}
			// The workspace loads only if every module go.work names is there.
			for _, use := range uses {
				if !slices.ContainsFunc(copied, func(src string) bool {
					src = strings.TrimSuffix(src, "/")
					return src == "." || src == use || strings.HasPrefix(use, src+"/") || src == use+"/go.mod"
				}) {
					t.Errorf("go.work uses %s, which no COPY brings into the build", use)
				}
			}
			if !strings.HasSuffix(finalBin, "/"+name) || !strings.Contains(entry, finalBin) {
				t.Errorf("ENTRYPOINT %s does not run the copied binary %s", entry, finalBin)
			}
			if !strings.Contains(health, finalBin) || !strings.Contains(health, "healthcheck") {
				t.Errorf("HEALTHCHECK %q: want %s healthcheck", health, finalBin)
			}
		})
	}
}

// workspaceModules are go.work's use directories, relative to the root.
func workspaceModules(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	wf, err := modfile.ParseWork("go.work", raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, u := range wf.Use {
		dirs = append(dirs, filepath.Clean(u.Path))
	}
	return dirs
}

// TestDockerfileBuildsAndHealthcheck runs the Dockerfiles' own go build (one
// invocation for all five, same flags and environment), then asks each
// binary to health-check a port nothing listens on (it must say unhealthy,
// quickly), and checks that every variable compose and Kubernetes set is
// one the binary reads (its -h table). Proves the images' build step, their
// health check and their configuration without Docker.
func TestDockerfileBuildsAndHealthcheck(t *testing.T) {
	root := repoRoot(t)
	ins := parseDockerfile(t, filepath.Join(root, "services", "petition", "Dockerfile"))
	var build goBuild
	for _, in := range ins {
		if in.Cmd == "RUN" && strings.Contains(in.Args, "go build") {
			var err error
			if build, err = parseGoBuild(in.Args); err != nil {
				t.Fatal(err)
			}
		}
	}
	bin := t.TempDir()
	args := append(append([]string{"build"}, build.flags...), "-o", bin+string(filepath.Separator))
	for _, name := range allServices {
		args = append(args, "./services/"+name+"/cmd/"+name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), build.env...)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("go %s: %v", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))

	var wg sync.WaitGroup
	for _, name := range allServices {
		path := filepath.Join(bin, name)
		if f, err := elf.Open(path); err != nil {
			t.Errorf("%s: %v", name, err)
		} else {
			libs, _ := f.ImportedLibraries()
			if len(libs) > 0 || slices.ContainsFunc(f.Progs, func(p *elf.Prog) bool { return p.Type == elf.PT_INTERP }) {
				t.Errorf("%s is dynamically linked (%v): it would not start on distroless/static", name, libs)
			}
			_ = f.Close()
		}
		wg.Go(func() {
			addrVar := "GRPC_ADDR"
			if name == "gateway" {
				addrVar = "HTTP_ADDR"
			}
			hc := exec.Command(path, "healthcheck")
			hc.Env = []string{addrVar + "=" + freeAddr(t)}
			start := time.Now()
			out, err := hc.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("%s healthcheck with nothing listening: %v, want exit status 1\n%s", name, err, out)
			}
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("%s healthcheck took %v", name, d)
			}
		})
	}
	wg.Wait()

	t.Run("variables", func(t *testing.T) {
		declared := map[string][]string{}
		for _, name := range allServices {
			out, err := exec.Command(filepath.Join(bin, name), "-h").Output()
			if err != nil {
				t.Fatalf("%s -h: %v", name, err)
			}
			for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z0-9_]+)` \\|").FindAllStringSubmatch(string(out), -1) {
				declared[name] = append(declared[name], m[1])
			}
		}
		project := loadCompose(t)
		for _, name := range allServices {
			for v := range project.Services[name].Environment {
				if !slices.Contains(declared[name], v) {
					t.Errorf("docker-compose.yml sets %s for %s, which does not read it", v, name)
				}
			}
		}
		objs := render(t, "overlays/production")
		configMaps := map[string]map[string]any{}
		for _, cm := range objs["ConfigMap"] {
			configMaps[str(cm, "metadata", "name")] = asMap(cm["data"])
		}
		for _, d := range objs["Deployment"] {
			name := str(d, "metadata", "name")
			for _, c := range asSlice(get(d, "spec", "template", "spec", "containers")) {
				var vars []string
				for _, e := range asSlice(asMap(c)["env"]) {
					vars = append(vars, str(asMap(e), "name"))
				}
				for _, from := range asSlice(asMap(c)["envFrom"]) {
					for k := range configMaps[str(asMap(from), "configMapRef", "name")] {
						vars = append(vars, k)
					}
				}
				for _, v := range vars {
					if !slices.Contains(declared[name], v) {
						t.Errorf("Kubernetes sets %s for %s, which does not read it", v, name)
					}
				}
			}
		}
	})
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Error(err)
		return "127.0.0.1:1"
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// The build context is the whole repository: secrets and local data must
// stay out of it (and so out of every image layer and build cache).
func TestDockerignoreKeepsSecretsOut(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	for _, want := range []string{".git", ".data", ".env", ".bin"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}
