package config

import "time"

// Common holds the settings every service needs. Embed it in a service's own
// config struct. Database name and gRPC address default differently per
// service, so each service declares MONGO_DATABASE and a GRPC_ADDR default
// in its own struct rather than here.
type Common struct {
	LogLevel  string `env:"LOG_LEVEL" envDefault:"info" desc:"minimum log level: debug, info, warn, error"`
	LogFormat string `env:"LOG_FORMAT" envDefault:"json" desc:"log encoding: json or console"`

	MongoURI string `env:"MONGO_URI" envDefault:"mongodb://127.0.0.1:27017" desc:"MongoDB (or FerretDB) connection string"`

	NATSURL       string `env:"NATS_URL" envDefault:"nats://127.0.0.1:4222" desc:"NATS server URL(s), comma separated"`
	NATSCredsFile string `env:"NATS_CREDS_FILE" desc:"NATS credentials file (optional)"`

	GRPCAddr string `env:"GRPC_ADDR" desc:"address the gRPC server listens on"`

	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s" desc:"how long graceful shutdown may take"`
}
