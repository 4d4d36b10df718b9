package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

type bodyDoc struct {
	ID                string           `bson:"_id"`
	Slug              string           `bson:"slug"`
	Name              string           `bson:"name"`
	Kind              domain.BodyKind  `bson:"kind"`
	Description       string           `bson:"description,omitempty"`
	Principle         domain.Principle `bson:"principle,omitempty"`
	MemberIDs         []string         `bson:"member_ids"`
	RepresentativeIDs []string         `bson:"representative_ids"`
	CreatedAt         time.Time        `bson:"created_at"`
}

func (d bodyDoc) domain() domain.Body {
	return domain.Body{
		ID: d.ID, Slug: d.Slug, Name: d.Name, Kind: d.Kind, Description: d.Description, Principle: d.Principle,
		MemberIDs: d.MemberIDs, RepresentativeIDs: d.RepresentativeIDs, CreatedAt: d.CreatedAt,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// InsertBody stores a new body, or returns domain.ErrDuplicateBody.
func (s *Store) InsertBody(ctx context.Context, b domain.Body) error {
	_, err := s.bodies.InsertOne(ctx, bodyDoc{
		ID: b.ID, Slug: b.Slug, Name: b.Name, Kind: b.Kind, Description: b.Description, Principle: b.Principle,
		MemberIDs: nonNil(b.MemberIDs), RepresentativeIDs: nonNil(b.RepresentativeIDs), CreatedAt: b.CreatedAt,
	})
	if mongodb.IsDuplicateKey(err) {
		return domain.ErrDuplicateBody
	}
	if err != nil {
		return fmt.Errorf("insert body: %w", err)
	}
	return nil
}

// Body loads one body.
func (s *Store) Body(ctx context.Context, id string) (domain.Body, error) {
	var d bodyDoc
	err := s.bodies.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Body{}, domain.ErrBodyNotFound
	}
	if err != nil {
		return domain.Body{}, fmt.Errorf("load body: %w", err)
	}
	return d.domain(), nil
}

// Bodies lists every body by name.
func (s *Store) Bodies(ctx context.Context) ([]domain.Body, error) {
	cur, err := s.bodies.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}).SetLimit(1000))
	if err != nil {
		return nil, fmt.Errorf("list bodies: %w", err)
	}
	var docs []bodyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read bodies: %w", err)
	}
	out := make([]domain.Body, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}

// SetComposition replaces a body's composition.
func (s *Store) SetComposition(ctx context.Context, id string, memberIDs, representativeIDs []string) error {
	unlock, err := s.locks.Lock(ctx, s.bodies, id)
	if err != nil {
		return fmt.Errorf("set composition: %w", err)
	}
	defer unlock()
	res, err := s.bodies.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "member_ids", Value: nonNil(memberIDs)}, {Key: "representative_ids", Value: nonNil(representativeIDs)},
	}}})
	if err != nil {
		return fmt.Errorf("set composition: %w", err)
	}
	if res.MatchedCount == 0 {
		return domain.ErrBodyNotFound
	}
	return nil
}
