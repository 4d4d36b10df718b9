package pages

import (
	"net/http"
	"net/url"
	"regexp"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
)

// The email preferences pages, opened from any email's footer
// (/preferences/{token}) or an optional email's unsubscribe link
// (/unsubscribe/{token}). The token, made by the notification service for
// the recipient's address, is the credential: no account, no login.
//
// POST /unsubscribe/{token} is RFC 8058 one-click unsubscribe: mail
// providers post "List-Unsubscribe=One-Click" to the List-Unsubscribe URL
// from their servers, with no cookie or origin, so this one route is
// exempt from the cross-origin check (service.go) and answers 200 with the
// page. Opening the link (GET) changes nothing: mail scanners prefetch
// links. Turning a category off or on is a form POST to
// /preferences/{token} (same-origin), answered with a redirect to the page.

// RegisterPreferences adds the preferences routes to mux (in the
// language-negotiating wrapper the other pages use).
func (p *Pages) RegisterPreferences(mux *http.ServeMux) {
	page := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, p.localized(h)) }
	page("GET /preferences/{token}", p.preferencesPage)
	page("GET /unsubscribe/{token}", p.preferencesPage)
	page("POST /unsubscribe/{token}", p.oneClickUnsubscribe)
	page("POST /preferences/{token}", p.updatePreferences)
}

// OneClickUnsubscribePattern is the route exempt from the cross-origin
// check (see the package doc above).
const OneClickUnsubscribePattern = "POST /unsubscribe/{token}"

// preferenceTokenPattern is the notification service's token alphabet.
var preferenceTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{40,200}$`)

type preferencesView struct {
	Words       preferenceWords
	Token       string
	Notice      string
	Unsubscribe *preferenceCategory // the link's category, while still received
	Categories  []preferenceCategory
}

type preferenceCategory struct {
	ID, Title, Description string
	Subscribed             bool
}

func (p *Pages) preferenceToken(w http.ResponseWriter, r *http.Request) (string, bool) {
	token := r.PathValue("token")
	if !preferenceTokenPattern.MatchString(token) || p.notification == nil {
		p.badLink(w, r)
		return "", false
	}
	return token, true
}

func (p *Pages) preferencesPage(w http.ResponseWriter, r *http.Request) {
	token, ok := p.preferenceToken(w, r)
	if !ok {
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.notification.GetEmailPreferences(ctx, &notificationv1.GetEmailPreferencesRequest{Token: token, Language: localeOf(r).Code()})
	if err != nil {
		p.preferencesFailed(w, r, err)
		return
	}
	notice := ""
	if saved := r.URL.Query().Get("saved"); saved != "" {
		notice = wordsFor(r).Saved
	}
	p.renderPreferences(w, r, token, resp.GetPreferences(), notice)
}

func (p *Pages) oneClickUnsubscribe(w http.ResponseWriter, r *http.Request) {
	token, ok := p.preferenceToken(w, r)
	if !ok {
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	resp, err := p.notification.Unsubscribe(ctx, &notificationv1.UnsubscribeRequest{Token: token, Language: localeOf(r).Code()})
	if err != nil {
		p.preferencesFailed(w, r, err)
		return
	}
	prefs := resp.GetPreferences()
	p.renderPreferences(w, r, token, prefs, wordsFor(r).unsubscribed(titleOf(prefs, prefs.GetTokenCategory())))
}

func (p *Pages) updatePreferences(w http.ResponseWriter, r *http.Request) {
	token, ok := p.preferenceToken(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		p.badForm(w, r, err)
		return
	}
	category, choice := r.PostFormValue("category"), r.PostFormValue("subscribed")
	if len(category) > 40 || (choice != "true" && choice != "false") {
		p.renderError(w, r, http.StatusBadRequest, "error.bad_form.heading", "error.bad_form.message")
		return
	}
	ctx, cancel := outgoing(r)
	defer cancel()
	_, err := p.notification.UpdateEmailPreferences(ctx, &notificationv1.UpdateEmailPreferencesRequest{
		Token: token, Category: category, Subscribed: choice == "true", Language: localeOf(r).Code(),
	})
	if err != nil {
		p.preferencesFailed(w, r, err)
		return
	}
	// Post/Redirect/Get: a reload does not post again.
	http.Redirect(w, r, "/preferences/"+url.PathEscape(token)+"?saved="+url.QueryEscape(category), http.StatusSeeOther)
}

func (p *Pages) preferencesFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch status.Code(err) {
	case codes.InvalidArgument, codes.NotFound:
		p.renderError(w, r, http.StatusNotFound, "error.unknown_link.heading", "error.incomplete_link.message")
	case codes.FailedPrecondition:
		// A preferences link has no category for one-click: show the page.
		p.preferencesPage(w, r)
	default:
		p.unavailable(w, r, "email preferences", err)
	}
}

func (p *Pages) renderPreferences(w http.ResponseWriter, r *http.Request, token string, prefs *notificationv1.EmailPreferences, notice string) {
	words := wordsFor(r)
	v := preferencesView{Words: words, Token: token, Notice: notice}
	for _, c := range prefs.GetCategories() {
		pc := preferenceCategory{ID: c.GetCategory(), Title: c.GetTitle(), Description: c.GetDescription(), Subscribed: c.GetSubscribed()}
		v.Categories = append(v.Categories, pc)
		if pc.ID == prefs.GetTokenCategory() && pc.Subscribed && r.Method == http.MethodGet {
			v.Unsubscribe = &pc
		}
	}
	p.render(w, r, http.StatusOK, "preferences", words.Heading, v)
}

func titleOf(p *notificationv1.EmailPreferences, category string) string {
	for _, c := range p.GetCategories() {
		if c.GetCategory() == category {
			return c.GetTitle()
		}
	}
	return category
}
