package broker

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
)

// CloudEvents NATS protocol binding (binary mode) header names, plus the W3C
// trace context and JetStream's de-duplication id.
const (
	HeaderSpecVersion = "ce-specversion"
	HeaderID          = "ce-id"
	HeaderType        = "ce-type"
	HeaderSource      = "ce-source"
	HeaderTime        = "ce-time"
	HeaderContentType = "content-type"
	HeaderTraceParent = "traceparent"
	contentTypeProto  = "application/protobuf"
)

// Event is a domain event as it is stored in an outbox and travels on NATS:
// CloudEvents metadata and the protobuf-encoded payload.
type Event struct {
	ID          string    `bson:"id"`
	Type        string    `bson:"type"`
	Source      string    `bson:"source"`
	Subject     string    `bson:"subject"`
	Time        time.Time `bson:"time"`
	TraceParent string    `bson:"traceparent,omitempty"`
	Data        []byte    `bson:"data"`
}

// NewEvent wraps a domain event message. Its NATS subject comes from the
// message's (coalition.options.v1.subject) option, its type is the message's
// full protobuf name, and its id a fresh UUIDv7 (time-ordered).
func NewEvent(source string, msg proto.Message) (Event, error) {
	subject, err := SubjectOf(msg)
	if err != nil {
		return Event{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Event{}, fmt.Errorf("event id: %w", err)
	}
	data, err := proto.Marshal(msg)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s: %w", subject, err)
	}
	return Event{
		ID:      id.String(),
		Type:    string(msg.ProtoReflect().Descriptor().FullName()),
		Source:  source,
		Subject: subject,
		Time:    time.Now().UTC().Truncate(time.Millisecond),
		Data:    data,
	}, nil
}

// SubjectOf returns the NATS subject an event message declares.
func SubjectOf(msg proto.Message) (string, error) {
	desc := msg.ProtoReflect().Descriptor()
	subject, _ := proto.GetExtension(desc.Options(), optionsv1.E_Subject).(string)
	if subject == "" {
		return "", fmt.Errorf("%s is not a domain event: it declares no (coalition.options.v1.subject)", desc.FullName())
	}
	return subject, nil
}

// Decode unmarshals the payload into msg, checking that the event is of that type.
func (e Event) Decode(msg proto.Message) error {
	if want := string(msg.ProtoReflect().Descriptor().FullName()); e.Type != want {
		return fmt.Errorf("event %s is a %s, not a %s", e.ID, e.Type, want)
	}
	if err := proto.Unmarshal(e.Data, msg); err != nil {
		return fmt.Errorf("decode event %s: %w", e.ID, err)
	}
	return nil
}

// Msg builds the NATS message for the event (CloudEvents binary mode).
func (e Event) Msg() *nats.Msg {
	m := nats.NewMsg(e.Subject)
	m.Data = e.Data
	m.Header.Set(HeaderSpecVersion, "1.0")
	m.Header.Set(HeaderID, e.ID)
	m.Header.Set(HeaderType, e.Type)
	m.Header.Set(HeaderSource, e.Source)
	m.Header.Set(HeaderTime, e.Time.Format(time.RFC3339Nano))
	m.Header.Set(HeaderContentType, contentTypeProto)
	if e.TraceParent != "" {
		m.Header.Set(HeaderTraceParent, e.TraceParent)
	}
	// JetStream drops a second publish with the same id inside the stream's
	// duplicate window: a relay that crashed after publishing only re-publishes.
	m.Header.Set(nats.MsgIdHdr, e.ID)
	return m
}

// EventFromMsg reads an event back from a NATS message.
func EventFromMsg(subject string, h nats.Header, data []byte) (Event, error) {
	e := Event{
		ID:          h.Get(HeaderID),
		Type:        h.Get(HeaderType),
		Source:      h.Get(HeaderSource),
		Subject:     subject,
		TraceParent: h.Get(HeaderTraceParent),
		Data:        data,
	}
	var missing []string
	for name, v := range map[string]string{HeaderID: e.ID, HeaderType: e.Type, HeaderSource: e.Source} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return Event{}, fmt.Errorf("message on %s lacks CloudEvents headers %s", subject, strings.Join(missing, ", "))
	}
	t, err := time.Parse(time.RFC3339Nano, h.Get(HeaderTime))
	if err != nil {
		return Event{}, fmt.Errorf("message on %s has a bad %s: %w", subject, HeaderTime, err)
	}
	e.Time = t
	return e, nil
}

// permanent marks an error that redelivery cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying: the consumer dead-letters the
// event at once instead of redelivering it.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
