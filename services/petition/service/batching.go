package service

import (
	"time"

	"github.com/cc4dr/coalition/services/petition/internal/app"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// BatchConfig tunes the signing path's batches (group commit of new
// signatures, counting) and its safety-net scans. Zero values take the
// defaults below.
type BatchConfig struct {
	SignBatchMax       int           `env:"SIGN_BATCH_MAX" envDefault:"500" desc:"new signatures written together in one bulk insert, at most (group commit)"`
	SignBatchWait      time.Duration `env:"SIGN_BATCH_WAIT" envDefault:"2ms" desc:"how long a new signature waits for others to share its bulk insert"`
	CountBatchMax      int           `env:"COUNT_BATCH_MAX" envDefault:"5000" desc:"confirmations and withdrawals folded into the public counts per round, at most"`
	CountBatchWait     time.Duration `env:"COUNT_BATCH_WAIT" envDefault:"20ms" desc:"how long a confirmation waits for others to share its counting round (the confirmer's answer waits for it)"`
	CountScanInterval  time.Duration `env:"COUNT_SCAN_INTERVAL" envDefault:"30s" desc:"how often the counter also scans for confirmations and withdrawals nobody named to it (left by a crash); on the embedded store a scan reads every signature"`
	OutboxScanInterval time.Duration `env:"OUTBOX_SCAN_INTERVAL" envDefault:"30s" desc:"how often the outbox relay also scans for events nobody named to it (left by a crash); on the embedded store a scan reads every document"`
}

func (c BatchConfig) signBatch() store.BatchOptions {
	return store.BatchOptions{MaxBatch: c.SignBatchMax, MaxWait: c.SignBatchWait}
}

func (c BatchConfig) count() app.CountOptions {
	return app.CountOptions{MaxBatch: c.CountBatchMax, MaxWait: c.CountBatchWait, ScanInterval: c.CountScanInterval}
}
