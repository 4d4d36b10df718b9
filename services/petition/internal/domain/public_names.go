package domain

import (
	"slices"
	"strings"
	"time"
)

// PublicNamesKept is how many of a petition's most recent public signers
// are kept for display: enough for the petition page, small enough to live
// in one document read by _id.
const PublicNamesKept = 100

// PublicName is a confirmed signer who chose to have their name shown. The
// signature id is kept only to add and remove the entry idempotently; it is
// never shown.
type PublicName struct {
	SignatureID string    `bson:"signature_id"`
	Name        string    `bson:"name"`
	ConfirmedAt time.Time `bson:"confirmed_at"`
}

// MergePublicNames is list with removed taken out and added put in (an
// entry whose signature is already there is not added twice), newest first,
// the most recent PublicNamesKept only. Applying the same change again
// gives the same list, so a batch resumed after a crash may re-apply it.
func MergePublicNames(list, added []PublicName, removed []string) []PublicName {
	out := make([]PublicName, 0, len(list)+len(added))
	seen := map[string]bool{}
	for _, id := range removed {
		seen[id] = true
	}
	for _, n := range slices.Concat(list, added) {
		if seen[n.SignatureID] {
			continue
		}
		seen[n.SignatureID] = true
		out = append(out, n)
	}
	slices.SortStableFunc(out, func(a, b PublicName) int {
		if c := b.ConfirmedAt.Compare(a.ConfirmedAt); c != 0 {
			return c
		}
		return strings.Compare(a.SignatureID, b.SignatureID)
	})
	if len(out) > PublicNamesKept {
		out = out[:PublicNamesKept]
	}
	return out
}
