// Package pages renders the gateway's public HTML pages in the coalition's
// five languages (package i18n): the home page, the petitions and a
// petition with its sign form and daily chart, the pages emailed links
// open (confirm, withdraw, erase, answer an invitation), proposing a
// petition, asking for erasure, the public assemblies, the member directory,
// the open-data downloads and the email preferences (preferences.go).
// Templates and the one stylesheet are embedded; pages need no JavaScript
// and load nothing from elsewhere.
package pages

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"time"

	"go.uber.org/zap"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// callTimeout bounds each downstream call a page makes.
const callTimeout = 10 * time.Second

// Options configures [New].
type Options struct {
	Petitions petitionv1.PetitionServiceClient
	Members   membershipv1.MembershipServiceClient
	Events    eventsv1.EventsServiceClient
	// Notification serves the email preferences pages (preferences.go).
	Notification notificationv1.NotificationServiceClient
	// DevMail says the mail catcher is mounted at /dev/mail (dev mode).
	DevMail bool
	Log     *zap.Logger
}

// Pages serves the HTML pages.
type Pages struct {
	petitions petitionv1.PetitionServiceClient
	members   membershipv1.MembershipServiceClient
	events    eventsv1.EventsServiceClient
	// notification: the email preferences pages (preferences.go).
	notification notificationv1.NotificationServiceClient
	devMail      bool
	log          *zap.Logger
	// tmpl holds each page parsed once per language (its template functions
	// speak that language): tmpl[language][page].
	tmpl map[string]map[string]*template.Template
}

var pageNames = []string{
	"home", "petitions", "petition", "signed", "confirmed", "error", "members", "action",
	"propose", "proposed", "erasure", "assemblies", "opendata",
	"preferences", // preferences.go
}

// New parses the templates.
func New(o Options) (*Pages, error) {
	log := o.Log
	if log == nil {
		log = zap.NewNop()
	}
	p := &Pages{petitions: o.Petitions, members: o.Members, events: o.Events, notification: o.Notification, devMail: o.DevMail, log: log, tmpl: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Languages {
		loc := i18n.Get(lang.Code)
		p.tmpl[lang.Code] = map[string]*template.Template{}
		for _, name := range pageNames {
			t, err := template.New(name).Funcs(templateFuncs(loc)).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("pages: parse %s: %w", name, err)
			}
			p.tmpl[lang.Code][name] = t
		}
	}
	return p, nil
}

// Register adds the pages' routes to mux. Every page negotiates its
// language first (see localized).
func (p *Pages) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(time.Hour, files)))
	page := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, p.localized(h)) }
	page("GET /{$}", p.home)
	page("GET /petitions", p.petitionsPage)
	page("GET /petitions/{id}", p.petition)
	page("POST /petitions/{id}/sign", p.sign)
	page("GET /propose", p.proposeForm)
	page("POST /propose", p.propose)
	page("GET /signatures/confirm", p.confirm)
	page("GET /signatures/withdraw", p.tokenForm(p.withdrawAction()))
	page("POST /signatures/withdraw", p.tokenSubmit(p.withdrawAction()))
	page("GET /erasure", p.erasureForm)
	page("POST /erasure", p.requestErasure)
	page("GET /erasure/confirm", p.tokenForm(p.erasureAction()))
	page("POST /erasure/confirm", p.tokenSubmit(p.erasureAction()))
	page("GET /invitations/respond", p.rsvpForm)
	page("POST /invitations/respond", p.rsvp)
	page("GET /assemblies", p.assembliesPage)
	page("GET /members", p.membersPage)
	page("GET /open-data", p.openDataPage)
	p.RegisterPreferences(mux) // preferences.go
	mux.HandleFunc("GET /open-data/members.csv", p.membersCSV)
	page("/", p.notFound)
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	v := fmt.Sprintf("public, max-age=%d", int(d.Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", v)
		h.ServeHTTP(w, r)
	})
}

// layout is what every page template gets.
type layout struct {
	Title    string // already in the page's language; "" on the home page
	Lang     string
	DevMail  bool
	Switcher []languageLink
	Page     any
}

// render executes a page into a buffer first, so a template failure is a
// clean 500 rather than half a page. title is already translated.
func (p *Pages) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	loc := localeOf(r)
	var buf bytes.Buffer
	l := layout{Title: title, Lang: loc.Code(), DevMail: p.devMail, Switcher: switcher(r, loc), Page: data}
	if err := p.tmpl[loc.Code()][name].ExecuteTemplate(&buf, "layout", l); err != nil {
		p.log.Error("render page", zap.String("page", name), zap.String("lang", loc.Code()), zap.Error(err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", loc.Code())
	h.Add("Vary", "Accept-Language, Cookie")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// message is a heading and a sentence: the error pages and the pages that
// confirm an action.
type message struct {
	Heading string
	Message string
}

// renderError renders the message page with the catalogue's heading and
// message keys.
func (p *Pages) renderError(w http.ResponseWriter, r *http.Request, code int, headingKey, messageKey string) {
	loc := localeOf(r)
	heading := loc.T(headingKey)
	p.render(w, r, code, "error", heading, message{Heading: heading, Message: loc.T(messageKey)})
}

// TooLarge is the 413 page for a form over the body limit.
func (p *Pages) TooLarge(w http.ResponseWriter, r *http.Request) {
	p.renderError(w, r, http.StatusRequestEntityTooLarge, "error.too_large.heading", "error.too_large.message")
}

// Forbidden is the 403 page for a form posted from another site.
func (p *Pages) Forbidden(w http.ResponseWriter, r *http.Request) {
	p.renderError(w, r, http.StatusForbidden, "error.forbidden.heading", "error.forbidden.message")
}

func (p *Pages) notFound(w http.ResponseWriter, r *http.Request) {
	p.renderError(w, r, http.StatusNotFound, "error.not_found.heading", "error.not_found.message")
}

// badForm is the page for a form body that cannot be read.
func (p *Pages) badForm(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.BodyTooLarge(r.Context(), err) {
		p.TooLarge(w, r)
		return
	}
	p.renderError(w, r, http.StatusBadRequest, "error.bad_form.heading", "error.bad_form.message")
}

// tooMany is the 429 page of a refused public write; it passes on when to
// retry if the service said.
func (p *Pages) tooMany(w http.ResponseWriter, r *http.Request, err error) {
	for _, d := range status.Convert(err).Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay() != nil {
			w.Header().Set("Retry-After", fmt.Sprint(int(ri.GetRetryDelay().AsDuration().Seconds()+0.999)))
		}
	}
	p.renderError(w, r, http.StatusTooManyRequests, "error.too_many.heading", "error.too_many.message")
}

// unavailable renders the page for a downstream failure that is not the
// visitor's doing, and logs it (code only: no personal data).
func (p *Pages) unavailable(w http.ResponseWriter, r *http.Request, what string, err error) {
	code := status.Code(err)
	p.log.Warn("page call failed", zap.String("call", what), zap.String("code", code.String()))
	if code == codes.Unavailable || code == codes.DeadlineExceeded || code == codes.Canceled {
		p.renderError(w, r, http.StatusServiceUnavailable, "error.unavailable.heading", "error.unavailable.message")
		return
	}
	p.renderError(w, r, http.StatusInternalServerError, "error.internal.heading", "error.internal.message")
}

// outgoing is the context for a downstream call made for r: bounded, and
// carrying the client address like the JSON API's calls.
func outgoing(r *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	if xff := httpx.ForwardedFor(r); xff != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "x-forwarded-for", xff)
	}
	return ctx, cancel
}

// fieldViolations returns the BadRequest field violations of an error.
func fieldViolations(err error) []*errdetails.BadRequest_FieldViolation {
	var out []*errdetails.BadRequest_FieldViolation
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			out = append(out, br.GetFieldViolations()...)
		}
	}
	return out
}
