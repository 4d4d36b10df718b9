package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// UpdateDraft writes the applicant's fields of a, conditional on the
// application still being a draft. The caller holds the application's lock
// (LockApplication). It returns domain.ErrConcurrentChange when it is not
// a draft any more.
func (s *Store) UpdateDraft(ctx context.Context, a domain.Application) error {
	res, err := s.applications.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: a.ID}, {Key: "status", Value: domain.ApplicationDraft}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "city", Value: a.City}, {Key: "city_key", Value: a.CityKey}, {Key: "country", Value: a.Country},
			{Key: "region", Value: a.Region}, {Key: "kind", Value: a.Kind}, {Key: "population", Value: a.Population},
			{Key: "contact", Value: a.Contact}, {Key: "language", Value: a.Language},
			{Key: "commitment", Value: a.Commitment}, {Key: "policies", Value: a.Policies},
		}}})
	if err != nil {
		return fmt.Errorf("update draft: %w", err)
	}
	if res.MatchedCount == 0 {
		return domain.ErrConcurrentChange
	}
	return nil
}
