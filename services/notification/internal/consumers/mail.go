// Package consumers turns other services' domain events into email. Each
// consumer is a durable JetStream pull consumer wrapped in the service's
// inbox; each email goes through Sender, which records the delivery before
// sending so no event sends the same email twice.
package consumers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/logging"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// claimLease is how long a worker owns a pending delivery: longer than an
// SMTP attempt may take, short enough that a crashed worker's delivery is
// retried soon.
const claimLease = time.Minute

var errInProgress = errors.New("delivery is being sent by another worker; will look again")

// Source is the CloudEvents source of the notification service's own events.
const Source = "/coalition/notification"

// Kicker wakes the outbox relay.
type Kicker interface{ Kick() }

// Sender renders, records and sends emails.
type Sender struct {
	Store     *store.Store
	Mailer    *mailer.Mailer
	Templates *templates.Renderer
	Relay     Kicker
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
}

// Send delivers e at most once per (event, recipient, template). A returned
// error means "retry later"; permanent failures are recorded and swallowed.
//
// Two copies of the event handled at once (a redelivery racing a slow
// first attempt, here or in another instance) cannot both send: the first
// claims the delivery for claimLease, the second finds it claimed and comes
// back later to find it sent.
//
// The remaining duplicate window (SMTP has no idempotency key): a crash after
// the server accepted the message but before MarkSent is recorded sends it
// again once the claim has lapsed. Recording right after the accept keeps
// that window to one database write.
func (s *Sender) Send(ctx context.Context, e Email) error {
	now := time.Now().UTC()
	id := store.Key(e.Event.ID, e.Recipient, e.Template)
	d, claimed, err := s.Store.Begin(ctx, store.Delivery{
		ID: id, EventID: e.Event.ID, EventType: e.Event.Type, Template: e.Template, Recipient: e.Recipient,
		Language: templates.Language(e.Language), CreatedAt: now, MessageID: id + "@" + s.MessageIDDomain,
	}, claimLease)
	if err != nil {
		return err
	}
	switch {
	case d.Status != store.StatusPending:
		return nil // sent (or failed for good) on an earlier delivery of the event
	case !claimed:
		// Another worker (here or in another instance) holds the claim and
		// is sending right now: come back later and find the outcome.
		return errInProgress
	}
	log := s.Log.With(zap.String("delivery_id", d.ID), zap.String("template", e.Template), logging.Recipient(e.Recipient))

	rendered, err := s.Templates.Render(e.Template, d.Language, e.Data)
	if err != nil {
		return s.fail(ctx, d, fmt.Errorf("render: %w", err), log)
	}
	err = s.Mailer.Send(ctx, mailer.Message{
		To: e.Recipient, Subject: rendered.Subject, Text: rendered.Text, HTML: rendered.HTML, MessageID: d.MessageID,
	})
	switch {
	case err == nil:
		ev, eerr := broker.NewEvent(Source, &notificationv1.DeliverySent{
			DeliveryId: d.ID, EventId: d.EventID, Template: d.Template,
		})
		if eerr != nil {
			return eerr
		}
		if err := s.Store.MarkSent(ctx, d.ID, time.Now().UTC(), ev); err != nil {
			return err
		}
		s.Relay.Kick()
		log.Info("email sent")
		return nil
	case mailer.IsPermanent(err):
		return s.fail(ctx, d, err, log)
	default:
		if merr := s.Store.MarkAttempt(ctx, d.ID, err.Error()); merr != nil {
			log.Warn("recording attempt failed", zap.Error(merr))
		}
		// The SMTP server's text may echo the address: it goes to the
		// delivery record (for coordinators), never to logs or dead letters.
		return fmt.Errorf("send %s failed temporarily (see the delivery's last_error)", d.ID)
	}
}

func (s *Sender) fail(ctx context.Context, d store.Delivery, cause error, log *zap.Logger) error {
	log.Warn("email failed permanently (see the delivery's last_error)")
	ev, err := broker.NewEvent(Source, &notificationv1.DeliveryFailed{
		DeliveryId: d.ID, EventId: d.EventID, Template: d.Template, Error: cause.Error(),
	})
	if err != nil {
		return err
	}
	if err := s.Store.MarkFailed(ctx, d.ID, cause.Error(), ev); err != nil {
		return err
	}
	s.Relay.Kick()
	return nil
}
