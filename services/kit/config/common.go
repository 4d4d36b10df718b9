package config

import "time"

// Runtime holds the settings every binary has: logging and shutdown.
type Runtime struct {
	LogLevel        string        `env:"LOG_LEVEL" envDefault:"info" desc:"minimum log level: debug, info, warn, error"`
	LogFormat       string        `env:"LOG_FORMAT" envDefault:"json" desc:"log encoding: json or console"`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s" desc:"how long graceful shutdown may take"`
}

// Common holds what every domain service needs besides Runtime: its store
// and NATS. Embed it in a service's own config struct. The database name
// and gRPC address default differently per service, so each service
// declares MONGO_DATABASE and GRPC_ADDR in its own struct.
type Common struct {
	Runtime

	MongoURI string `env:"MONGO_URI" envDefault:"mongodb://127.0.0.1:27017" desc:"MongoDB (or FerretDB) connection string"`

	NATSURL       string `env:"NATS_URL" envDefault:"nats://127.0.0.1:4222" desc:"NATS server URL(s), comma separated"`
	NATSCredsFile string `env:"NATS_CREDS_FILE" desc:"NATS credentials file (optional)"`
}
