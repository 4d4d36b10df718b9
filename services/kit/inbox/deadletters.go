package inbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/paging"
)

// Errors of the dead-letter methods.
var (
	ErrDeadLetterNotFound = errors.New("no such dead letter")
	// ErrUnreplayable: the dead letter's message could not be read as an
	// event (no id), so there is nothing to hand to a handler.
	ErrUnreplayable = errors.New("the dead letter's message was not a readable event; it cannot be replayed")
	// ErrReplayFailed wraps the handler's error when a replay fails again.
	ErrReplayFailed = errors.New("replay failed")
)

// DeadLetter is an event that failed for good.
type DeadLetter struct {
	ID         string       `bson:"_id"`
	Consumer   string       `bson:"consumer"`
	Event      broker.Event `bson:"event"`
	Deliveries uint64       `bson:"deliveries"`
	Error      string       `bson:"error"`
	FailedAt   time.Time    `bson:"failed_at"`
	// Concerns are the hashes of the email addresses in the event
	// (Concerning): erasure deletes by them (PurgeConcerning).
	Concerns []string `bson:"concerns,omitempty"`
}

// RecordDeadLetter is a broker.DeadLetterFunc. The error text is stored for
// coordinators, so handlers must not put personal data in their errors.
// The event is kept whole (for a replay) with the hashes of the addresses
// it names, so that erasing a person can find it; dead letters are not
// kept for ever either (SweepDeadLetters).
func (s *Store) RecordDeadLetter(ctx context.Context, consumer string, ev broker.Event, deliveries uint64, cause error) error {
	id := key(consumer, ev.ID)
	if ev.ID == "" {
		id = key(consumer, fmt.Sprintf("unreadable-%d", time.Now().UnixNano()))
	}
	_, err := s.dead.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, DeadLetter{
		ID: id, Consumer: consumer, Event: ev, Deliveries: deliveries, Error: cause.Error(), FailedAt: time.Now().UTC(),
		Concerns: Concerning(ev),
	}, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("record dead letter: %w", err)
	}
	return nil
}

// DeadLetters lists the most recent dead letters, newest first.
func (s *Store) DeadLetters(ctx context.Context, limit int64) ([]DeadLetter, error) {
	list, _, err := s.ListDeadLetters(ctx, "", int(limit), "")
	return list, err
}

// ListDeadLetters lists dead letters by failure time, newest first,
// optionally of one consumer, pageSize at a time (default 50); pageToken
// continues from a previous page's next token ("" when there is no more).
func (s *Store) ListDeadLetters(ctx context.Context, consumer string, pageSize int, pageToken string) ([]DeadLetter, string, error) {
	if pageSize <= 0 {
		pageSize = 50
	}
	q := bson.D{}
	if consumer != "" {
		q = append(q, bson.E{Key: "consumer", Value: consumer})
	}
	if pageToken != "" {
		t, id, err := paging.ParseTime(pageToken)
		if err != nil {
			return nil, "", err
		}
		q = append(q, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "failed_at", Value: bson.D{{Key: "$lt", Value: t}}}},
			bson.D{{Key: "failed_at", Value: t}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: id}}}},
		}})
	}
	cur, err := s.dead.Find(ctx, q, options.Find().
		SetSort(bson.D{{Key: "failed_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(pageSize)+1))
	if err != nil {
		return nil, "", fmt.Errorf("list dead letters: %w", err)
	}
	var out []DeadLetter
	if err := cur.All(ctx, &out); err != nil {
		return nil, "", fmt.Errorf("read dead letters: %w", err)
	}
	next := ""
	if len(out) > pageSize {
		out = out[:pageSize]
		last := out[len(out)-1]
		next = paging.TimeToken(last.FailedAt, last.ID)
	}
	return out, next, nil
}

// DeadLetter returns the consumer's dead letter of an event.
func (s *Store) DeadLetter(ctx context.Context, consumer, eventID string) (DeadLetter, error) {
	var d DeadLetter
	err := s.dead.FindOne(ctx, bson.D{{Key: "_id", Value: key(consumer, eventID)}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return DeadLetter{}, ErrDeadLetterNotFound
	case err != nil:
		return DeadLetter{}, fmt.Errorf("load dead letter: %w", err)
	}
	return d, nil
}

// Replay runs h, the consumer's handler, again on a dead letter's event,
// through the inbox as a redelivery would: an event the consumer applied
// meanwhile is not applied again (alreadyApplied). On success the dead
// letter is removed; when h fails again it stays, with the new error, and
// the returned error wraps ErrReplayFailed.
//
// Two replays of one dead letter at the same moment may both run h (the
// inbox record is written after the effect, as for redeliveries): handlers
// stay idempotent by their own keys, as the package doc says.
func (s *Store) Replay(ctx context.Context, consumer, eventID string, h broker.Handler) (alreadyApplied bool, err error) {
	d, err := s.DeadLetter(ctx, consumer, eventID)
	if err != nil {
		return false, err
	}
	if d.Event.ID == "" {
		return false, ErrUnreplayable
	}
	done, err := s.Applied(ctx, consumer, d.Event.ID)
	if err != nil {
		return false, err
	}
	if !done {
		if herr := h(ctx, d.Event); herr != nil {
			if _, err := s.dead.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, bson.D{{Key: "$set", Value: bson.D{
				{Key: "error", Value: herr.Error()}, {Key: "failed_at", Value: time.Now().UTC()},
			}}}); err != nil {
				return false, fmt.Errorf("record replay failure: %w", err)
			}
			return false, fmt.Errorf("%w: %w", ErrReplayFailed, herr)
		}
		if err := s.Record(ctx, consumer, d.Event); err != nil {
			return false, err
		}
	}
	if _, err := s.dead.DeleteOne(ctx, bson.D{{Key: "_id", Value: d.ID}}); err != nil {
		return done, fmt.Errorf("remove replayed dead letter: %w", err)
	}
	return done, nil
}

// PurgeConcerning deletes every dead letter whose event names the address
// with this hash (logging.EmailHash), for a person's erasure: a replay
// must not bring their data back. It reports how many went.
func (s *Store) PurgeConcerning(ctx context.Context, emailHash string) (int64, error) {
	if emailHash == "" {
		return 0, nil
	}
	res, err := s.dead.DeleteMany(ctx, bson.D{{Key: "concerns", Value: emailHash}})
	if err != nil {
		return 0, fmt.Errorf("purge dead letters: %w", err)
	}
	return res.DeletedCount, nil
}

// SweepDeadLetters deletes dead letters that failed more than retention ago
// (the store has no TTL indexes): they hold whole events, personal data
// included, and one nobody replayed by then is not going to be.
func (s *Store) SweepDeadLetters(ctx context.Context, retention time.Duration) (int64, error) {
	res, err := s.dead.DeleteMany(ctx, bson.D{{Key: "failed_at", Value: bson.D{{Key: "$lt", Value: time.Now().UTC().Add(-retention)}}}})
	if err != nil {
		return 0, fmt.Errorf("dead letter sweep: %w", err)
	}
	return res.DeletedCount, nil
}
