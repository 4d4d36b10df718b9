package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/outbox"
)

// Reminder is one reminder of one assembly: due Lead before its start, fired
// once.
type Reminder struct {
	ID         string
	AssemblyID string
	Lead       time.Duration
	DueAt      time.Time
	Fired      bool
}

type reminderDoc struct {
	ID             string    `bson:"_id"`
	AssemblyID     string    `bson:"assembly_id"`
	LeadSeconds    int64     `bson:"lead_s"`
	DueAt          time.Time `bson:"due_at"`
	Fired          bool      `bson:"fired"`
	FiredAt        time.Time `bson:"fired_at,omitempty"`
	outbox.Pending `bson:",inline"`
}

// ReminderID is the reminder of assembly id lead before its start: one per
// (assembly, lead), so scheduling twice cannot create two.
func ReminderID(assemblyID string, lead time.Duration) string {
	return fmt.Sprintf("%s/%d", assemblyID, int64(lead/time.Second))
}

// SetReminders makes the assembly's reminders due lead before start: new
// ones are created, unfired ones move (a reminder whose new due time is
// already past is dropped rather than fired late in a burst), fired ones are
// re-armed when a reschedule moves their due time into the future.
func (s *Store) SetReminders(ctx context.Context, assemblyID string, start, now time.Time, leads []time.Duration) error {
	for _, lead := range leads {
		id := ReminderID(assemblyID, lead)
		due := start.Add(-lead)
		unlock, err := s.locks.Lock(ctx, s.reminders, id)
		if err != nil {
			return fmt.Errorf("set reminder: %w", err)
		}
		if !due.After(now) {
			_, err = s.reminders.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "fired", Value: false}})
		} else {
			_, err = s.reminders.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
				bson.D{{Key: "$set", Value: bson.D{
					{Key: "assembly_id", Value: assemblyID}, {Key: "lead_s", Value: int64(lead / time.Second)},
					{Key: "due_at", Value: due}, {Key: "fired", Value: false},
				}}},
				options.UpdateOne().SetUpsert(true))
		}
		unlock()
		if err != nil {
			return fmt.Errorf("set reminder: %w", err)
		}
	}
	return nil
}

// DeleteReminders drops an assembly's unfired reminders (cancelled).
func (s *Store) DeleteReminders(ctx context.Context, assemblyID string) error {
	if _, err := s.reminders.DeleteMany(ctx, bson.D{{Key: "assembly_id", Value: assemblyID}, {Key: "fired", Value: false}}); err != nil {
		return fmt.Errorf("delete reminders: %w", err)
	}
	return nil
}

// DueReminders lists unfired reminders due by now.
func (s *Store) DueReminders(ctx context.Context, now time.Time, limit int64) ([]Reminder, error) {
	cur, err := s.reminders.Find(ctx,
		bson.D{{Key: "fired", Value: false}, {Key: "due_at", Value: bson.D{{Key: "$lte", Value: now}}}},
		options.Find().SetSort(bson.D{{Key: "due_at", Value: 1}}).SetLimit(limit).
			SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("find due reminders: %w", err)
	}
	var docs []reminderDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read due reminders: %w", err)
	}
	out := make([]Reminder, len(docs))
	for i, d := range docs {
		out[i] = Reminder{ID: d.ID, AssemblyID: d.AssemblyID, Lead: time.Duration(d.LeadSeconds) * time.Second, DueAt: d.DueAt.UTC(), Fired: d.Fired}
	}
	return out, nil
}

// FireReminder marks a due reminder fired with its event, once: a
// conditional update (fired: false, same due time) under the document's
// lock, so of two claimers only one wins. It reports whether this call did.
func (s *Store) FireReminder(ctx context.Context, r Reminder, now time.Time, events ...broker.Event) (bool, error) {
	unlock, err := s.locks.Lock(ctx, s.reminders, r.ID)
	if err != nil {
		return false, fmt.Errorf("fire reminder: %w", err)
	}
	defer unlock()
	res, err := s.reminders.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: r.ID}, {Key: "fired", Value: false}, {Key: "due_at", Value: r.DueAt}},
		outbox.Update(bson.D{{Key: "fired", Value: true}, {Key: "fired_at", Value: now}}, nil, events...))
	if err != nil {
		return false, fmt.Errorf("fire reminder: %w", err)
	}
	return res.MatchedCount == 1, nil
}
