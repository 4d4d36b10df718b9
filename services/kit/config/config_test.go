package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/kit/config"
)

type serviceConfig struct {
	config.Common
	MongoDatabase string `env:"MONGO_DATABASE" envDefault:"petition" desc:"database name"`
	BatchSize     int    `env:"BATCH_SIZE" envDefault:"100" desc:"signatures per group commit"`
	Secret        string `env:"SECRET,required" desc:"signing secret"`
	SMTP          struct {
		Host string `env:"HOST" envDefault:"127.0.0.1" desc:"SMTP host"`
	} `envPrefix:"SMTP_"`
}

func TestLoadWithPrefixDefaultsAndOverrides(t *testing.T) {
	t.Setenv("PETITION_SECRET", "s3cret")
	t.Setenv("PETITION_LOG_LEVEL", "debug")
	t.Setenv("PETITION_SHUTDOWN_TIMEOUT", "3s")
	t.Setenv("PETITION_SMTP_HOST", "mail")

	var cfg serviceConfig
	if err := config.LoadWithPrefix(&cfg, "PETITION_"); err != nil {
		t.Fatal(err)
	}
	if cfg.LogLevel != "debug" || cfg.LogFormat != "json" {
		t.Errorf("log settings = %q %q", cfg.LogLevel, cfg.LogFormat)
	}
	if cfg.ShutdownTimeout != 3*time.Second {
		t.Errorf("ShutdownTimeout = %v", cfg.ShutdownTimeout)
	}
	if cfg.MongoURI != "mongodb://127.0.0.1:27017" || cfg.NATSURL != "nats://127.0.0.1:4222" {
		t.Errorf("defaults not applied: %+v", cfg.Common)
	}
	if cfg.MongoDatabase != "petition" || cfg.BatchSize != 100 || cfg.SMTP.Host != "mail" {
		t.Errorf("service fields = %+v", cfg)
	}
}

func TestLoadReportsEveryBadVariable(t *testing.T) {
	t.Setenv("PETITION_BATCH_SIZE", "lots")
	t.Setenv("PETITION_SHUTDOWN_TIMEOUT", "soon")

	var cfg serviceConfig
	err := config.LoadWithPrefix(&cfg, "PETITION_")
	if err == nil {
		t.Fatal("want error")
	}
	for _, want := range []string{"PETITION_SECRET", "BatchSize", "ShutdownTimeout", "PETITION_"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestLoadWithoutPrefix(t *testing.T) {
	t.Setenv("NATS_CREDS_FILE", "/run/creds")
	var cfg config.Common
	if err := config.Load(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.NATSCredsFile != "/run/creds" {
		t.Errorf("NATSCredsFile = %q", cfg.NATSCredsFile)
	}
}

func TestDescribe(t *testing.T) {
	vars := config.Describe(&serviceConfig{}, "PETITION_")
	byName := map[string]config.Var{}
	var names []string
	for _, v := range vars {
		byName[v.Name] = v
		names = append(names, v.Name)
	}
	want := []string{
		"PETITION_LOG_LEVEL", "PETITION_LOG_FORMAT", "PETITION_SHUTDOWN_TIMEOUT", "PETITION_MONGO_URI",
		"PETITION_NATS_URL", "PETITION_NATS_CREDS_FILE", "PETITION_MONGO_DATABASE", "PETITION_BATCH_SIZE", "PETITION_SECRET", "PETITION_SMTP_HOST",
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("names = %v\nwant    %v", names, want)
	}
	if v := byName["PETITION_SHUTDOWN_TIMEOUT"]; v.Default != "15s" || !v.HasDefault || v.Type != "duration" || v.Description == "" {
		t.Errorf("SHUTDOWN_TIMEOUT = %+v", v)
	}
	if v := byName["PETITION_NATS_CREDS_FILE"]; v.HasDefault || v.Required {
		t.Errorf("NATS_CREDS_FILE = %+v", v)
	}
	if v := byName["PETITION_SECRET"]; !v.Required {
		t.Errorf("SECRET = %+v", v)
	}

	table := config.Table(vars)
	if !strings.Contains(table, "| `PETITION_LOG_LEVEL` | `info` | minimum log level") ||
		!strings.Contains(table, "| `PETITION_SECRET` | (required) |") {
		t.Errorf("table:\n%s", table)
	}
}

func TestDescribeNonStruct(t *testing.T) {
	if vars := config.Describe(42, ""); vars != nil {
		t.Errorf("Describe(int) = %v", vars)
	}
}
