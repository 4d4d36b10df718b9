package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

type representativeDoc struct {
	ID             string      `bson:"_id"`
	MemberID       string      `bson:"member_id"`
	Name           string      `bson:"name"`
	Email          string      `bson:"email"`
	EmailKey       string      `bson:"email_key"`
	Role           domain.Role `bson:"role"`
	Language       string      `bson:"language"`
	TimeZone       string      `bson:"time_zone"`
	Removed        bool        `bson:"removed"`
	CreatedAt      time.Time   `bson:"created_at"`
	RemovedAt      *time.Time  `bson:"removed_at,omitempty"`
	outbox.Pending `bson:",inline"`
}

func (d representativeDoc) domain() domain.Representative {
	return domain.Representative{
		ID: d.ID, MemberID: d.MemberID, Name: d.Name, Email: d.Email, EmailKey: d.EmailKey, Role: d.Role,
		Language: d.Language, TimeZone: d.TimeZone, Removed: d.Removed, CreatedAt: d.CreatedAt,
	}
}

// InsertRepresentative stores a new representative with its events, or
// returns domain.ErrDuplicateRepresentative.
func (s *Store) InsertRepresentative(ctx context.Context, r domain.Representative, events ...broker.Event) error {
	d := representativeDoc{
		ID: r.ID, MemberID: r.MemberID, Name: r.Name, Email: r.Email, EmailKey: r.EmailKey, Role: r.Role,
		Language: r.Language, TimeZone: r.TimeZone, CreatedAt: r.CreatedAt, Pending: outbox.New(events...),
	}
	_, err := s.representatives.InsertOne(ctx, d)
	if mongodb.IsDuplicateKey(err) {
		return domain.ErrDuplicateRepresentative
	}
	if err != nil {
		return fmt.Errorf("insert representative: %w", err)
	}
	return nil
}

// Representative loads one (not removed) representative.
func (s *Store) Representative(ctx context.Context, id string) (domain.Representative, error) {
	list, err := s.findRepresentatives(ctx, bson.D{{Key: "_id", Value: id}, {Key: "removed", Value: false}}, 1)
	if err != nil {
		return domain.Representative{}, err
	}
	if len(list) == 0 {
		return domain.Representative{}, domain.ErrRepresentativeNotFound
	}
	return list[0], nil
}

// RepresentativeByEmail finds a member's representative by address key.
func (s *Store) RepresentativeByEmail(ctx context.Context, memberID, emailKey string) (domain.Representative, error) {
	filter := bson.D{{Key: "email_key", Value: emailKey}, {Key: "removed", Value: false}}
	if memberID != "" {
		filter = append(filter, bson.E{Key: "member_id", Value: memberID})
	}
	list, err := s.findRepresentatives(ctx, filter, 2)
	if err != nil {
		return domain.Representative{}, err
	}
	if len(list) != 1 { // none, or ambiguous without a member
		return domain.Representative{}, domain.ErrRepresentativeNotFound
	}
	return list[0], nil
}

// RepresentativesOf lists a member's representatives by name.
func (s *Store) RepresentativesOf(ctx context.Context, memberID string) ([]domain.Representative, error) {
	return s.findRepresentatives(ctx, bson.D{{Key: "member_id", Value: memberID}, {Key: "removed", Value: false}}, 1000)
}

// PoliticalRepresentatives lists the political representatives of the
// given members and the representatives with the given ids.
func (s *Store) PoliticalRepresentatives(ctx context.Context, memberIDs, representativeIDs []string) ([]domain.Representative, error) {
	or := bson.A{}
	if len(memberIDs) > 0 {
		or = append(or, bson.D{{Key: "member_id", Value: bson.D{{Key: "$in", Value: memberIDs}}}, {Key: "role", Value: domain.RolePolitical}})
	}
	if len(representativeIDs) > 0 {
		or = append(or, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: representativeIDs}}}})
	}
	if len(or) == 0 {
		return nil, nil
	}
	return s.findRepresentatives(ctx, bson.D{{Key: "removed", Value: false}, {Key: "$or", Value: or}}, 10000)
}

func (s *Store) findRepresentatives(ctx context.Context, filter bson.D, limit int64) ([]domain.Representative, error) {
	cur, err := s.representatives.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(limit).SetProjection(withoutOutbox))
	if err != nil {
		return nil, fmt.Errorf("list representatives: %w", err)
	}
	var docs []representativeDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read representatives: %w", err)
	}
	out := make([]domain.Representative, len(docs))
	for i, d := range docs {
		out[i] = d.domain()
	}
	return out, nil
}

// LockRepresentative holds the representative's document lock until
// unlock is called: an edit holds it from reading to writing, and
// UpdateRepresentative expects it held.
func (s *Store) LockRepresentative(ctx context.Context, id string) (unlock func(), err error) {
	return s.locks.Lock(ctx, s.representatives, id)
}

// UpdateRepresentative writes a representative's corrected details with
// the events, in one write, if they are (still) a representative of
// r.MemberID. The caller holds their lock (LockRepresentative).
func (s *Store) UpdateRepresentative(ctx context.Context, r domain.Representative, events ...broker.Event) error {
	// Checked first as well as by the unique index (see UpdateMemberFacts).
	if taken, err := s.taken(ctx, s.representatives, r.ID, bson.D{{Key: "member_id", Value: r.MemberID}, {Key: "email_key", Value: r.EmailKey}}); err != nil || taken {
		if err != nil {
			return fmt.Errorf("update representative: %w", err)
		}
		return domain.ErrDuplicateRepresentative
	}
	res, err := s.representatives.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: r.ID}, {Key: "member_id", Value: r.MemberID}, {Key: "removed", Value: false}},
		outbox.Update(bson.D{
			{Key: "name", Value: r.Name}, {Key: "email", Value: r.Email}, {Key: "email_key", Value: r.EmailKey},
			{Key: "role", Value: r.Role}, {Key: "language", Value: r.Language}, {Key: "time_zone", Value: r.TimeZone},
		}, nil, events...))
	if mongodb.IsDuplicateKey(err) {
		return domain.ErrDuplicateRepresentative
	}
	if err != nil {
		return fmt.Errorf("update representative: %w", err)
	}
	if res.MatchedCount == 0 {
		return domain.ErrRepresentativeNotFound
	}
	return nil
}

// RemoveRepresentative erases a representative's personal data, leaving a
// tombstone of ids, and queues the events, in one write. It reports
// domain.ErrRepresentativeNotFound when there is no such (unremoved)
// representative of memberID.
func (s *Store) RemoveRepresentative(ctx context.Context, id, memberID string, at time.Time, events ...broker.Event) error {
	unlock, err := s.locks.Lock(ctx, s.representatives, id)
	if err != nil {
		return fmt.Errorf("remove representative: %w", err)
	}
	defer unlock()
	res, err := s.representatives.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "member_id", Value: memberID}, {Key: "removed", Value: false}},
		outbox.Update(bson.D{
			{Key: "removed", Value: true}, {Key: "removed_at", Value: at},
			{Key: "name", Value: ""}, {Key: "email", Value: ""}, {Key: "email_key", Value: "removed:" + id},
			{Key: "language", Value: ""}, {Key: "time_zone", Value: ""},
		}, nil, events...))
	if err != nil {
		return fmt.Errorf("remove representative: %w", err)
	}
	if res.MatchedCount == 0 {
		return domain.ErrRepresentativeNotFound
	}
	return nil
}
