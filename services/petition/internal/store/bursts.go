package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/mongodb"
)

// Burst is many signatures from one source (a hashed network address, or
// an email domain) within a window.
type Burst struct {
	Key        string    `bson:"_id"`
	Signatures int64     `bson:"signatures"`
	Petitions  int64     `bson:"petitions"`
	FirstAt    time.Time `bson:"first_at"`
	LastAt     time.Time `bson:"last_at"`
}

// BurstIndexes are the indexes bursts.go needs.
func BurstIndexes() []mongodb.Index {
	return []mongodb.Index{
		{Collection: CollectionSignatures, Name: "created_at", Keys: bson.D{{Key: "created_at", Value: -1}}},
	}
}

// burstScan bounds how many signatures of one burst are read to count its
// petitions.
const burstScan = 10_000

// Bursts groups the signatures made since by field ("ip_hash" or
// "email_domain") and returns the groups of at least threshold, largest
// first.
func (s *Store) Bursts(ctx context.Context, field string, since time.Time, threshold int64, limit int64) ([]Burst, error) {
	pipeline := bson.A{
		bson.D{{Key: "$match", Value: bson.D{
			{Key: "created_at", Value: bson.D{{Key: "$gte", Value: since}}},
			{Key: field, Value: bson.D{{Key: "$exists", Value: true}, {Key: "$ne", Value: ""}}},
		}}},
		// FerretDB v1's $group knows $sum only: the distinct petitions and
		// the first and last times are looked up per burst below.
		bson.D{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: "$" + field},
			{Key: "signatures", Value: bson.D{{Key: "$sum", Value: 1}}},
		}}},
		bson.D{{Key: "$match", Value: bson.D{{Key: "signatures", Value: bson.D{{Key: "$gte", Value: threshold}}}}}},
		bson.D{{Key: "$sort", Value: bson.D{{Key: "signatures", Value: -1}, {Key: "_id", Value: 1}}}},
		bson.D{{Key: "$limit", Value: limit}},
	}
	cur, err := s.signatures.Aggregate(ctx, pipeline, options.Aggregate())
	if err != nil {
		return nil, fmt.Errorf("find bursts: %w", err)
	}
	var out []Burst
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read bursts: %w", err)
	}
	for i := range out {
		filter := bson.D{{Key: field, Value: out[i].Key}, {Key: "created_at", Value: bson.D{{Key: "$gte", Value: since}}}}
		// Distinct petitions (FerretDB v1 refuses the driver's distinct
		// command with a deadline): read the burst's petition ids, bounded.
		cur, err := s.signatures.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "petition_id", Value: 1}}).SetLimit(burstScan))
		if err != nil {
			return nil, fmt.Errorf("read burst petitions: %w", err)
		}
		var ids []struct {
			PetitionID string `bson:"petition_id"`
		}
		if err := cur.All(ctx, &ids); err != nil {
			return nil, fmt.Errorf("read burst petitions: %w", err)
		}
		distinct := map[string]bool{}
		for _, d := range ids {
			distinct[d.PetitionID] = true
		}
		out[i].Petitions = int64(len(distinct))
		for _, end := range []struct {
			order int
			at    *time.Time
		}{{1, &out[i].FirstAt}, {-1, &out[i].LastAt}} {
			var d struct {
				CreatedAt time.Time `bson:"created_at"`
			}
			err := s.signatures.FindOne(ctx, filter, options.FindOne().SetSort(bson.D{{Key: "created_at", Value: end.order}}).
				SetProjection(bson.D{{Key: "created_at", Value: 1}})).Decode(&d)
			if err != nil {
				return nil, fmt.Errorf("read burst times: %w", err)
			}
			*end.at = d.CreatedAt
		}
	}
	return out, nil
}
