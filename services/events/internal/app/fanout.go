package app

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/broker"
)

// Event size budget. NATS refuses a message over its max_payload (1 MB by
// default), and the outbox relay retries a refused event forever, holding
// back every event after it: no event may ever exceed the budget.
const (
	// MaxEventBytes bounds one event's payload, leaving room under 1 MB
	// for the headers.
	MaxEventBytes = 900 << 10
	// MaxAssemblyBytes bounds an event without its invitations (the
	// assembly, with the minutes where they ride): the rest of
	// MaxEventBytes carries invitations. Every assembly within the
	// contract's bounds written in one-byte characters fits (about 540 KB
	// at most, minutes included); texts in many-byte scripts at their
	// maximum lengths may not, and are refused.
	MaxAssemblyBytes = 600 << 10
	// MaxInvitationsPerEvent keeps the work one event gives the
	// notification service short, whatever the sizes.
	MaxInvitationsPerEvent = 200
)

// fanOut builds the events that tell invitations about a change: build
// makes one event for a list of invitations, and the invitations are split
// into as many events as MaxEventBytes and MaxInvitationsPerEvent need
// (each invitation in exactly one; no invitations: one event without any).
// An assembly too large to announce at all is a FieldError on field.
func fanOut(field string, invitations []*eventsv1.Invitation, build func([]*eventsv1.Invitation) proto.Message) ([]broker.Event, error) {
	base := proto.Size(build(nil))
	if base > MaxAssemblyBytes {
		return nil, &domain.FieldError{Field: field, Reason: "assembly.too_large",
			Description: fmt.Sprintf("the assembly's texts (title, description, agenda, minutes) take %d KB together, at most %d KB: shorten them",
				base>>10, MaxAssemblyBytes>>10)}
	}
	var events []broker.Event
	emit := func(chunk []*eventsv1.Invitation) error {
		msg := build(chunk)
		if n := proto.Size(msg); n > MaxEventBytes { // cannot happen with the bounds above; never queue it
			return fmt.Errorf("event of %d invitations takes %d bytes, over %d", len(chunk), n, MaxEventBytes)
		}
		ev, err := broker.NewEvent(Source, msg)
		if err != nil {
			return err
		}
		events = append(events, ev)
		return nil
	}
	first, size := 0, base
	for i, inv := range invitations {
		// A repeated message field costs its tag (one byte: fields < 16),
		// the length and the message.
		n := 1 + protowire.SizeBytes(proto.Size(inv))
		if i > first && (size+n > MaxEventBytes || i-first == MaxInvitationsPerEvent) {
			if err := emit(invitations[first:i]); err != nil {
				return nil, err
			}
			first, size = i, base
		}
		size += n
	}
	if err := emit(invitations[first:]); err != nil {
		return nil, err
	}
	return events, nil
}

// textField names the request field most likely to blame for an assembly
// too large to announce: its agenda or its description.
func textField(as domain.Assembly) string {
	agenda := 0
	for _, it := range as.Agenda {
		agenda += len(it.Title) + len(it.Description)
	}
	if agenda > len(as.Description) {
		return "agenda"
	}
	return "description"
}
