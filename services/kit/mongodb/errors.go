package mongodb

import (
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"
)

// IsDuplicateKey reports whether err is (or, for a bulk write, contains) a
// unique-index violation: idempotent writers treat it as "already done".
func IsDuplicateKey(err error) bool {
	return mongo.IsDuplicateKeyError(err)
}

// DuplicateKeyIndexes returns the positions, in the InsertMany/BulkWrite input,
// of the documents rejected as duplicates, and whether duplicates were the
// only failures. Batched writers use it to treat those documents as already
// stored while still failing on any other error.
func DuplicateKeyIndexes(err error) (idx []int, onlyDuplicates bool) {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) {
		return nil, false
	}
	onlyDuplicates = bwe.WriteConcernError == nil
	for _, we := range bwe.WriteErrors {
		if we.Code == 11000 || we.Code == 11001 {
			idx = append(idx, we.Index)
		} else {
			onlyDuplicates = false
		}
	}
	return idx, onlyDuplicates && len(idx) > 0
}

// unavailableCodes are server errors meaning "not now, try again": elections,
// shutdowns and stepdowns on a replica set.
var unavailableCodes = []int{
	91,    // ShutdownInProgress
	189,   // PrimarySteppedDown
	10107, // NotWritablePrimary
	11600, // InterruptedAtShutdown
	11602, // InterruptedDueToReplStateChange
	13435, // NotPrimaryNoSecondaryOk
	13436, // NotPrimaryOrSecondary
}

// IsUnavailable reports whether err means the store could not be reached or
// did not answer in time (network error, server selection failure, timeout,
// closed client, primary stepping down), as opposed to a bad request. Callers
// map it to gRPC Unavailable. A caller's own cancellation is not unavailability.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) {
		return true
	}
	if errors.Is(err, mongo.ErrClientDisconnected) || errors.Is(err, topology.ErrTopologyClosed) {
		return true
	}
	if errors.As(err, &topology.ServerSelectionError{}) {
		return true
	}
	var se mongo.ServerError
	if errors.As(err, &se) {
		for _, code := range unavailableCodes {
			if se.HasErrorCode(code) {
				return true
			}
		}
	}
	return false
}
