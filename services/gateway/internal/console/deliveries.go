package console

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
)

var deliveryStatuses = []option{
	{"DELIVERY_STATUS_PENDING", "Pending"},
	{"DELIVERY_STATUS_SENT", "Sent"},
	{"DELIVERY_STATUS_FAILED", "Failed"},
	{"DELIVERY_STATUS_SUPPRESSED", "Not sent (opted out)"},
}

type deliveryRow struct {
	ID, Template, Recipient, Language, Status, LastError, EventType string
	Attempts                                                        int32
	Created, Sent                                                   time.Time
	// Failed deliveries can be sent again.
	Resendable bool
}

type deliveriesPage struct {
	Status, Recipient string
	Statuses          []option
	Rows              []deliveryRow
	Next              string
	Form              *form // errors of the filter or of a resend
}

// deliveries lists the emails the notification service recorded, newest
// first, a page at a time.
func (c *Console) deliveries(rq *request) { c.showDeliveries(rq, http.StatusOK, newForm("filters")) }

func (c *Console) showDeliveries(rq *request, code int, f *form) {
	q := rq.r.URL.Query()
	p := deliveriesPage{Statuses: deliveryStatuses, Form: f}
	req := &notificationv1.ListDeliveriesRequest{PageSize: 100, PageToken: trim(q.Get("page"), 200)}
	if s := q.Get("status"); validOption(deliveryStatuses, s) {
		p.Status, req.Status = s, notificationv1.DeliveryStatus(notificationv1.DeliveryStatus_value[s])
	}
	p.Recipient = trim(strings.TrimSpace(q.Get("recipient")), 254)
	req.Recipient = p.Recipient
	resp, err := c.notification.ListDeliveries(rq.ctx, req)
	if err != nil {
		o := c.explain(err, f, map[string]string{"recipient": "recipient"})
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.show(rq, o.code, "deliveries", "Email deliveries", "deliveries", p)
		return
	}
	for _, d := range resp.GetDeliveries() {
		p.Rows = append(p.Rows, deliveryRow{ID: d.GetId(), Resendable: d.GetStatus() == notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED, Template: d.GetTemplate(), Recipient: d.GetRecipient(), Language: d.GetLanguage(),
			Status: labelOf(deliveryStatuses, d.GetStatus().String()), LastError: d.GetLastError(), EventType: d.GetEventType(),
			Attempts: d.GetAttempts(), Created: when(d.GetCreatedAt()), Sent: when(d.GetSentAt())})
	}
	if next := resp.GetNextPageToken(); next != "" {
		v := url.Values{"page": {next}}
		if p.Status != "" {
			v.Set("status", p.Status)
		}
		if p.Recipient != "" {
			v.Set("recipient", p.Recipient)
		}
		p.Next = Prefix + "deliveries?" + v.Encode()
	}
	c.show(rq, code, "deliveries", "Email deliveries", "deliveries", p)
}

// resendDelivery sends a failed delivery again (the same record, so never
// a second email for a sent one: the service refuses that).
func (c *Console) resendDelivery(rq *request) {
	id := rq.r.PathValue("id")
	if !deliveryID.MatchString(id) {
		rq.notFound()
		return
	}
	if _, err := c.notification.ResendDelivery(rq.ctx, &notificationv1.ResendDeliveryRequest{DeliveryId: id}); err != nil {
		f := newForm("resend")
		o := c.explain(err, f, nil)
		if o.page {
			c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
			return
		}
		c.showDeliveries(rq, o.code, f)
		return
	}
	rq.redirect(Prefix+"deliveries?status=DELIVERY_STATUS_PENDING", "The email will be sent again shortly.")
}

// deliveryID is the form of a delivery's id: 32 hex digits.
var deliveryID = regexp.MustCompile(`^[0-9a-f]{32}$`)
