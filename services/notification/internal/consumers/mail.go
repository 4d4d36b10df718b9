// Package consumers turns other services' domain events into email. Each
// consumer is a durable JetStream pull consumer wrapped in the service's
// inbox (All lists them); each email goes through Sender, which records the
// delivery, keyed by (event, recipient, template), before it is sent, so no
// event sends the same email twice.
package consumers

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/outgoing"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// Notifier names documents with new events to the outbox relay.
type Notifier interface {
	Notify(collection string, ids ...string)
}

// Sender renders and records emails and hands them to the sending pipeline.
type Sender struct {
	Store       *store.Store
	Templates   *templates.Renderer
	Preferences *preferences.Service
	Pipeline    *outgoing.Pipeline
	Relay       Notifier
	// MessageIDDomain is the right-hand side of Message-IDs.
	MessageIDDomain string
	Log             *zap.Logger
}

// Email is one email an event asks for.
type Email struct {
	Event     broker.Event
	Recipient string
	Language  string
	Template  string
	Data      map[string]any
	// Attachments are sent with it (e.g. an invitation's .ics).
	Attachments []mailer.Attachment
}

// Send records e once per (event, recipient, template) and queues it for
// sending; it returns once the delivery is recorded, so the event can be
// acknowledged while the pipeline sends (and retries) from the record. A
// returned error means "redeliver the event later".
//
// A redelivered event (or one handled twice at once, here or in another
// instance) finds its delivery recorded and does nothing: sending belongs
// to whoever recorded it, or to the pipeline's poller if that one died.
//
// The recipient's suppression list is checked here (an opted-out optional
// email is recorded as suppressed, with no content) and again right before
// the SMTP attempt, so an opt-out between the two is honoured.
func (s *Sender) Send(ctx context.Context, e Email) error {
	now := time.Now().UTC()
	lang := templates.Language(e.Language)
	cat := templates.CategoryOf(e.Template)
	id := store.Key(e.Event.ID, e.Recipient, e.Template)
	d := store.Delivery{
		ID: id, EventID: e.Event.ID, EventType: e.Event.Type, Template: e.Template, Category: string(cat),
		Recipient: e.Recipient, Language: lang, Status: store.StatusPending, CreatedAt: now, NextAttemptAt: now,
		MessageID: id + "@" + s.MessageIDDomain,
	}
	// With room in the sending queue this process claims the delivery and
	// queues it; without, it is recorded unclaimed and the pipeline's
	// poller sends it in turn: recording never waits for SMTP.
	d.ClaimOwner, d.ClaimedUntil, _ = s.Pipeline.NewClaim()
	suppressed, err := s.Preferences.Suppressed(ctx, e.Recipient, cat)
	if err != nil {
		return err
	}
	var renderErr error
	if suppressed {
		d.Status, d.ClaimedUntil, d.ClaimOwner = store.StatusSuppressed, time.Time{}, ""
	} else {
		links := s.Preferences.LinksFor(e.Recipient, cat)
		data := make(map[string]any, len(e.Data)+2)
		for k, v := range e.Data {
			data[k] = v
		}
		data[templates.KeyPreferencesURL], data[templates.KeyUnsubscribeURL] = links.Preferences, links.Unsubscribe
		rendered, err := s.Templates.Render(e.Template, lang, data)
		if err != nil {
			// A template bug: no retry helps. Recorded as failed (a
			// coordinator sees it), the event is acknowledged.
			renderErr = fmt.Errorf("render: %w", err)
			d.Status, d.LastError, d.ClaimedUntil, d.ClaimOwner = store.StatusFailed, renderErr.Error(), time.Time{}, ""
			// The event stays on the stream: the template's error, which
			// may quote the data, goes only to the delivery record.
			ev, eerr := broker.NewEvent(outgoing.Source, &notificationv1.DeliveryFailed{
				DeliveryId: d.ID, EventId: d.EventID, Template: d.Template, Error: "render: the email could not be rendered (details on the delivery record)",
			})
			if eerr != nil {
				return eerr
			}
			d.Pending = outbox.New(ev)
		} else {
			content := outgoing.Compose(rendered, links, e.Attachments)
			d.Content = &content
		}
	}
	recorded, created, err := s.Store.Record(ctx, d)
	if err != nil || !created {
		return err // nil for a delivery recorded before: nothing more to do
	}
	switch recorded.Status {
	case store.StatusPending:
		s.Pipeline.Enqueue(ctx, recorded)
	case store.StatusFailed:
		s.Log.Warn("email could not be rendered (see the delivery's last_error)", zap.String("delivery_id", id), zap.String("template", e.Template))
		s.Relay.Notify(store.CollectionDeliveries, id)
	case store.StatusSuppressed:
		s.Log.Info("email suppressed: the recipient opted out of its category", zap.String("delivery_id", id), zap.String("template", e.Template))
	}
	return nil
}
