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
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

type applicationDoc struct {
	ID              string                   `bson:"_id"`
	City            string                   `bson:"city"`
	CityKey         string                   `bson:"city_key"`
	Country         string                   `bson:"country"`
	Region          string                   `bson:"region,omitempty"`
	Kind            domain.Kind              `bson:"kind"`
	Population      int64                    `bson:"population,omitempty"`
	Contact         domain.Contact           `bson:"contact"`
	Language        string                   `bson:"language"`
	Commitment      domain.Commitment        `bson:"commitment"`
	Policies        []domain.Policy          `bson:"policies"`
	Status          domain.ApplicationStatus `bson:"status"`
	TokenHash       string                   `bson:"token_hash"`
	RejectionReason string                   `bson:"rejection_reason,omitempty"`
	MemberID        string                   `bson:"member_id,omitempty"`
	History         []domain.Transition      `bson:"history"`
	CreatedAt       time.Time                `bson:"created_at"`
	outbox.Pending  `bson:",inline"`
}

func (d applicationDoc) domain() domain.Application {
	return domain.Application{
		ID: d.ID, City: d.City, CityKey: d.CityKey, Country: d.Country, Region: d.Region, Kind: d.Kind,
		Population: d.Population, Contact: d.Contact, Language: d.Language, Commitment: d.Commitment,
		Policies: d.Policies, Status: d.Status, TokenHash: d.TokenHash, RejectionReason: d.RejectionReason,
		MemberID: d.MemberID, History: d.History, CreatedAt: d.CreatedAt,
	}
}

// InsertApplication stores a new application with its events.
func (s *Store) InsertApplication(ctx context.Context, a domain.Application, events ...broker.Event) error {
	d := applicationDoc{
		ID: a.ID, City: a.City, CityKey: a.CityKey, Country: a.Country, Region: a.Region, Kind: a.Kind,
		Population: a.Population, Contact: a.Contact, Language: a.Language, Commitment: a.Commitment,
		Policies: a.Policies, Status: a.Status, TokenHash: a.TokenHash, History: a.History, CreatedAt: a.CreatedAt,
		Pending: outbox.New(events...),
	}
	if d.History == nil {
		d.History = []domain.Transition{}
	}
	if _, err := s.applications.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert application: %w", err)
	}
	return nil
}

// Application loads one application.
func (s *Store) Application(ctx context.Context, id string) (domain.Application, error) {
	var d applicationDoc
	err := s.applications.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(withoutOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Application{}, domain.ErrApplicationNotFound
	}
	if err != nil {
		return domain.Application{}, fmt.Errorf("load application: %w", err)
	}
	return d.domain(), nil
}

// Applications lists applications newest first, in one status if given.
func (s *Store) Applications(ctx context.Context, status domain.ApplicationStatus, limit int64) ([]domain.Application, error) {
	filter := bson.D{}
	if status != "" {
		filter = append(filter, bson.E{Key: "status", Value: status})
	}
	cur, err := s.applications.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(limit).SetProjection(withoutOutbox))
	if err != nil {
		return nil, fmt.Errorf("list applications: %w", err)
	}
	var docs []applicationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read applications: %w", err)
	}
	out := make([]domain.Application, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}

// MoveApplication records transition t (conditional on the application
// still being in t.From) with the events, in one write. The caller holds
// the application's lock (LockApplication).
func (s *Store) MoveApplication(ctx context.Context, a domain.Application, t domain.Transition, events ...broker.Event) error {
	set := bson.D{{Key: "status", Value: t.To}}
	if a.RejectionReason != "" {
		set = append(set, bson.E{Key: "rejection_reason", Value: a.RejectionReason})
	}
	if a.MemberID != "" {
		set = append(set, bson.E{Key: "member_id", Value: a.MemberID})
	}
	update := withPush(outbox.Update(set, nil, events...), "history", t)
	res, err := s.applications.UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}, {Key: "status", Value: t.From}}, update)
	if err != nil {
		return fmt.Errorf("update application: %w", err)
	}
	if res.MatchedCount == 0 {
		return domain.ErrConcurrentChange
	}
	return nil
}
