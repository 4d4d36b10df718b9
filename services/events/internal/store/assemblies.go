package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

type assemblyDoc struct {
	ID             string        `bson:"_id"`
	Kind           domain.Kind   `bson:"kind"`
	Title          string        `bson:"title"`
	Description    string        `bson:"description,omitempty"`
	StartsAt       time.Time     `bson:"starts_at"`
	EndsAt         time.Time     `bson:"ends_at"`
	TimeZone       string        `bson:"time_zone"`
	HostCity       string        `bson:"host_city,omitempty"`
	Venue          string        `bson:"venue,omitempty"`
	OnlineURL      string        `bson:"online_url,omitempty"`
	Public         bool          `bson:"public"`
	Status         domain.Status `bson:"status"`
	CreatedAt      time.Time     `bson:"created_at"`
	outbox.Pending `bson:",inline"`
}

func toAssemblyDoc(a domain.Assembly) assemblyDoc {
	return assemblyDoc{
		ID: a.ID, Kind: a.Kind, Title: a.Title, Description: a.Description, StartsAt: a.StartsAt, EndsAt: a.EndsAt,
		TimeZone: a.TimeZone, HostCity: a.HostCity, Venue: a.Venue, OnlineURL: a.OnlineURL, Public: a.Public,
		Status: a.Status, CreatedAt: a.CreatedAt,
	}
}

func (d assemblyDoc) domain() domain.Assembly {
	return domain.Assembly{
		ID: d.ID, Kind: d.Kind, Title: d.Title, Description: d.Description, StartsAt: d.StartsAt.UTC(), EndsAt: d.EndsAt.UTC(),
		TimeZone: d.TimeZone, HostCity: d.HostCity, Venue: d.Venue, OnlineURL: d.OnlineURL, Public: d.Public,
		Status: d.Status, CreatedAt: d.CreatedAt.UTC(),
	}
}

// withoutOutbox leaves the pending events out of what reads return.
var withoutOutbox = bson.D{{Key: outbox.FieldEvents, Value: 0}}

// InsertAssembly stores a new assembly with its events.
func (s *Store) InsertAssembly(ctx context.Context, a domain.Assembly, events ...broker.Event) error {
	d := toAssemblyDoc(a)
	d.Pending = outbox.New(events...)
	if _, err := s.assemblies.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert assembly: %w", err)
	}
	return nil
}

// Assembly loads one assembly.
func (s *Store) Assembly(ctx context.Context, id string) (domain.Assembly, error) {
	var d assemblyDoc
	err := s.assemblies.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(withoutOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Assembly{}, domain.ErrAssemblyNotFound
	}
	if err != nil {
		return domain.Assembly{}, fmt.Errorf("load assembly: %w", err)
	}
	return d.domain(), nil
}

// UpcomingPublic lists public assemblies that have not ended by now, soonest
// start first, after the given position.
func (s *Store) UpcomingPublic(ctx context.Context, now time.Time, limit int64, afterStart time.Time, afterID string) ([]domain.Assembly, error) {
	filter := bson.D{
		{Key: "public", Value: true},
		{Key: "ends_at", Value: bson.D{{Key: "$gte", Value: now}}},
	}
	if afterID != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "starts_at", Value: bson.D{{Key: "$gt", Value: afterStart}}}},
			bson.D{{Key: "starts_at", Value: afterStart}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}}},
		}})
	}
	cur, err := s.assemblies.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "starts_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(limit).
		SetProjection(withoutOutbox))
	if err != nil {
		return nil, fmt.Errorf("list assemblies: %w", err)
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
