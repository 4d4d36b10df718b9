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
	ID           string        `bson:"_id"`
	Kind         domain.Kind   `bson:"kind"`
	Title        string        `bson:"title"`
	Description  string        `bson:"description,omitempty"`
	StartsAt     time.Time     `bson:"starts_at"`
	EndsAt       time.Time     `bson:"ends_at"`
	TimeZone     string        `bson:"time_zone"`
	HostCity     string        `bson:"host_city,omitempty"`
	Venue        string        `bson:"venue,omitempty"`
	OnlineURL    string        `bson:"online_url,omitempty"`
	Public       bool          `bson:"public"`
	Status       domain.Status `bson:"status"`
	CreatedAt    time.Time     `bson:"created_at"`
	Agenda       []agendaDoc   `bson:"agenda,omitempty"`
	Capacity     int           `bson:"capacity,omitempty"`
	RSVPDeadline *time.Time    `bson:"rsvp_deadline,omitempty"`
	Sequence     int           `bson:"sequence"`
	PlannedStart string        `bson:"planned_local_start"`
	PlannedEnd   string        `bson:"planned_local_end"`
	BodyIDs      []string      `bson:"body_ids,omitempty"`
	Invitees     []inviteeDoc  `bson:"invitees,omitempty"`
	// InviteeKeys and TokenHashes repeat what is in invitees as plain
	// arrays, which both MongoDB and FerretDB match with a simple filter
	// (conflicts by email key, RSVP by token hash).
	InviteeKeys []string `bson:"invitee_keys,omitempty"`
	TokenHashes []string `bson:"token_hashes,omitempty"`
	// RepresentativeIDs: the invitees' representative ids (signed-in
	// representatives' own invitations).
	RepresentativeIDs []string    `bson:"representative_ids,omitempty"`
	Minutes           *minutesDoc `bson:"minutes,omitempty"`
	CancelReason      string      `bson:"cancel_reason,omitempty"`
	outbox.Pending    `bson:",inline"`
}

type agendaDoc struct {
	Title       string `bson:"title"`
	Description string `bson:"description,omitempty"`
	Minutes     int    `bson:"minutes,omitempty"`
}

type inviteeDoc struct {
	Key         string          `bson:"key"`
	Name        string          `bson:"name"`
	Email       string          `bson:"email"`
	Language    string          `bson:"language,omitempty"`
	TimeZone    string          `bson:"time_zone"`
	BodyID      string          `bson:"body_id,omitempty"`
	RepID       string          `bson:"representative_id,omitempty"`
	TokenHash   string          `bson:"token_hash"`
	Response    domain.Response `bson:"response"`
	RespondedAt *time.Time      `bson:"responded_at,omitempty"`
}

type minutesDoc struct {
	Text        string    `bson:"text"`
	Outcomes    []string  `bson:"outcomes,omitempty"`
	PublishedAt time.Time `bson:"published_at"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func toAssemblyDoc(a domain.Assembly) assemblyDoc {
	d := assemblyDoc{
		ID: a.ID, Kind: a.Kind, Title: a.Title, Description: a.Description, StartsAt: a.StartsAt, EndsAt: a.EndsAt,
		TimeZone: a.TimeZone, HostCity: a.HostCity, Venue: a.Venue, OnlineURL: a.OnlineURL, Public: a.Public,
		Status: a.Status, CreatedAt: a.CreatedAt, Capacity: a.Capacity, RSVPDeadline: timePtr(a.RSVPDeadline),
		Sequence: a.Sequence, PlannedStart: a.PlannedLocalStart, PlannedEnd: a.PlannedLocalEnd, BodyIDs: a.BodyIDs,
		CancelReason: a.CancelReason,
	}
	for _, it := range a.Agenda {
		d.Agenda = append(d.Agenda, agendaDoc{Title: it.Title, Description: it.Description, Minutes: it.Minutes})
	}
	for _, p := range a.Invitees {
		d.Invitees = append(d.Invitees, inviteeDoc{Key: p.Key, Name: p.Name, Email: p.Email, Language: p.Language,
			TimeZone: p.TimeZone, BodyID: p.BodyID, RepID: p.RepresentativeID, TokenHash: p.TokenHash, Response: p.Response,
			RespondedAt: timePtr(p.RespondedAt)})
		d.InviteeKeys = append(d.InviteeKeys, p.Key)
		if p.RepresentativeID != "" {
			d.RepresentativeIDs = append(d.RepresentativeIDs, p.RepresentativeID)
		}
		if p.TokenHash != "" {
			d.TokenHashes = append(d.TokenHashes, p.TokenHash)
		}
	}
	if a.Minutes != nil {
		d.Minutes = &minutesDoc{Text: a.Minutes.Text, Outcomes: a.Minutes.Outcomes, PublishedAt: a.Minutes.PublishedAt}
	}
	return d
}

func (d assemblyDoc) domain() domain.Assembly {
	a := domain.Assembly{
		ID: d.ID, Kind: d.Kind, Title: d.Title, Description: d.Description, StartsAt: d.StartsAt.UTC(), EndsAt: d.EndsAt.UTC(),
		TimeZone: d.TimeZone, HostCity: d.HostCity, Venue: d.Venue, OnlineURL: d.OnlineURL, Public: d.Public,
		Status: d.Status, CreatedAt: d.CreatedAt.UTC(), Capacity: d.Capacity, RSVPDeadline: timeOf(d.RSVPDeadline),
		Sequence: d.Sequence, PlannedLocalStart: d.PlannedStart, PlannedLocalEnd: d.PlannedEnd, BodyIDs: d.BodyIDs,
		CancelReason: d.CancelReason,
	}
	for _, it := range d.Agenda {
		a.Agenda = append(a.Agenda, domain.AgendaItem{Title: it.Title, Description: it.Description, Minutes: it.Minutes})
	}
	for _, p := range d.Invitees {
		a.Invitees = append(a.Invitees, domain.Invitee{Key: p.Key, Name: p.Name, Email: p.Email, Language: p.Language,
			TimeZone: p.TimeZone, BodyID: p.BodyID, RepresentativeID: p.RepID, TokenHash: p.TokenHash, Response: p.Response,
			RespondedAt: timeOf(p.RespondedAt)})
	}
	if d.Minutes != nil {
		a.Minutes = &domain.Minutes{Text: d.Minutes.Text, Outcomes: d.Minutes.Outcomes, PublishedAt: d.Minutes.PublishedAt.UTC()}
	}
	return a
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

// UpdateAssemblyLocked changes an assembly: under the document's lock it
// loads the current state, lets update change it (or refuse with an error)
// and writes it back with update's events, conditional on the sequence it
// read (the lock makes that hold in this process; the condition guards the
// write anyway).
func (s *Store) UpdateAssemblyLocked(ctx context.Context, id string, update func(a *domain.Assembly) ([]broker.Event, error)) (domain.Assembly, error) {
	unlock, err := s.locks.Lock(ctx, s.assemblies, id)
	if err != nil {
		return domain.Assembly{}, fmt.Errorf("update assembly: %w", err)
	}
	defer unlock()
	a, err := s.Assembly(ctx, id)
	if err != nil {
		return domain.Assembly{}, err
	}
	seq := a.Sequence
	events, err := update(&a)
	if err != nil {
		return domain.Assembly{}, err
	}
	ok, err := s.replaceLocked(ctx, a, bson.D{{Key: "sequence", Value: seq}}, events...)
	if err != nil {
		return domain.Assembly{}, err
	}
	if !ok {
		return domain.Assembly{}, fmt.Errorf("assembly %s changed while locked", id)
	}
	return a, nil
}

func (s *Store) replaceLocked(ctx context.Context, a domain.Assembly, cond bson.D, events ...broker.Event) (bool, error) {
	d := toAssemblyDoc(a)
	set := bson.D{
		{Key: "kind", Value: d.Kind}, {Key: "title", Value: d.Title}, {Key: "description", Value: d.Description},
		{Key: "starts_at", Value: d.StartsAt}, {Key: "ends_at", Value: d.EndsAt}, {Key: "time_zone", Value: d.TimeZone},
		{Key: "host_city", Value: d.HostCity}, {Key: "venue", Value: d.Venue}, {Key: "online_url", Value: d.OnlineURL},
		{Key: "public", Value: d.Public}, {Key: "status", Value: d.Status}, {Key: "agenda", Value: d.Agenda},
		{Key: "capacity", Value: d.Capacity}, {Key: "rsvp_deadline", Value: d.RSVPDeadline}, {Key: "sequence", Value: d.Sequence},
		{Key: "planned_local_start", Value: d.PlannedStart}, {Key: "planned_local_end", Value: d.PlannedEnd},
		{Key: "body_ids", Value: d.BodyIDs}, {Key: "invitees", Value: d.Invitees}, {Key: "invitee_keys", Value: d.InviteeKeys},
		{Key: "token_hashes", Value: d.TokenHashes}, {Key: "representative_ids", Value: d.RepresentativeIDs},
		{Key: "minutes", Value: d.Minutes}, {Key: "cancel_reason", Value: d.CancelReason},
	}
	filter := append(bson.D{{Key: "_id", Value: a.ID}}, cond...)
	res, err := s.assemblies.UpdateOne(ctx, filter, outbox.Update(set, nil, events...))
	if err != nil {
		return false, fmt.Errorf("update assembly: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// AssemblyByToken finds the assembly id with an invitee whose token hash is
// hash.
func (s *Store) AssemblyByToken(ctx context.Context, hash string) (domain.Assembly, error) {
	var d assemblyDoc
	err := s.assemblies.FindOne(ctx, bson.D{{Key: "token_hashes", Value: hash}}, options.FindOne().SetProjection(withoutOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Assembly{}, domain.ErrInvitationNotFound
	}
	if err != nil {
		return domain.Assembly{}, fmt.Errorf("find invitation: %w", err)
	}
	return d.domain(), nil
}

// Overlapping lists scheduled assemblies other than exclude that overlap
// [start, end) and invite any of keys.
func (s *Store) Overlapping(ctx context.Context, start, end time.Time, keys []string, exclude string) ([]domain.Assembly, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	filter := bson.D{
		{Key: "status", Value: domain.StatusScheduled},
		{Key: "starts_at", Value: bson.D{{Key: "$lt", Value: end}}},
		{Key: "ends_at", Value: bson.D{{Key: "$gt", Value: start}}},
		{Key: "invitee_keys", Value: bson.D{{Key: "$in", Value: keys}}},
	}
	if exclude != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: exclude}}})
	}
	cur, err := s.assemblies.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "starts_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(500).
		SetProjection(bson.D{{Key: "title", Value: 1}, {Key: "starts_at", Value: 1}, {Key: "ends_at", Value: 1}, {Key: "invitee_keys", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find overlapping assemblies: %w", err)
	}
	var docs []assemblyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read overlapping assemblies: %w", err)
	}
	out := make([]domain.Assembly, len(docs))
	for i, d := range docs {
		a := d.domain()
		for _, k := range d.InviteeKeys {
			a.Invitees = append(a.Invitees, domain.Invitee{Key: k})
		}
		out[i] = a
	}
	return out, nil
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
