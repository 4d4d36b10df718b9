package store

import (
	"context"
	"fmt"
	"regexp"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/kit/paging"
)

// Filter selects deliveries to list; empty fields match everything.
type Filter struct {
	Status    Status
	EventID   string
	EventType string
	Template  string
	// Recipient matches the address without regard to case.
	Recipient string
	PageSize  int
	PageToken string
}

// List returns deliveries newest first, a page at a time (default 50); next
// continues the listing ("" at the end). A bad page token is
// paging.ErrBadToken.
func (s *Store) List(ctx context.Context, f Filter) (_ []Delivery, next string, _ error) {
	q := bson.D{}
	for k, v := range map[string]string{"status": string(f.Status), "event_id": f.EventID, "event_type": f.EventType, "template": f.Template} {
		if v != "" {
			q = append(q, bson.E{Key: k, Value: v})
		}
	}
	if f.Recipient != "" {
		q = append(q, bson.E{Key: "recipient", Value: bson.D{
			{Key: "$regex", Value: "^" + regexp.QuoteMeta(f.Recipient) + "$"}, {Key: "$options", Value: "i"},
		}})
	}
	if f.PageToken != "" {
		t, id, err := paging.ParseTime(f.PageToken)
		if err != nil {
			return nil, "", err
		}
		q = append(q, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "created_at", Value: bson.D{{Key: "$lt", Value: t}}}},
			bson.D{{Key: "created_at", Value: t}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: id}}}},
		}})
	}
	if f.PageSize <= 0 {
		f.PageSize = 50
	}
	cur, err := s.deliveries.Find(ctx, q, options.Find().
		SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(f.PageSize)+1).
		SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}, {Key: "content", Value: 0}}))
	if err != nil {
		return nil, "", fmt.Errorf("list deliveries: %w", err)
	}
	var out []Delivery
	if err := cur.All(ctx, &out); err != nil {
		return nil, "", fmt.Errorf("read deliveries: %w", err)
	}
	if len(out) > f.PageSize {
		out = out[:f.PageSize]
		last := out[len(out)-1]
		next = paging.TimeToken(last.CreatedAt, last.ID)
	}
	return out, next, nil
}
