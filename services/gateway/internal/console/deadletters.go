package console

import (
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
)

type deadLetterRow struct {
	Consumer, EventID, EventType, Subject, Error string
	Deliveries                                   uint64
	EventTime, FailedAt                          time.Time
	// Replayable: the event could be read (it has an id).
	Replayable bool
}

type deadLettersPage struct {
	Consumer string
	Rows     []deadLetterRow
	Next     string
	Form     *form // errors of the filter or of a replay
}

// consumerName is the form of a durable consumer's name.
var consumerName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// deadLetters lists the events the notification service's consumers gave
// up on, most recent failure first, each with a Replay button.
func (c *Console) deadLetters(rq *request) { c.showDeadLetters(rq, http.StatusOK, newForm("filters")) }

func (c *Console) showDeadLetters(rq *request, code int, f *form) {
	q := rq.r.URL.Query()
	p := deadLettersPage{Form: f}
	req := &notificationv1.ListDeadLettersRequest{PageSize: 100, PageToken: trim(q.Get("page"), 300)}
	if cn := q.Get("consumer"); cn != "" {
		p.Consumer = trim(cn, 100)
		if consumerName.MatchString(cn) {
			req.Consumer = cn
		} else {
			f.Errors["consumer"] = "Enter a consumer's name: letters, digits, - and _."
		}
	}
	resp, err := c.notification.ListDeadLetters(rq.ctx, req)
	if err != nil {
		c.fail(rq, err)
		return
	}
	for _, d := range resp.GetDeadLetters() {
		p.Rows = append(p.Rows, deadLetterRow{Consumer: d.GetConsumer(), EventID: d.GetEventId(), EventType: d.GetEventType(),
			Subject: d.GetSubject(), Error: d.GetError(), Deliveries: d.GetDeliveries(), EventTime: when(d.GetEventTime()),
			FailedAt: when(d.GetFailedAt()), Replayable: d.GetEventId() != ""})
	}
	if next := resp.GetNextPageToken(); next != "" {
		v := url.Values{"page": {next}}
		if req.Consumer != "" {
			v.Set("consumer", req.Consumer)
		}
		p.Next = Prefix + "dead-letters?" + v.Encode()
	}
	if f.HasErrors() && code == http.StatusOK {
		code = http.StatusBadRequest
	}
	c.show(rq, code, "deadletters", "Dead letters", "deadletters", p)
}

// replayDeadLetter runs the consumer's handler again on the stored event
// (through its inbox: an event applied meanwhile is not applied twice).
func (c *Console) replayDeadLetter(rq *request) {
	consumer, eventID := rq.r.PathValue("consumer"), rq.r.PathValue("event")
	if !consumerName.MatchString(consumer) || uuid.Validate(eventID) != nil {
		rq.notFound()
		return
	}
	// The page's calls get callTimeout; a replay may take longer.
	ctx, cancel, err := c.outgoing(rq.r, rq.sess, replayTimeout)
	if err != nil {
		c.log.Error("sign backend token", zap.Error(err))
		c.renderError(rq.w, rq.r, &rq.sess, http.StatusInternalServerError, "Something went wrong", "Please try again later.")
		return
	}
	defer cancel()
	resp, err := c.notification.ReplayDeadLetter(ctx, &notificationv1.ReplayDeadLetterRequest{Consumer: consumer, EventId: eventID})
	if err != nil {
		f := newForm("replay")
		o := c.explain(err, f, nil)
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showDeadLetters(rq, o.code, f)
		return
	}
	msg := "Replayed: the event was handled and its dead letter removed."
	if resp.GetAlreadyApplied() {
		msg = "The event had been applied already; nothing was done again and its dead letter was removed."
	}
	rq.redirect(Prefix+"dead-letters", msg)
}
