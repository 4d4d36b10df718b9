package preferences

import (
	"context"
	"strings"

	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// Keys returns the token keys: the configured secrets (comma separated,
// the first signs), or when none is configured one random key generated on
// first start and kept in the service's database, so links keep working
// across restarts and instances.
func Keys(ctx context.Context, configured string, st *store.Store) ([][]byte, error) {
	var keys [][]byte
	for _, k := range strings.Split(configured, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, []byte(k))
		}
	}
	if len(keys) > 0 {
		return keys, nil
	}
	k, err := st.Secret(ctx, "unsubscribe_token_key", 32)
	if err != nil {
		return nil, err
	}
	return [][]byte{k}, nil
}
