package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

type petitionDoc struct {
	ID              string                `bson:"_id"`
	City            string                `bson:"city"`
	Country         string                `bson:"country"`
	Region          string                `bson:"region,omitempty"`
	Texts           []domain.Text         `bson:"texts"`
	Goal            int64                 `bson:"goal"`
	Status          domain.PetitionStatus `bson:"status"`
	ConfirmedCount  int64                 `bson:"confirmed_count"`
	CreatedAt       time.Time             `bson:"created_at"`
	ClosesAt        *time.Time            `bson:"closes_at,omitempty"`
	LifecycleFields `bson:",inline"`      // lifecycle.go
	outbox.Pending  `bson:",inline"`
}

func toPetitionDoc(p domain.Petition) petitionDoc {
	d := petitionDoc{
		ID: p.ID, City: p.City, Country: p.Country, Region: p.Region, Texts: p.Texts, Goal: p.Goal,
		Status: p.Status, ConfirmedCount: p.ConfirmedCount, CreatedAt: p.CreatedAt,
	}
	if !p.ClosesAt.IsZero() {
		t := p.ClosesAt
		d.ClosesAt = &t
	}
	d.LifecycleFields = toLifecycleFields(p)
	return d
}

func (d petitionDoc) domain() domain.Petition {
	p := domain.Petition{
		ID: d.ID, City: d.City, Country: d.Country, Region: d.Region, Texts: d.Texts, Goal: d.Goal,
		Status: d.Status, ConfirmedCount: d.ConfirmedCount, CreatedAt: d.CreatedAt,
	}
	if d.ClosesAt != nil {
		p.ClosesAt = *d.ClosesAt
	}
	d.LifecycleFields.apply(&p)
	return p
}

// InsertPetition stores a new petition with its events.
func (s *Store) InsertPetition(ctx context.Context, p domain.Petition, events ...broker.Event) error {
	d := toPetitionDoc(p)
	d.Pending = outbox.New(events...)
	if _, err := s.petitions.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert petition: %w", err)
	}
	return nil
}

// Petition loads one petition.
func (s *Store) Petition(ctx context.Context, id string) (domain.Petition, error) {
	var d petitionDoc
	err := s.petitions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Petition{}, domain.ErrPetitionNotFound
	}
	if err != nil {
		return domain.Petition{}, fmt.Errorf("load petition: %w", err)
	}
	return d.domain(), nil
}

// Petitions lists petitions newest first, after the given position.
func (s *Store) Petitions(ctx context.Context, limit int64, afterCreated time.Time, afterID string) ([]domain.Petition, error) {
	filter := bson.D{publicOnly}
	if afterID != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "created_at", Value: bson.D{{Key: "$lt", Value: afterCreated}}}},
			bson.D{{Key: "created_at", Value: afterCreated}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: afterID}}}},
		}})
	}
	cur, err := s.petitions.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).
		SetLimit(limit).
		SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("list petitions: %w", err)
	}
	var docs []petitionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read petitions: %w", err)
	}
	out := make([]domain.Petition, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}
