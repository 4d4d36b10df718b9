package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cc4dr/coalition/services/kit/config"
)

// HealthTimeout bounds `<binary> healthcheck`: container runtimes kill a
// check that hangs, and a hung check says nothing about why.
const HealthTimeout = 3 * time.Second

// Probe is what `<binary> healthcheck` asks of the running service. It
// exists because distroless images have no shell, curl or grpc_health_probe:
// the service binary is the only program in the image.
type Probe struct {
	// GRPC is a gRPC address whose health service must answer SERVING.
	GRPC string
	// HTTP is a base URL whose /livez must answer 2xx (the gateway).
	HTTP string
}

// ProbeFor derives the probe from a service's config struct: a service that
// declares GRPC_ADDR is checked over the gRPC health protocol, one that
// declares HTTP_ADDR (the gateway) with GET /livez. The listen address comes
// from the environment as the service itself reads it (or the field's
// default), and is dialled on loopback: the check runs inside the container.
func ProbeFor(cfg any) (Probe, error) {
	for _, v := range config.Describe(cfg, "") {
		if v.Name != "GRPC_ADDR" && v.Name != "HTTP_ADDR" {
			continue
		}
		listen, ok := os.LookupEnv(v.Name)
		if !ok {
			listen = v.Default
		}
		addr, err := loopback(listen)
		if err != nil {
			return Probe{}, fmt.Errorf("%s: %w", v.Name, err)
		}
		if v.Name == "GRPC_ADDR" {
			return Probe{GRPC: addr}, nil
		}
		return Probe{HTTP: "http://" + addr}, nil
	}
	return Probe{}, errors.New("the config declares neither GRPC_ADDR nor HTTP_ADDR")
}

// loopback turns a listen address (":9082", "0.0.0.0:9082", "[::]:8080") into
// one to dial from inside the same container; a specific host is kept.
func loopback(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", err
	}
	if port == "" || port == "0" {
		return "", fmt.Errorf("no fixed port in %q", listen)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Check returns nil when the service answers healthy before ctx ends.
func (p Probe) Check(ctx context.Context) error {
	switch {
	case p.GRPC != "":
		return checkGRPC(ctx, p.GRPC)
	case p.HTTP != "":
		return checkHTTP(ctx, p.HTTP+"/livez")
	}
	return errors.New("empty probe")
}

func checkGRPC(ctx context.Context, addr string) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	// The empty service name is the server as a whole: what the gRPC
	// server bootstrap sets, and what Kubernetes' native gRPC probe asks.
	// No WaitForReady: a refused connection should fail now, not at the
	// deadline.
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return fmt.Errorf("grpc health %s: %w", addr, err)
	}
	if s := resp.GetStatus(); s != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("grpc health %s: %s", addr, s)
	}
	return nil
}

func checkHTTP(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// healthcheck runs the probe for `<binary> healthcheck` and returns the exit
// code: 0 healthy, 1 not (the reason on stderr).
func healthcheck(name string, cfg any) int {
	probe, err := ProbeFor(cfg)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), HealthTimeout)
		defer cancel()
		err = probe.Check(ctx)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s healthcheck: %v\n", name, err)
		return 1
	}
	return 0
}
