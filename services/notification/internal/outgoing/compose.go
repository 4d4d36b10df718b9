package outgoing

import (
	"strings"

	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
	"github.com/cc4dr/coalition/services/notification/internal/store"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// Compose turns a rendered email into the content a delivery keeps: the
// parts, the attachments, and the headers its category needs. Every email
// says it was sent automatically (RFC 3834, so auto-responders stay
// quiet); an optional one carries RFC 8058 one-click unsubscribe, whose
// URL has no spaces, so go-mail never folds it.
func Compose(r templates.Rendered, links preferences.Links, attachments []mailer.Attachment) store.Content {
	c := store.Content{
		Subject: strings.Join(strings.Fields(r.Subject), " "), // no line breaks in a header
		Text:    r.Text,
		HTML:    r.HTML,
		Headers: map[string]string{"Auto-Submitted": "auto-generated"},
	}
	if !r.Category.Essential() && links.Unsubscribe != "" {
		c.Headers["List-Unsubscribe"] = "<" + links.Unsubscribe + ">"
		c.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
	}
	for _, a := range attachments {
		c.Attachments = append(c.Attachments, store.Attachment{
			Filename: a.Filename, ContentType: a.ContentType, Content: a.Content, Alternative: a.Alternative,
		})
	}
	return c
}

// Message is the email a delivery sends.
func Message(d store.Delivery) mailer.Message {
	m := mailer.Message{To: d.Recipient, MessageID: d.MessageID}
	if c := d.Content; c != nil {
		m.Subject, m.Text, m.HTML, m.Headers = c.Subject, c.Text, c.HTML, c.Headers
		for _, a := range c.Attachments {
			m.Attachments = append(m.Attachments, mailer.Attachment{
				Filename: a.Filename, ContentType: a.ContentType, Content: a.Content, Alternative: a.Alternative,
			})
		}
	}
	return m
}
