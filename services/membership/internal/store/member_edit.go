package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// UpdateMemberFacts writes m's editable public facts with the events, in
// one write. The caller holds the member's lock (LockMember). It returns
// domain.ErrDuplicateMember when the new name and country are another
// entry's, and domain.ErrMemberNotFound when m is gone.
func (s *Store) UpdateMemberFacts(ctx context.Context, m domain.Member, events ...broker.Event) error {
	// Checked first as well as by the unique index: FerretDB reports an
	// update that breaks a unique index as an internal error, not E11000.
	if taken, err := s.taken(ctx, s.members, m.ID, bson.D{{Key: "name_key", Value: m.NameKey}, {Key: "country", Value: m.Country}}); err != nil || taken {
		if err != nil {
			return fmt.Errorf("update member: %w", err)
		}
		return domain.ErrDuplicateMember
	}
	principles := m.Principles
	if principles == nil {
		principles = []domain.Principle{}
	}
	res, err := s.members.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}}, outbox.Update(bson.D{
		{Key: "name", Value: m.Name}, {Key: "name_key", Value: m.NameKey}, {Key: "country", Value: m.Country},
		{Key: "region", Value: m.Region}, {Key: "population", Value: m.Population},
		{Key: "commitment", Value: m.Commitment}, {Key: "principles", Value: principles},
	}, nil, events...))
	if mongodb.IsDuplicateKey(err) {
		return domain.ErrDuplicateMember
	}
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	if res.MatchedCount == 0 {
		return domain.ErrMemberNotFound
	}
	return nil
}

// taken reports whether a document other than id matches filter: what a
// unique index on the filter's fields would refuse.
func (s *Store) taken(ctx context.Context, coll *mongo.Collection, id string, filter bson.D) (bool, error) {
	filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: id}}})
	n, err := coll.CountDocuments(ctx, filter, options.Count().SetLimit(1))
	return n > 0, err
}
