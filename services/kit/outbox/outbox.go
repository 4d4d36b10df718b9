// Package outbox implements DESIGN.md's reliability rule 1, "no lost events",
// without multi-document transactions: the events a state change produces
// ride in the very document that changed, written by the same single-document
// write; a Relay publishes them to JetStream, waits for the acknowledgement,
// and only then removes them from the document.
//
// A crash between publishing and removing re-publishes on the next round;
// JetStream drops the copy inside its duplicate window (the event id is the
// Nats-Msg-Id) and consumers' inboxes absorb anything later.
//
// The relay finds work two ways: writers name the documents they gave
// events (Relay.Notify), which it reads by _id — the only lookup the
// embedded store answers by index — and it scans for pending documents at
// start, on Kick and every PollInterval, the safety net for documents
// written before a crash or dropped from its bounded queue.
package outbox

import (
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/cc4dr/coalition/services/kit/broker"
)

// Field names of the outbox inside a document.
const (
	FieldEvents  = "outbox"
	FieldSeq     = "outbox_seq"
	FieldPending = "outbox_pending"
)

// Pending is embedded (bson ",inline") in every document that produces events.
type Pending struct {
	Events []broker.Event `bson:"outbox,omitempty"`
	// Seq counts appends, so the relay can tell whether events were added
	// while it was publishing.
	Seq int64 `bson:"outbox_seq"`
	// Set while Events is not empty; indexed, so the relay's scan finds
	// work fast on MongoDB (the embedded store reads every document to
	// answer it, hence Relay.Notify).
	HasPending bool `bson:"outbox_pending"`
}

// New is the outbox of a document inserted with these events.
func New(events ...broker.Event) Pending {
	if len(events) == 0 {
		return Pending{}
	}
	return Pending{Events: events, Seq: 1, HasPending: true}
}

// Update builds an update document that applies set and inc (either may be
// empty) and appends events to the document's outbox, all in one write.
func Update(set, inc bson.D, events ...broker.Event) bson.D {
	if len(events) > 0 {
		set = append(set, bson.E{Key: FieldPending, Value: true})
		inc = append(inc, bson.E{Key: FieldSeq, Value: int64(1)})
	}
	update := bson.D{}
	if len(set) > 0 {
		update = append(update, bson.E{Key: "$set", Value: set})
	}
	if len(inc) > 0 {
		update = append(update, bson.E{Key: "$inc", Value: inc})
	}
	if len(events) > 0 {
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: FieldEvents, Value: bson.D{{Key: "$each", Value: events}}}}})
	}
	return update
}
