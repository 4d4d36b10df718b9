package console

import "time"

// Config is the console's configuration; the gateway reads it from
// CONSOLE_* environment variables.
type Config struct {
	AccountsFile   string        `env:"ACCOUNTS_FILE" desc:"JSON file of the console's local accounts, passwords as argon2id hashes (read again when it changes; empty: no password sign-in)"`
	SigningKeyFile string        `env:"SIGNING_KEY_FILE" desc:"file holding the Ed25519 private key (base64url seed) that signs the short-lived tokens the console calls the services with; its public key must be in the services' AUTH_PUBLIC_KEYS (empty: console off)"`
	TokenIssuer    string        `env:"TOKEN_ISSUER" envDefault:"coalition-console" desc:"issuer of the tokens the console signs"`
	SessionIdle    time.Duration `env:"SESSION_IDLE" envDefault:"30m" desc:"a console session unused this long ends"`
	SessionMax     time.Duration `env:"SESSION_MAX" envDefault:"12h" desc:"a console session ends this long after sign-in, however active"`
	MaxSessions    int           `env:"MAX_SESSIONS" envDefault:"10000" desc:"most console sessions kept at once (the least recently used go first)"`
	LoginWindow    time.Duration `env:"LOGIN_WINDOW" envDefault:"15m" desc:"window of the sign-in attempt limits below"`
	LoginPerIP     int           `env:"LOGIN_PER_IP" envDefault:"30" desc:"sign-in attempts one network address may make per window (the client's address behind TRUSTED_PROXIES)"`
	LoginPerUser   int           `env:"LOGIN_PER_USER" envDefault:"10" desc:"failed sign-in attempts for one username per window (then one more per window/this many)"`

	OIDC OIDCConfig `envPrefix:"OIDC_"`
}

// OIDCConfig configures sign-in with an OpenID Connect provider.
type OIDCConfig struct {
	Issuer       string `env:"ISSUER" desc:"OpenID Connect issuer URL (empty: no single sign-on)"`
	ClientID     string `env:"CLIENT_ID" desc:"OpenID Connect client id"`
	ClientSecret string `env:"CLIENT_SECRET" desc:"OpenID Connect client secret"`
	// Providers name roles differently: a claim holding a string or a list
	// of strings, and the values meaning each console role.
	RoleClaim           string `env:"ROLE_CLAIM" envDefault:"roles" desc:"ID token claim holding the person's roles (a string or a list)"`
	CoordinatorValue    string `env:"COORDINATOR_VALUE" envDefault:"coordinator" desc:"role claim value that makes a coordinator"`
	RepresentativeValue string `env:"REPRESENTATIVE_VALUE" envDefault:"representative" desc:"role claim value that makes a representative (their member is found from their email address)"`
	MemberClaim         string `env:"MEMBER_CLAIM" envDefault:"member_id" desc:"ID token claim naming a representative's member, if the provider has one"`
	DisplayName         string `env:"DISPLAY_NAME" envDefault:"single sign-on" desc:"what the sign-in button calls the provider"`
}

// Enabled reports whether an OIDC provider is configured.
func (c OIDCConfig) Enabled() bool { return c.Issuer != "" && c.ClientID != "" }
