package stack

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	eventssvc "github.com/cc4dr/coalition/services/events/service"
	gatewaysvc "github.com/cc4dr/coalition/services/gateway/service"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/kit/config"
	"github.com/cc4dr/coalition/services/kit/embedded"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/kit/mailcatcher"
	membershipsvc "github.com/cc4dr/coalition/services/membership/service"
	notificationsvc "github.com/cc4dr/coalition/services/notification/service"
	petitionsvc "github.com/cc4dr/coalition/services/petition/service"
)

// runner is a started service.
type runner interface {
	Run(ctx context.Context) error
}

// Stack is the whole platform in one process.
type Stack struct {
	cfg    Config
	log    *zap.Logger
	store  *embedded.Store
	nats   *embedded.NATS
	mail   *mailcatcher.Catcher
	signer *auth.Signer
	// console holds the console's demo sign-ins (stack/console.go).
	console []ConsoleLogin

	// Services in start order; stopped in reverse.
	services []namedRunner
	addrs    Addresses
}

type namedRunner struct {
	name string
	run  runner
}

// Addresses are where a started stack can be reached.
type Addresses struct {
	GatewayURL   string
	MailURL      string
	StoreURI     string
	NATSURL      string
	SMTPAddr     string
	Membership   string
	Petition     string
	Events       string
	Notification string
}

// Start starts the embedded servers and every service. Close (or Run, when
// it returns) stops them.
func Start(ctx context.Context, cfg Config, log *zap.Logger) (st *Stack, err error) {
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	s := &Stack{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			s.closeInfra()
		}
	}()

	key, err := devSigningKey(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	s.signer = auth.NewSigner(key, "coalition-dev")
	publicKeys := auth.EncodePublicKey(key.Public().(ed25519.PublicKey))

	s.store, err = embedded.StartStore(ctx, embedded.StoreOptions{
		Dir: filepath.Join(cfg.DataDir, "store"), Addr: cfg.StoreAddr,
		Logger: logging.Slog(logging.AtLeast(log.Named("store"), zap.ErrorLevel)),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	natsHost, natsPort, err := splitHostPort(cfg.NATSAddr)
	if err != nil {
		return nil, fmt.Errorf("COALITION_NATS_ADDR: %w", err)
	}
	s.nats, err = embedded.StartNATS(embedded.NATSOptions{
		Host: natsHost, Port: natsPort, StoreDir: filepath.Join(cfg.DataDir, "jetstream"),
		SyncAlways: cfg.SyncAlways, Logger: log.Named("nats"),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	// The catcher outlives ctx: Run closes it after the services have stopped.
	s.mail, err = mailcatcher.Start(context.WithoutCancel(ctx), mailcatcher.Options{
		Addr: cfg.SMTPAddr, Dir: filepath.Join(cfg.DataDir, "mail"), Logger: log.Named("mail"),
	})
	if err != nil {
		return nil, fmt.Errorf("smtp catcher: %w", err)
	}
	smtpHost, smtpPort, err := splitHostPort(s.mail.Addr())
	if err != nil {
		return nil, err
	}

	publicURL := cfg.PublicURL
	gatewayLis, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("gateway address %s: %w", cfg.HTTPAddr, err)
	}
	gatewayAddr := gatewayLis.Addr().String()
	_ = gatewayLis.Close() // reserved the port (resolves :0); the gateway listens on it below
	if publicURL == "" {
		publicURL = "http://" + gatewayAddr
	}

	runtime := func(r config.Runtime) config.Runtime {
		r.LogLevel, r.LogFormat, r.ShutdownTimeout = cfg.LogLevel, cfg.LogFormat, cfg.ShutdownTimeout
		return r
	}
	common := func(c config.Common) config.Common {
		c.Runtime = runtime(c.Runtime)
		c.MongoURI, c.NATSURL = s.store.URI(), s.nats.ClientURL()
		return c
	}

	var mcfg membershipsvc.Config
	if err := config.LoadWithPrefix(&mcfg, "MEMBERSHIP_"); err != nil {
		return nil, err
	}
	mcfg.Common, mcfg.GRPCAddr, mcfg.AuthPublicKeys = common(mcfg.Common), cfg.Membership, publicKeys
	membership, err := membershipsvc.New(ctx, mcfg, log)
	if err != nil {
		return nil, err
	}
	s.services = append(s.services, namedRunner{"membership", membership})

	var pcfg petitionsvc.Config
	if err := config.LoadWithPrefix(&pcfg, "PETITION_"); err != nil {
		return nil, err
	}
	pcfg.Common, pcfg.GRPCAddr, pcfg.AuthPublicKeys = common(pcfg.Common), cfg.Petition, publicKeys
	// The petition service asks membership whether a city is a member
	// (LookupCity is for services): a SERVICE token for the launcher's life.
	pcfg.MembershipAddr = membership.Addr()
	if pcfg.ServiceToken, err = s.Token("petition", optionsv1.Role_ROLE_SERVICE, 365*24*time.Hour); err != nil {
		return nil, fmt.Errorf("petition service token: %w", err)
	}
	petition, err := petitionsvc.New(ctx, pcfg, log)
	if err != nil {
		return nil, err
	}
	s.services = append(s.services, namedRunner{"petition", petition})

	var ecfg eventssvc.Config
	if err := config.LoadWithPrefix(&ecfg, "EVENTS_"); err != nil {
		return nil, err
	}
	ecfg.Common, ecfg.GRPCAddr, ecfg.AuthPublicKeys = common(ecfg.Common), cfg.Events, publicKeys
	// The events service asks membership who sits on an invited body
	// (ListBodyMembers is for services): a SERVICE token for the launcher's life.
	ecfg.MembershipAddr, ecfg.PublicBaseURL = membership.Addr(), publicURL
	if ecfg.ServiceToken, err = s.Token("events", optionsv1.Role_ROLE_SERVICE, 365*24*time.Hour); err != nil {
		return nil, fmt.Errorf("events service token: %w", err)
	}
	events, err := eventssvc.New(ctx, ecfg, log)
	if err != nil {
		return nil, err
	}
	s.services = append(s.services, namedRunner{"events", events})

	var ncfg notificationsvc.Config
	if err := config.LoadWithPrefix(&ncfg, "NOTIFICATION_"); err != nil {
		return nil, err
	}
	ncfg.Common, ncfg.GRPCAddr, ncfg.AuthPublicKeys = common(ncfg.Common), cfg.Notify, publicKeys
	ncfg.SMTPHost, ncfg.SMTPPort, ncfg.SMTPTLS, ncfg.PublicBaseURL = smtpHost, smtpPort, "none", publicURL
	notification, err := notificationsvc.New(ctx, ncfg, log)
	if err != nil {
		return nil, err
	}
	s.services = append(s.services, namedRunner{"notification", notification})

	var gcfg gatewaysvc.Config
	if err := config.LoadWithPrefix(&gcfg, "GATEWAY_"); err != nil {
		return nil, err
	}
	gcfg.Runtime = runtime(gcfg.Runtime)
	gcfg.HTTPAddr, gcfg.PublicBaseURL = gatewayAddr, publicURL
	gcfg.MembershipAddr, gcfg.PetitionAddr, gcfg.EventsAddr, gcfg.NotificationAddr = membership.Addr(), petition.Addr(), events.Addr(), notification.Addr()
	if err := s.seedConsole(&gcfg); err != nil {
		return nil, err
	}
	gateway, err := gatewaysvc.New(ctx, gcfg, log, gatewaysvc.WithDevMail(s.mail.Handler()))
	if err != nil {
		return nil, err
	}
	s.services = append(s.services, namedRunner{"gateway", gateway})

	s.addrs = Addresses{
		GatewayURL: "http://" + gateway.Addr(), MailURL: "http://" + gateway.Addr() + "/dev/mail",
		StoreURI: s.store.URI(), NATSURL: s.nats.ClientURL(), SMTPAddr: s.mail.Addr(),
		Membership: membership.Addr(), Petition: petition.Addr(), Events: events.Addr(), Notification: notification.Addr(),
	}
	return s, nil
}

// Addresses reports where everything listens.
func (s *Stack) Addresses() Addresses { return s.addrs }

// Mail is the SMTP catcher (tests read email from it).
func (s *Stack) Mail() *mailcatcher.Catcher { return s.mail }

// NATS is the embedded NATS server (fault tests stop and restart it).
func (s *Stack) NATS() *embedded.NATS { return s.nats }

// Token issues a bearer token with role for the dev accounts and tests.
func (s *Stack) Token(subject string, role optionsv1.Role, ttl time.Duration) (string, error) {
	return s.signer.Issue(subject, role, "", ttl)
}

// RepresentativeToken issues a token for a representative acting for
// memberID (tests of what a member's own people may do).
func (s *Stack) RepresentativeToken(subject, memberID string, ttl time.Duration) (string, error) {
	return s.signer.Issue(subject, optionsv1.Role_ROLE_REPRESENTATIVE, memberID, ttl)
}

// Run serves every service until ctx ends, loading demo data once if
// configured, then stops the services (gateway first) and the embedded
// servers. A service that fails stops the whole stack.
func (s *Stack) Run(ctx context.Context) error {
	defer s.closeInfra()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()

	errs := make([]error, len(s.services))
	var wg sync.WaitGroup
	// Each service gets its own context so they can be stopped in order.
	cancels := make([]context.CancelFunc, len(s.services))
	for i, svc := range s.services {
		sctx, cancel := context.WithCancel(context.WithoutCancel(runCtx))
		cancels[i] = cancel
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := svc.run.Run(sctx); err != nil {
				errs[i] = fmt.Errorf("%s: %w", svc.name, err)
				stop()
			}
		}()
	}
	if s.cfg.DemoData {
		go func() {
			if err := s.LoadDemoDataOnce(runCtx); err != nil && runCtx.Err() == nil {
				s.log.Error("demo data", zap.Error(err))
			}
		}()
	}
	<-runCtx.Done()
	for i := len(cancels) - 1; i >= 0; i-- {
		cancels[i]()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (s *Stack) closeInfra() {
	if s.mail != nil {
		_ = s.mail.Close()
	}
	if s.nats != nil {
		s.nats.Shutdown()
	}
	if s.store != nil {
		s.store.Close()
	}
}

func splitHostPort(addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return "", 0, fmt.Errorf("address %q: port: %w", addr, err)
	}
	return host, port, nil
}
