package console

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
	"github.com/cc4dr/coalition/services/kit/logging"
)

func (c *Console) registerAuth(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"sign-in", c.signInForm)
	mux.HandleFunc("POST "+Prefix+"sign-in", c.signIn)
	mux.HandleFunc("POST "+Prefix+"sign-out", c.page(signedIn, c.signOut))
	mux.HandleFunc("GET "+Prefix+"oidc/start", c.oidcStart)
	mux.HandleFunc("GET "+Prefix+"oidc/callback", c.oidcCallback)
}

type signInPage struct {
	Form      *form
	Next      string
	LoginCSRF string
	Passwords bool
	OIDC      string // the provider's name when single sign-on is on
	SignedOut bool
}

// signInForm shows the sign-in form with a fresh form token, also kept in
// a cookie the POST must bring back.
func (c *Console) signInForm(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := c.currentSession(r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	c.showSignIn(w, r, http.StatusOK, newForm("sign-in"), r.URL.Query().Get("signed_out") == "1")
}

func (c *Console) showSignIn(w http.ResponseWriter, r *http.Request, code int, f *form, signedOut bool) {
	token := session.RandomToken()
	http.SetCookie(w, c.cookie(loginCookie, token, 3600))
	next := r.URL.Query().Get("next")
	if r.Method == http.MethodPost {
		next = r.PostForm.Get("next")
	}
	p := signInPage{Form: f, Next: safeNext(next), LoginCSRF: token, Passwords: c.accounts.Enabled(), SignedOut: signedOut}
	if c.oidc != nil {
		p.OIDC = c.cfg.OIDC.DisplayName
	}
	c.render(w, r, code, "signin", c.layoutFor(nil, errorTitle(code, "Sign in"), "", p))
}

// signIn checks a username and password. Attempts are limited per network
// address (the client's, behind trusted proxies), then failed attempts per
// username, before any hashing — a successful sign-in costs its username
// nothing, and one that ran out of failures is slowed, not shut out for a
// whole window. A wrong password and an unknown username get the same
// answer in the same time.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !c.accounts.Enabled() || !validLoginToken(r) {
		c.renderError(w, r, nil, http.StatusForbidden, "Request refused",
			"This sign-in form has expired or did not come from this console. Please open the sign-in page again.")
		return
	}
	f := newForm("sign-in")
	f.read(r, "username")
	password := r.PostForm.Get("password")
	f.require("username", "Enter your username.")
	if password == "" {
		f.Errors["password"] = "Enter your password."
	}
	if f.HasErrors() {
		c.showSignIn(w, r, http.StatusBadRequest, f, false)
		return
	}
	now, user := c.now(), accounts.Normalize(f.Get("username"))
	if !c.perIP.allow(httpx.ClientIP(r), now) {
		c.log.Warn("console sign-in rate-limited: network address")
		c.renderError(w, r, nil, http.StatusTooManyRequests, "Too many attempts",
			"There have been too many sign-in attempts from your network. Please wait a few minutes and try again.")
		return
	}
	if c.perUser.blocked(user, now) {
		c.log.Warn("console sign-in rate-limited: username", zap.String("user", logging.EmailHash(user)))
		c.renderError(w, r, nil, http.StatusTooManyRequests, "Too many attempts",
			"There have been too many failed sign-in attempts for this username. Please wait a few minutes and try again.")
		return
	}
	if err := c.accounts.Refresh(); err != nil {
		c.log.Error("console accounts file", zap.Error(err))
	}
	acct, ok := c.accounts.Authenticate(r.Context(), f.Get("username"), password)
	if !ok {
		c.perUser.allow(user, now) // only failures count against the username
		c.log.Info("console sign-in failed", zap.String("user", logging.EmailHash(user)))
		f.Other = append(f.Other, "The username or password is not right.")
		c.showSignIn(w, r, http.StatusBadRequest, f, false)
		return
	}
	id := session.Identity{Subject: acct.Subject, Name: acct.Name, Role: string(acct.Role), MemberID: acct.MemberID, Method: "password", Account: acct.Username}
	c.finishSignIn(w, r, id, r.PostForm.Get("next"))
}

// finishSignIn completes a sign-in: a representative's record is looked
// up (their member, and the id their calls are made as), then a new
// session starts.
func (c *Console) finishSignIn(w http.ResponseWriter, r *http.Request, id session.Identity, next string) {
	if id.Role == roleRepresentative {
		var err error
		if id, err = c.resolveRepresentative(r.Context(), id); err != nil {
			if errors.Is(err, errNoRepresentative) {
				c.renderError(w, r, nil, http.StatusForbidden, "No representative record",
					"Your account is not linked to a representative of a member city. Please ask a coordinator to add you as a representative.")
				return
			}
			o := c.explain(err, newForm(""), nil)
			c.renderError(w, r, nil, o.code, o.heading, o.message)
			return
		}
	}
	http.SetCookie(w, c.cookie(loginCookie, "", -1))
	c.startSession(w, r, id)
	c.log.Info("console sign-in", zap.String("role", id.Role), zap.String("method", id.Method))
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

var errNoRepresentative = errors.New("no representative record")

// resolveRepresentative asks membership who the representative is (as
// them: GetMyData finds their record by the subject, their representative
// id or email address) and pins their representative id and member.
func (c *Console) resolveRepresentative(ctx context.Context, id session.Identity) (session.Identity, error) {
	tok, err := c.signer.Issue(id.Subject, optionsv1.Role_ROLE_REPRESENTATIVE, id.MemberID, tokenTTL)
	if err != nil {
		return id, err
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok)
	resp, err := c.membership.GetMyData(ctx, &membershipv1.GetMyDataRequest{})
	if code := status.Code(err); code == codes.NotFound || code == codes.PermissionDenied || code == codes.Unauthenticated {
		return id, errNoRepresentative
	} else if err != nil {
		return id, err
	}
	rep := resp.GetRepresentative()
	if rep.GetId() == "" || rep.GetMemberId() == "" || (id.MemberID != "" && id.MemberID != rep.GetMemberId()) {
		return id, errNoRepresentative
	}
	id.Subject, id.MemberID = rep.GetId(), rep.GetMemberId()
	if id.Name == "" || strings.Contains(id.Name, "@") {
		id.Name = rep.GetName()
	}
	return id, nil
}

// signOut ends the session on the server (its token stops working at
// once) and clears the cookie.
func (c *Console) signOut(rq *request) {
	c.endSession(rq.w, rq.r)
	c.log.Info("console sign-out", zap.String("role", rq.sess.Role))
	http.Redirect(rq.w, rq.r, Prefix+"sign-in?signed_out=1", http.StatusSeeOther)
}

// validLoginToken compares the sign-in form's token with its cookie.
func validLoginToken(r *http.Request) bool {
	ck, err := r.Cookie(loginCookie)
	return err == nil && session.Equal(r.PostForm.Get("csrf"), ck.Value)
}

// safeNext keeps a post-sign-in destination inside the console (no open
// redirect): a path under /console/ and nothing else.
func safeNext(next string) string {
	if len(next) > 2000 || !strings.HasPrefix(next, Prefix) || strings.HasPrefix(next, Prefix+"sign-") ||
		strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "//") || strings.Contains(next, "/..") {
		return Prefix
	}
	return next
}
