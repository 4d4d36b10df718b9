package mailcatcher

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"
)

// pageHeaders are sent with our own HTML pages: no scripts at all, styles
// only from our stylesheet.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// render executes a page into a buffer first so that a template error
// yields a clean 500 rather than half a page.
func (c *Catcher) render(w http.ResponseWriter, t *template.Template, name string, data any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		c.log.Error("mailcatcher: render page", zap.String("page", name), zap.Error(err))
		writeError(w, http.StatusInternalServerError, "internal", "cannot render page")
		return
	}
	pageHeaders(w)
	_, _ = w.Write(buf.Bytes())
}

// inboxRow is one line of the inbox table.
type inboxRow struct {
	ID, From, To, Subject string
	Time                  time.Time
	Size                  int
}

func (c *Catcher) serveInbox(t *template.Template) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		msgs := c.Messages()
		rows := make([]inboxRow, len(msgs))
		for i, m := range msgs {
			rows[i] = inboxRow{ID: m.ID, From: m.From, To: strings.Join(m.To, ", "), Subject: m.Subject, Time: m.Time, Size: m.Size}
		}
		c.render(w, t, "inbox", rows)
	}
}

// messagePage is the data of the message template.
type messagePage struct {
	Message     Message
	Headers     []headerField
	Summary     []headerField
	Text        string
	HasText     bool
	HasHTML     bool
	Attachments []mimePart
	ParseError  string
}

func (c *Catcher) serveMessagePage(t *template.Template, w http.ResponseWriter, _ *http.Request, m Message) {
	pm := parseMIME(m.Raw)
	page := messagePage{
		Message:     m,
		Headers:     pm.Headers,
		HasHTML:     pm.HTML >= 0,
		Attachments: pm.Attachments(),
		ParseError:  pm.Err,
	}
	for _, name := range []string{"From", "To", "Cc", "Reply-To", "Subject", "Date"} {
		for _, f := range pm.Headers {
			if strings.EqualFold(f.Name, name) {
				page.Summary = append(page.Summary, headerField{Name: name, Value: f.Value})
			}
		}
	}
	if pm.Text >= 0 {
		part := pm.Parts[pm.Text]
		page.Text, page.HasText = toUTF8(part.Body, part.Charset), true
	}
	c.render(w, t, "message", page)
}

func serveCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write([]byte(styleCSS))
}
