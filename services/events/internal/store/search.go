package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/events/internal/domain"
)

// Query selects assemblies for a listing, ordered by start (then id) and
// read from after a position (keyset paging).
type Query struct {
	// EndedBefore and EndsAfter bound the end (zero: unbounded).
	EndedBefore, EndsAfter time.Time
	Kind                   domain.Kind
	Status                 domain.Status
	// RepresentativeID: only assemblies inviting this representative.
	RepresentativeID string
	// Descending lists the latest start first.
	Descending bool
	// AfterStart and AfterID are the last item of the previous page
	// (AfterID "": from the beginning).
	AfterStart time.Time
	AfterID    string
	Limit      int64
}

// Search lists the assemblies q selects.
func (s *Store) Search(ctx context.Context, q Query) ([]domain.Assembly, error) {
	filter := bson.D{}
	end := bson.D{}
	if !q.EndedBefore.IsZero() {
		end = append(end, bson.E{Key: "$lte", Value: q.EndedBefore})
	}
	if !q.EndsAfter.IsZero() {
		end = append(end, bson.E{Key: "$gt", Value: q.EndsAfter})
	}
	if len(end) > 0 {
		filter = append(filter, bson.E{Key: "ends_at", Value: end})
	}
	if q.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: q.Kind})
	}
	if q.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: q.Status})
	}
	if q.RepresentativeID != "" {
		filter = append(filter, bson.E{Key: "representative_ids", Value: q.RepresentativeID})
	}
	order, past := 1, "$gt"
	if q.Descending {
		order, past = -1, "$lt"
	}
	if q.AfterID != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "starts_at", Value: bson.D{{Key: past, Value: q.AfterStart}}}},
			bson.D{{Key: "starts_at", Value: q.AfterStart}, {Key: "_id", Value: bson.D{{Key: past, Value: q.AfterID}}}},
		}})
	}
	cur, err := s.assemblies.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "starts_at", Value: order}, {Key: "_id", Value: order}}).
		SetLimit(q.Limit).
		SetProjection(withoutOutbox))
	if err != nil {
		return nil, fmt.Errorf("search assemblies: %w", err)
	}
	var docs []assemblyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read assemblies: %w", err)
	}
	out := make([]domain.Assembly, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}
