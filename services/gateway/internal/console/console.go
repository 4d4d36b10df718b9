package console

import (
	"crypto/ed25519"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
	"github.com/cc4dr/coalition/services/kit/auth"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Prefix is where the console lives.
const Prefix = "/console/"

// Options configures [New].
type Options struct {
	Config Config
	// PublicBaseURL is where people reach the gateway: its scheme decides
	// whether cookies are Secure, and OIDC redirects come back to it.
	PublicBaseURL string
	Membership    membershipv1.MembershipServiceClient
	Petition      petitionv1.PetitionServiceClient
	Events        eventsv1.EventsServiceClient
	Notification  notificationv1.NotificationServiceClient
	// DevMail says the mail catcher is mounted at /dev/mail (dev mode).
	DevMail bool
	Log     *zap.Logger
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
}

// Console serves the console's pages.
type Console struct {
	cfg          Config
	membership   membershipv1.MembershipServiceClient
	petition     petitionv1.PetitionServiceClient
	events       eventsv1.EventsServiceClient
	notification notificationv1.NotificationServiceClient
	devMail      bool
	log          *zap.Logger
	now          func() time.Time

	enabled  bool
	signer   *auth.Signer
	accounts *accounts.Directory
	sessions *session.Store
	oidc     *oidcFlow
	perIP    *limiter
	perUser  *limiter
	secure   bool
	baseURL  string
	tmpl     map[string]*template.Template
}

// New builds the console. Without CONSOLE_SIGNING_KEY_FILE it is off: its
// pages say so. With a key it needs a way to sign in (an accounts file or
// an OIDC provider).
func New(o Options) (*Console, error) {
	log := o.Log
	if log == nil {
		log = zap.NewNop()
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	c := &Console{
		cfg: o.Config, membership: o.Membership, petition: o.Petition, events: o.Events, notification: o.Notification,
		devMail: o.DevMail, log: log.Named("console"), now: now,
		baseURL: strings.TrimRight(strings.TrimSpace(o.PublicBaseURL), "/"),
	}
	if u, err := url.Parse(c.baseURL); err == nil && u.Scheme == "https" {
		c.secure = true
	}
	if err := c.parseTemplates(); err != nil {
		return nil, err
	}
	if o.Config.SigningKeyFile == "" {
		return c, nil
	}
	key, err := readSigningKey(o.Config.SigningKeyFile)
	if err != nil {
		return nil, err
	}
	c.signer = auth.NewSigner(key, o.Config.TokenIssuer)
	if c.accounts, err = accounts.Open(o.Config.AccountsFile); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	if o.Config.OIDC.Enabled() {
		c.oidc = newOIDCFlow(o.Config.OIDC, c.baseURL+Prefix+"oidc/callback", log)
	}
	if !c.accounts.Enabled() && c.oidc == nil {
		return nil, errors.New("console: CONSOLE_SIGNING_KEY_FILE is set but there is no way to sign in: set CONSOLE_ACCOUNTS_FILE or CONSOLE_OIDC_ISSUER")
	}
	c.sessions = session.NewStore(session.Options{Idle: o.Config.SessionIdle, Absolute: o.Config.SessionMax, Max: o.Config.MaxSessions, Now: now})
	c.perIP = newLimiter(o.Config.LoginPerIP, o.Config.LoginWindow)
	c.perUser = newLimiter(o.Config.LoginPerUser, o.Config.LoginWindow)
	c.enabled = true
	return c, nil
}

// readSigningKey reads a key file as the dev launcher writes it: the
// base64url seed on one line.
func readSigningKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("console: signing key: %w", err)
	}
	if len(b) > 4096 {
		return nil, errors.New("console: signing key file is too large")
	}
	key, err := auth.ParsePrivateKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("console: %s: %w", path, err)
	}
	return key, nil
}

// Register adds the console's routes to mux.
func (c *Console) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET "+Prefix+"static/", http.StripPrefix(Prefix+"static/", cacheFor(time.Hour, http.FileServerFS(static))))
	if !c.enabled {
		mux.HandleFunc(Prefix, c.off)
		return
	}
	c.registerAuth(mux)
	c.registerPages(mux)
	mux.HandleFunc(Prefix, c.notFound)
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	v := fmt.Sprintf("public, max-age=%d", int(d.Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", v)
		h.ServeHTTP(w, r)
	})
}

func (c *Console) off(w http.ResponseWriter, r *http.Request) {
	c.renderError(w, r, nil, http.StatusNotFound, "Console not set up",
		"The coordinator console is not set up on this server.")
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	c.renderError(w, r, nil, http.StatusNotFound, "Page not found", "There is no console page at this address.")
}

// IsConsole reports whether r is for the console (the gateway's refusal
// pages then speak the console's language).
func IsConsole(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, Prefix) }

// Forbidden is the 403 page for a console form posted from another site.
func (c *Console) Forbidden(w http.ResponseWriter, r *http.Request) {
	c.renderError(w, r, nil, http.StatusForbidden, "Request refused",
		"Console forms can only be sent from the console's own pages, so nothing was changed. Please open the page again and repeat what you were doing.")
}

// TooLarge is the 413 page for a console form over the body limit.
func (c *Console) TooLarge(w http.ResponseWriter, r *http.Request) {
	c.renderError(w, r, nil, http.StatusRequestEntityTooLarge, "Too much data",
		"The form you sent was larger than the console accepts, so nothing was changed. Please shorten what you wrote and try again.")
}
