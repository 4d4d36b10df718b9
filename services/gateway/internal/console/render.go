package console

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
)

// pageNames are the templates under templates/ (each with layout.html and
// the shared pieces, parts*.html).
var pageNames = []string{
	"signin", "error", "dashboard", "applications", "application", "members", "member",
	"representative", "remove", "bodies", "body", "proposals", "proposal", "bursts", "deliveries", "deadletters", "me",
	"assemblies", "assembly", "assembly_new", "assembly_edit", "assembly_reschedule", "assembly_invitees",
	"invitations",
}

func (c *Console) parseTemplates() error {
	c.tmpl = map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs()).ParseFS(templateFiles, "templates/layout.html", "templates/parts*.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("console: parse %s: %w", name, err)
		}
		c.tmpl[name] = t
	}
	return nil
}

// layout is what every console page template gets.
type layout struct {
	Title string
	// User is nil on pages seen before signing in.
	User    *userView
	CSRF    string
	Flash   string
	Section string // the nav entry to mark as current
	DevMail bool
	Page    any
}

type userView struct {
	Name        string
	Coordinator bool
	MemberID    string
}

func (c *Console) layoutFor(sess *session.Session, title, section string, data any) layout {
	l := layout{Title: title, Section: section, DevMail: c.devMail, Page: data}
	if sess != nil {
		l.User = &userView{Name: sess.Name, Coordinator: sess.Role == roleCoordinator, MemberID: sess.MemberID}
		l.CSRF = sess.CSRF
	}
	return l
}

// render executes a page into a buffer first, so a template failure is a
// clean 500 rather than half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, code int, name string, l layout) {
	var buf bytes.Buffer
	if err := c.tmpl[name].ExecuteTemplate(&buf, "layout", l); err != nil {
		c.log.Error("render console page", zap.String("page", name), zap.Error(err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// show renders a page for the signed-in person, with their one-time message.
func (c *Console) show(rq *request, code int, name, title, section string, data any) {
	l := c.layoutFor(&rq.sess, errorTitle(code, title), section, data)
	l.Flash = c.sessions.TakeFlash(rq.token)
	c.render(rq.w, rq.r, code, name, l)
}

// errorTitle marks the title of a page that shows a form's errors, so
// screen reader users hear at once that something needs correcting.
func errorTitle(code int, title string) string {
	if code == http.StatusBadRequest || code == http.StatusConflict {
		return "Error: " + title
	}
	return title
}

type errorPage struct {
	Heading string
	Message string
}

func (c *Console) renderError(w http.ResponseWriter, r *http.Request, sess *session.Session, code int, heading, message string) {
	c.render(w, r, code, "error", c.layoutFor(sess, heading, "", errorPage{Heading: heading, Message: message}))
}

func templateFuncs() template.FuncMap {
	f := template.FuncMap(fieldFuncs())
	for k, v := range baseFuncs {
		f[k] = v
	}
	return f
}

var baseFuncs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006 15:04 UTC")
	},
	"isodate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	},
	"lower": strings.ToLower,
	"has": func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	},
}
