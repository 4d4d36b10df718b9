// Package stack is the dev launcher: in one process it starts an embedded
// NATS server with JetStream, the embedded MongoDB-wire-compatible store
// (FerretDB on SQLite), an SMTP catcher, and all five services wired to
// them; it loads demonstration data once, writes the coordinator console's
// demo accounts (console.go), and reports the addresses.
//
// The services run unchanged: each is configured exactly as its own binary
// would be (its Config struct), with the addresses of the embedded servers
// filled in. End-to-end tests start the same stack.
package stack

import (
	"time"
)

// Config is the launcher's configuration: COALITION_* environment variables.
// Each service's own settings can also be overridden with the service's
// variables prefixed by its name, e.g. PETITION_CONFIRMATION_TTL.
type Config struct {
	DataDir    string `env:"DATA_DIR" envDefault:".data" desc:"folder for the store, JetStream, the mail inbox and dev keys (kept across restarts)"`
	HTTPAddr   string `env:"HTTP_ADDR" envDefault:"127.0.0.1:8080" desc:"gateway HTTP address"`
	PublicURL  string `env:"PUBLIC_BASE_URL" desc:"public URL of the gateway used in emails (default: http:// and the HTTP address)"`
	StoreAddr  string `env:"STORE_ADDR" envDefault:"127.0.0.1:27018" desc:"embedded store (MongoDB wire protocol) address"`
	NATSAddr   string `env:"NATS_ADDR" envDefault:"127.0.0.1:4223" desc:"embedded NATS address"`
	SMTPAddr   string `env:"SMTP_ADDR" envDefault:"127.0.0.1:1025" desc:"SMTP catcher address"`
	Membership string `env:"MEMBERSHIP_GRPC_ADDR" envDefault:"127.0.0.1:9081" desc:"membership service gRPC address"`
	Petition   string `env:"PETITION_GRPC_ADDR" envDefault:"127.0.0.1:9082" desc:"petition service gRPC address"`
	Events     string `env:"EVENTS_GRPC_ADDR" envDefault:"127.0.0.1:9083" desc:"events service gRPC address"`
	Notify     string `env:"NOTIFICATION_GRPC_ADDR" envDefault:"127.0.0.1:9084" desc:"notification service gRPC address"`
	DemoData   bool   `env:"DEMO_DATA" envDefault:"true" desc:"load demonstration data on first start"`
	SyncAlways bool   `env:"NATS_SYNC_ALWAYS" envDefault:"true" desc:"fsync every JetStream write (single node: no loss on power failure)"`
	LogLevel   string `env:"LOG_LEVEL" envDefault:"info" desc:"log level"`
	LogFormat  string `env:"LOG_FORMAT" envDefault:"console" desc:"log format: console or json"`
	// ShutdownTimeout bounds each service's graceful stop.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"10s" desc:"how long each service may take to stop"`
}

// EnvPrefix is the prefix of the launcher's own variables.
const EnvPrefix = "COALITION_"
