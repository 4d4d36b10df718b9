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
	ID             string                `bson:"_id"`
	Name           string                `bson:"name"`
	NameKey        string                `bson:"name_key"`
	Kind           domain.Kind           `bson:"kind"`
	Country        string                `bson:"country"`
	Region         string                `bson:"region,omitempty"`
	Population     int64                 `bson:"population,omitempty"`
	Status         domain.Status         `bson:"status"`
	JoinedAt       *time.Time            `bson:"joined_at,omitempty"`
	Commitment     string                `bson:"commitment,omitempty"`
	Principles     []domain.Principle    `bson:"principles,omitempty"`
	ApplicationID  string                `bson:"application_id,omitempty"`
	History        []domain.StatusChange `bson:"history,omitempty"`
	CreatedAt      time.Time             `bson:"created_at"`
	outbox.Pending `bson:",inline"`
}

func toMemberDoc(m domain.Member) memberDoc {
	d := memberDoc{
		ID: m.ID, Name: m.Name, NameKey: m.NameKey, Kind: m.Kind, Country: m.Country, Region: m.Region,
		Population: m.Population, Status: m.Status, Commitment: m.Commitment, CreatedAt: m.CreatedAt,
		Principles: m.Principles, ApplicationID: m.ApplicationID, History: m.History,
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
		Principles: d.Principles, ApplicationID: d.ApplicationID, History: d.History,
	}
	if d.JoinedAt != nil {
		m.JoinedAt = *d.JoinedAt
	}
	return m
}

// withoutOutbox leaves the pending events out of what reads return.
var withoutOutbox = bson.D{{Key: outbox.FieldEvents, Value: 0}}

// directoryProjection also leaves out the status history, which only
// GetMember shows.
var directoryProjection = bson.D{{Key: outbox.FieldEvents, Value: 0}, {Key: "history", Value: 0}}

// LockMember holds the member's document lock until unlock is called: an
// edit or a status change holds it from reading the member to writing it,
// and UpdateMemberFacts and SetMemberStatus expect it held (Admit takes it
// itself).
func (s *Store) LockMember(ctx context.Context, id string) (unlock func(), err error) {
	return s.locks.Lock(ctx, s.members, id)
}

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

// MemberFilter narrows the directory; zero fields match everything.
type MemberFilter struct {
	Country string
	Region  string
	Kind    domain.Kind
	Status  domain.Status
	// Principle: only members whose principles include it.
	Principle domain.Principle
}

// Members lists members by name (key), then id, after the given position.
func (s *Store) Members(ctx context.Context, f MemberFilter, limit int64, afterNameKey, afterID string) ([]domain.Member, error) {
	filter := bson.D{}
	if f.Country != "" {
		filter = append(filter, bson.E{Key: "country", Value: f.Country})
	}
	if f.Region != "" {
		filter = append(filter, bson.E{Key: "region", Value: f.Region})
	}
	if f.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: f.Kind})
	}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: f.Status})
	}
	if f.Principle != "" { // an array field equal to a value matches when it holds it
		filter = append(filter, bson.E{Key: "principles", Value: f.Principle})
	}
	if afterID != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "name_key", Value: bson.D{{Key: "$gt", Value: afterNameKey}}}},
			bson.D{{Key: "name_key", Value: afterNameKey}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}}},
		}})
	}
	cur, err := s.members.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "name_key", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(limit).
		SetProjection(directoryProjection))
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

// SetMemberStatus moves a member from one status to another, recording who
// and why, and queues the events, in one write. The caller holds the
// member's lock (LockMember). It returns domain.ErrConcurrentChange when
// the member was not in status from any more.
func (s *Store) SetMemberStatus(ctx context.Context, id string, from, to domain.Status, by, reason string, at time.Time, events ...broker.Event) error {
	set := bson.D{{Key: "status", Value: to}}
	if to == domain.StatusMember {
		set = append(set, bson.E{Key: "joined_at", Value: at})
	}
	update := withPush(outbox.Update(set, nil, events...), "history",
		domain.StatusChange{From: from, To: to, By: by, At: at, Reason: reason})
	res, err := s.members.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: from}}, update)
	if err != nil {
		return fmt.Errorf("change member status: %w", err)
	}
	if res.MatchedCount == 0 {
		return domain.ErrConcurrentChange
	}
	return nil
}

// Admit makes m a member on behalf of application appID: it inserts m when
// new, or (re-)admits the existing entry m.ID, with the events in the same
// write. It is idempotent: when the member was already admitted for appID
// it changes nothing and reports done=false.
func (s *Store) Admit(ctx context.Context, m domain.Member, existing bool, appID, by string, events ...broker.Event) (done bool, err error) {
	m.ApplicationID = appID
	if !existing {
		d := toMemberDoc(m)
		d.History = []domain.StatusChange{{From: "", To: domain.StatusMember, By: by, At: m.JoinedAt, Reason: "application " + appID + " approved"}}
		d.Pending = outbox.New(events...)
		_, err := s.members.InsertOne(ctx, d)
		if mongodb.IsDuplicateKey(err) {
			cur, lerr := s.Member(ctx, m.ID)
			if lerr == nil && cur.ApplicationID == appID {
				return false, nil
			}
			return false, domain.ErrDuplicateMember
		}
		if err != nil {
			return false, fmt.Errorf("admit member: %w", err)
		}
		return true, nil
	}
	unlock, err := s.locks.Lock(ctx, s.members, m.ID)
	if err != nil {
		return false, fmt.Errorf("admit member: %w", err)
	}
	defer unlock()
	cur, err := s.Member(ctx, m.ID)
	if err != nil {
		return false, err
	}
	if cur.ApplicationID == appID && cur.Status == domain.StatusMember {
		return false, nil
	}
	set := bson.D{
		{Key: "status", Value: domain.StatusMember}, {Key: "joined_at", Value: m.JoinedAt},
		{Key: "application_id", Value: appID}, {Key: "principles", Value: m.Principles},
		{Key: "commitment", Value: m.Commitment}, {Key: "kind", Value: m.Kind},
	}
	if m.Region != "" {
		set = append(set, bson.E{Key: "region", Value: m.Region})
	}
	if m.Population > 0 {
		set = append(set, bson.E{Key: "population", Value: m.Population})
	}
	update := withPush(outbox.Update(set, nil, events...), "history",
		domain.StatusChange{From: cur.Status, To: domain.StatusMember, By: by, At: m.JoinedAt, Reason: "application " + appID + " approved"})
	res, err := s.members.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "status", Value: cur.Status}}, update)
	if err != nil {
		return false, fmt.Errorf("admit member: %w", err)
	}
	if res.MatchedCount == 0 {
		return false, domain.ErrConcurrentChange
	}
	return true, nil
}

// MemberIDsWithStatus lists the ids of the cities and networks in a status.
func (s *Store) CityIDsWithStatus(ctx context.Context, st domain.Status) ([]string, error) {
	kinds := bson.A{}
	for _, k := range domain.CityKinds {
		kinds = append(kinds, k)
	}
	cur, err := s.members.Find(ctx, bson.D{{Key: "status", Value: st}, {Key: "kind", Value: bson.D{{Key: "$in", Value: kinds}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}

// withPush adds field: value to an update's $push (creating it if needed).
func withPush(update bson.D, field string, value any) bson.D {
	for i, e := range update {
		if e.Key == "$push" {
			update[i].Value = append(e.Value.(bson.D), bson.E{Key: field, Value: value})
			return update
		}
	}
	return append(update, bson.E{Key: "$push", Value: bson.D{{Key: field, Value: value}}})
}
