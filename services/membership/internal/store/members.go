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
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

type memberDoc struct {
	ID             string        `bson:"_id"`
	Name           string        `bson:"name"`
	NameKey        string        `bson:"name_key"`
	Kind           domain.Kind   `bson:"kind"`
	Country        string        `bson:"country"`
	Region         string        `bson:"region,omitempty"`
	Population     int64         `bson:"population,omitempty"`
	Status         domain.Status `bson:"status"`
	JoinedAt       *time.Time    `bson:"joined_at,omitempty"`
	Commitment     string        `bson:"commitment,omitempty"`
	CreatedAt      time.Time     `bson:"created_at"`
	outbox.Pending `bson:",inline"`
}

func toMemberDoc(m domain.Member) memberDoc {
	d := memberDoc{
		ID: m.ID, Name: m.Name, NameKey: m.NameKey, Kind: m.Kind, Country: m.Country, Region: m.Region,
		Population: m.Population, Status: m.Status, Commitment: m.Commitment, CreatedAt: m.CreatedAt,
	}
	if !m.JoinedAt.IsZero() {
		t := m.JoinedAt
		d.JoinedAt = &t
	}
	return d
}

func (d memberDoc) domain() domain.Member {
	m := domain.Member{
		ID: d.ID, Name: d.Name, NameKey: d.NameKey, Kind: d.Kind, Country: d.Country, Region: d.Region,
		Population: d.Population, Status: d.Status, Commitment: d.Commitment, CreatedAt: d.CreatedAt,
	}
	if d.JoinedAt != nil {
		m.JoinedAt = *d.JoinedAt
	}
	return m
}

// withoutOutbox leaves the pending events out of what reads return.
var withoutOutbox = bson.D{{Key: outbox.FieldEvents, Value: 0}}

// InsertMember stores a new member with its events, or returns
// domain.ErrDuplicateMember when the name (key) and country are taken.
func (s *Store) InsertMember(ctx context.Context, m domain.Member, events ...broker.Event) error {
	d := toMemberDoc(m)
	d.Pending = outbox.New(events...)
	_, err := s.members.InsertOne(ctx, d)
	if mongodb.IsDuplicateKey(err) {
		return domain.ErrDuplicateMember
	}
	if err != nil {
		return fmt.Errorf("insert member: %w", err)
	}
	return nil
}

// Member loads one member.
func (s *Store) Member(ctx context.Context, id string) (domain.Member, error) {
	return s.findMember(ctx, bson.D{{Key: "_id", Value: id}})
}

// CityByName finds the city or city network with this name key in country.
func (s *Store) CityByName(ctx context.Context, nameKey, country string) (domain.Member, error) {
	kinds := bson.A{}
	for _, k := range domain.CityKinds {
		kinds = append(kinds, k)
	}
	return s.findMember(ctx, bson.D{
		{Key: "name_key", Value: nameKey},
		{Key: "country", Value: country},
		{Key: "kind", Value: bson.D{{Key: "$in", Value: kinds}}},
	})
}

func (s *Store) findMember(ctx context.Context, filter bson.D) (domain.Member, error) {
	var d memberDoc
	err := s.members.FindOne(ctx, filter, options.FindOne().SetProjection(withoutOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Member{}, domain.ErrMemberNotFound
	}
	if err != nil {
		return domain.Member{}, fmt.Errorf("load member: %w", err)
	}
	return d.domain(), nil
}

// Members lists members by name (key), then id, after the given position.
func (s *Store) Members(ctx context.Context, limit int64, afterNameKey, afterID string) ([]domain.Member, error) {
	filter := bson.D{}
	if afterID != "" {
		filter = bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "name_key", Value: bson.D{{Key: "$gt", Value: afterNameKey}}}},
			bson.D{{Key: "name_key", Value: afterNameKey}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}}},
		}}}
	}
	cur, err := s.members.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "name_key", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(limit).
		SetProjection(withoutOutbox))
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	var docs []memberDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	out := make([]domain.Member, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}
