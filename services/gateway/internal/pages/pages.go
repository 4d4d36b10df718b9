// Package pages renders the gateway's public HTML pages: the home page, a
// petition with its sign form, and the page a confirmation link opens. The
// templates and the one stylesheet are embedded; pages need no JavaScript
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
	"strings"
	"time"

	"go.uber.org/zap"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
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
	// DevMail says the mail catcher is mounted at /dev/mail (dev mode).
	DevMail bool
	Log     *zap.Logger
}

// Pages serves the HTML pages.
type Pages struct {
	petitions petitionv1.PetitionServiceClient
	members   membershipv1.MembershipServiceClient
	events    eventsv1.EventsServiceClient
	devMail   bool
	log       *zap.Logger
	tmpl      map[string]*template.Template
}

var pageNames = []string{"home", "petition", "signed", "confirmed", "error", "members", "action"}

// New parses the templates.
func New(o Options) (*Pages, error) {
	log := o.Log
	if log == nil {
		log = zap.NewNop()
	}
	p := &Pages{petitions: o.Petitions, members: o.Members, events: o.Events, devMail: o.DevMail, log: log, tmpl: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("pages: parse %s: %w", name, err)
		}
		p.tmpl[name] = t
	}
	return p, nil
}

// Register adds the pages' routes to mux.
func (p *Pages) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(time.Hour, files)))
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /petitions/{id}", p.petition)
	mux.HandleFunc("POST /petitions/{id}/sign", p.sign)
	mux.HandleFunc("GET /signatures/confirm", p.confirm)
	mux.HandleFunc("GET /signatures/withdraw", p.tokenForm(p.withdrawAction()))
	mux.HandleFunc("POST /signatures/withdraw", p.tokenSubmit(p.withdrawAction()))
	mux.HandleFunc("GET /erasure/confirm", p.tokenForm(p.erasureAction()))
	mux.HandleFunc("POST /erasure/confirm", p.tokenSubmit(p.erasureAction()))
	mux.HandleFunc("GET /invitations/respond", p.rsvpForm)
	mux.HandleFunc("POST /invitations/respond", p.rsvp)
	mux.HandleFunc("GET /members", p.membersPage)
	mux.HandleFunc("GET /open-data/members.csv", p.membersCSV)
	mux.HandleFunc("/", p.notFound)
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
	Title   string
	DevMail bool
	Page    any
}

// render executes a page into a buffer first, so a template failure is a
// clean 500 rather than half a page.
func (p *Pages) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	var buf bytes.Buffer
	if err := p.tmpl[name].ExecuteTemplate(&buf, "layout", layout{Title: title, DevMail: p.devMail, Page: data}); err != nil {
		p.log.Error("render page", zap.String("page", name), zap.Error(err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

type errorPage struct {
	Heading string
	Message string
}

func (p *Pages) renderError(w http.ResponseWriter, r *http.Request, code int, heading, message string) {
	p.render(w, r, code, "error", heading, errorPage{Heading: heading, Message: message})
}

// TooLarge is the 413 page for a form over the body limit.
func (p *Pages) TooLarge(w http.ResponseWriter, r *http.Request) {
	p.renderError(w, r, http.StatusRequestEntityTooLarge, "Too much data",
		"The form you sent was larger than this site accepts. Please go back, shorten what you wrote and try again.")
}

// Forbidden is the 403 page for a form posted from another site.
func (p *Pages) Forbidden(w http.ResponseWriter, r *http.Request) {
	p.renderError(w, r, http.StatusForbidden, "Request refused",
		"This form can only be sent from this site's own pages. Please open the petition page here and sign again.")
}

func (p *Pages) notFound(w http.ResponseWriter, r *http.Request) {
	p.renderError(w, r, http.StatusNotFound, "Page not found", "There is no page at this address.")
}

// unavailable renders the page for a downstream failure that is not the
// visitor's doing, and logs it (code only: no personal data).
func (p *Pages) unavailable(w http.ResponseWriter, r *http.Request, what string, err error) {
	code := status.Code(err)
	p.log.Warn("page call failed", zap.String("call", what), zap.String("code", code.String()))
	if code == codes.Unavailable || code == codes.DeadlineExceeded || code == codes.Canceled {
		p.renderError(w, r, http.StatusServiceUnavailable, "Temporarily unavailable",
			"This part of the site cannot be reached right now. Please try again in a few minutes.")
		return
	}
	p.renderError(w, r, http.StatusInternalServerError, "Something went wrong",
		"We could not complete your request. Please try again later.")
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

var funcs = template.FuncMap{
	"lower": strings.ToLower,
}
