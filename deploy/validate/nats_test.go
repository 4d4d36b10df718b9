package validate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.yaml.in/yaml/v3"

	"github.com/cc4dr/coalition/services/kit/broker"
)

// startComposeNATS runs deploy/nats/nats.conf in process, with the
// passwords from .env.example in the environment (as compose passes them)
// and only the ports and store moved for the test.
func startComposeNATS(t *testing.T) (*server.Server, map[string]string) {
	t.Helper()
	env := envExample(t)
	passwords := map[string]string{}
	for _, s := range domainServices {
		v := strings.ToUpper(s) + "_NATS_PASSWORD"
		t.Setenv(v, env[v])
		passwords[s] = env[v]
	}
	opts, err := server.ProcessConfigFile(filepath.Join(repoRoot(t), "deploy", "nats", "nats.conf"))
	if err != nil {
		t.Fatalf("nats.conf: %v", err)
	}
	if opts.JetStream != true || opts.SyncAlways != true {
		t.Errorf("nats.conf: JetStream %v, sync always %v; want both (single node, DESIGN.md)", opts.JetStream, opts.SyncAlways)
	}
	opts.Host, opts.Port, opts.HTTPPort = "127.0.0.1", -1, 0
	opts.StoreDir = t.TempDir()
	opts.NoLog, opts.NoSigs = true, true
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats did not start")
	}
	t.Cleanup(ns.Shutdown)
	return ns, passwords
}

// eventually polls cond for up to 3 s.
func eventually(t *testing.T, cond func() bool, what string, args ...any) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Errorf("never saw "+what, args...)
}

func userURL(ns *server.Server, user, password string) string {
	return strings.Replace(ns.ClientURL(), "nats://", "nats://"+user+":"+password+"@", 1)
}

// TestNATSPermissionsAllowWhatServicesDo drives the kit's own broker code
// (stream provisioning, publish with ack, a durable pull consumer on another
// service's stream, ack) as each service's user.
func TestNATSPermissionsAllowWhatServicesDo(t *testing.T) {
	ns, passwords := startComposeNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	js := map[string]jetstream.JetStream{}
	for _, s := range domainServices {
		nc, j, err := broker.Connect(broker.ConnectOptions{URL: userURL(ns, s, passwords[s]), Name: s})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		js[s] = j
		// Twice: the second start of a service updates its stream.
		for range 2 {
			if err := broker.EnsureStream(ctx, j, broker.StreamConfig(s, broker.StreamOptions{Replicas: 1})); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		// As the outbox relay publishes: CloudEvents headers, Nats-Msg-Id.
		ev := broker.Event{ID: s + "-1", Type: s + ".test.happened", Source: s, Subject: s + ".test.happened", Time: time.Now(), Data: []byte("x")}
		if _, err := j.PublishMsg(ctx, ev.Msg()); err != nil {
			t.Fatalf("%s publishes its own event: %v", s, err)
		}
	}

	// Every service may consume every other's stream (notification reads
	// petition's, petition reads membership's, ...).
	for _, consumer := range domainServices {
		for _, producer := range domainServices {
			got := make(chan broker.Event, 1)
			cctx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			durable := consumer + "-validate-" + producer
			go func() {
				done <- broker.Consume(cctx, js[consumer], broker.ConsumerConfig{
					Stream: broker.StreamName(producer), Durable: durable,
					FilterSubjects: []string{producer + ".test.>"}, AckWait: 5 * time.Second,
				}, func(_ context.Context, ev broker.Event) error {
					select {
					case got <- ev:
					default:
					}
					return nil
				}, nil, nil)
			}()
			select {
			case ev := <-got:
				if ev.Subject != producer+".test.happened" {
					t.Errorf("%s got %s", consumer, ev.Subject)
				}
			case <-time.After(3 * time.Second):
				t.Errorf("%s could not consume %s's events", consumer, producer)
			}
			stop()
			if err := <-done; err != nil {
				t.Errorf("%s consuming %s: %v", consumer, producer, err)
			}
			// The handler's success was acknowledged ($JS.ACK).
			eventually(t, func() bool {
				c, err := js[consumer].Consumer(ctx, broker.StreamName(producer), durable)
				if err != nil {
					t.Fatalf("%s: consumer info: %v", consumer, err)
				}
				info := c.CachedInfo()
				return info.NumAckPending == 0 && info.AckFloor.Consumer == 1
			}, "%s's ack of %s's event", consumer, producer)
		}
	}
}

// TestNATSPermissionsRefuseTheRest: a service cannot speak for another, nor
// delete or purge a stream, nor delete a consumer, nor listen to raw subjects.
func TestNATSPermissionsRefuseTheRest(t *testing.T) {
	ns, passwords := startComposeNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// The petition stream exists, made by its owner.
	_, pjs, err := broker.Connect(broker.ConnectOptions{URL: userURL(ns, "petition", passwords["petition"]), Name: "petition"})
	if err != nil {
		t.Fatal(err)
	}
	if err := broker.EnsureStream(ctx, pjs, broker.StreamConfig("petition", broker.StreamOptions{Replicas: 1})); err != nil {
		t.Fatal(err)
	}

	violations := make(chan string, 64)
	nc, err := nats.Connect(userURL(ns, "notification", passwords["notification"]),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			select {
			case violations <- err.Error():
			default:
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	// Each attempt must fail (the server drops it, so it times out) and the
	// server must report a permissions violation for its subject.
	attempts := map[string]func(context.Context) error{
		`Publish to "petition.signature.confirmed"`: func(ctx context.Context) error {
			_, err := js.Publish(ctx, "petition.signature.confirmed", []byte("forged"))
			return err
		},
		`Publish to "$JS.API.STREAM.DELETE.PETITION"`: func(ctx context.Context) error { return js.DeleteStream(ctx, "PETITION") },
		`Publish to "$JS.API.STREAM.PURGE.PETITION"`: func(ctx context.Context) error {
			_, err := nc.RequestWithContext(ctx, "$JS.API.STREAM.PURGE.PETITION", nil)
			return err
		},
		`Publish to "$JS.API.CONSUMER.DELETE.PETITION.notification-petition-mail"`: func(ctx context.Context) error {
			return js.DeleteConsumer(ctx, "PETITION", "notification-petition-mail")
		},
		`Publish to "$JS.API.STREAM.CREATE.ROGUE"`: func(ctx context.Context) error {
			_, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "ROGUE", Subjects: []string{"rogue.>"}})
			return err
		},
		`Subscription to "petition.>"`: func(context.Context) error {
			if _, err := nc.SubscribeSync("petition.>"); err != nil {
				return err
			}
			_ = nc.Flush()
			return errors.New("subscribing is refused asynchronously")
		},
	}
	for what, attempt := range attempts {
		actx, stop := context.WithTimeout(ctx, 300*time.Millisecond)
		if err := attempt(actx); err == nil {
			t.Errorf("allowed: %s", what)
		}
		stop()
	}
	var seen []string
	for deadline := time.After(2 * time.Second); len(seen) < len(attempts); {
		select {
		case v := <-violations:
			seen = append(seen, v)
			continue
		case <-deadline:
		}
		break
	}
	for what := range attempts {
		if !slices.ContainsFunc(seen, func(v string) bool { return strings.Contains(v, what) }) {
			t.Errorf("no permissions violation for %s; got:\n%s", what, strings.Join(seen, "\n"))
		}
	}
	if ok, err := streamExists(ctx, pjs, "PETITION"); !ok || err != nil {
		t.Errorf("PETITION stream gone: %v", err)
	}
}

func streamExists(ctx context.Context, js jetstream.JetStream, name string) (bool, error) {
	_, err := js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return false, nil
	}
	return err == nil, err
}

// TestNATSHelmValuesMatchCompose: Kubernetes' NATS cluster grants each
// service exactly what the compose NATS does.
func TestNATSHelmValuesMatchCompose(t *testing.T) {
	env := envExample(t)
	for _, s := range domainServices {
		v := strings.ToUpper(s) + "_NATS_PASSWORD"
		t.Setenv(v, env[v])
	}
	opts, err := server.ProcessConfigFile(filepath.Join(repoRoot(t), "deploy", "nats", "nats.conf"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "k8s", "nats", "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Config struct {
			Cluster struct {
				Enabled  bool
				Replicas int
			}
			JetStream struct {
				Enabled   bool
				FileStore struct {
					Enabled bool
					PVC     struct{ Enabled bool } `yaml:"pvc"`
				} `yaml:"fileStore"`
			} `yaml:"jetstream"`
			Merge struct {
				Accounts map[string]struct {
					JetStream string `yaml:"jetstream"`
					Users     []struct {
						User        string
						Password    string
						Permissions struct {
							Publish   struct{ Allow []string }
							Subscribe struct{ Allow []string }
						}
					}
				}
			}
		}
		Container struct {
			Env map[string]any
		}
	}
	if err := yaml.Unmarshal(raw, &values); err != nil {
		t.Fatal(err)
	}
	c := values.Config
	if !c.Cluster.Enabled || c.Cluster.Replicas != 3 {
		t.Errorf("NATS cluster: enabled %v, %d nodes; want 3", c.Cluster.Enabled, c.Cluster.Replicas)
	}
	if !c.JetStream.Enabled || !c.JetStream.FileStore.Enabled || !c.JetStream.FileStore.PVC.Enabled {
		t.Error("JetStream must run on persistent file storage")
	}
	helm := map[string][2][]string{}
	for _, u := range c.Merge.Accounts["COALITION"].Users {
		helm[u.User] = [2][]string{u.Permissions.Publish.Allow, u.Permissions.Subscribe.Allow}
		envVar := strings.ToUpper(u.User) + "_NATS_PASSWORD"
		if u.Password != "<< $"+envVar+" >>" {
			t.Errorf("%s: password %q, want it from the environment (<< $%s >>)", u.User, u.Password, envVar)
		}
		if _, ok := values.Container.Env[envVar]; !ok {
			t.Errorf("container.env lacks %s", envVar)
		}
	}
	for _, u := range opts.Users {
		h, ok := helm[u.Username]
		if !ok {
			t.Errorf("user %s is in nats.conf but not in the Helm values", u.Username)
			continue
		}
		if !slices.Equal(u.Permissions.Publish.Allow, h[0]) || !slices.Equal(u.Permissions.Subscribe.Allow, h[1]) {
			t.Errorf("%s: nats.conf grants publish %v subscribe %v, Helm values %v %v",
				u.Username, u.Permissions.Publish.Allow, u.Permissions.Subscribe.Allow, h[0], h[1])
		}
	}
	if len(opts.Users) != len(domainServices) || len(helm) != len(domainServices) {
		t.Errorf("users: nats.conf %d, Helm %d; want one per domain service", len(opts.Users), len(helm))
	}
}
