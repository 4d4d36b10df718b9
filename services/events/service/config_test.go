package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/config"
)

func TestConfigReminderLeads(t *testing.T) {
	var cfg service.Config
	if err := config.Load(&cfg); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.ReminderLeads, []time.Duration{168 * time.Hour, 24 * time.Hour}) || cfg.QuorumFraction != 0.5 {
		t.Fatalf("defaults: leads %v, quorum %v", cfg.ReminderLeads, cfg.QuorumFraction)
	}
	t.Setenv("REMINDER_LEADS", "72h,2h,15m")
	cfg = service.Config{}
	if err := config.Load(&cfg); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.ReminderLeads, []time.Duration{72 * time.Hour, 2 * time.Hour, 15 * time.Minute}) {
		t.Fatalf("leads %v", cfg.ReminderLeads)
	}
}
