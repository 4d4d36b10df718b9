package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
	"google.golang.org/grpc/metadata"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
)

// Roles as sessions record them (accounts.Role values).
const (
	roleCoordinator    = "coordinator"
	roleRepresentative = "representative"
)

// Timeouts of the console's downstream calls and the tokens they carry.
const (
	callTimeout = 10 * time.Second
	// replayTimeout covers a dead-letter replay, which may send email: the
	// notification service allows itself 30 s for it.
	replayTimeout = 35 * time.Second
	tokenTTL      = 2 * time.Minute
)

// access is who may open a page.
type access int

const (
	// signedIn: anyone signed in (the page checks a representative's member).
	signedIn access = iota
	// coordinatorOnly: coordinators; representatives get 403.
	coordinatorOnly
)

// request is one console request by a signed-in person.
type request struct {
	con   *Console
	w     http.ResponseWriter
	r     *http.Request
	sess  session.Session
	token string // the session cookie's value
	// ctx carries the backend token, the client address and the call timeout.
	ctx context.Context
}

func (rq *request) c() *Console { return rq.con }

func (rq *request) coordinator() bool { return rq.sess.Role == roleCoordinator }

// mayActFor reports whether the person may see and edit member id's data:
// coordinators any, representatives their own member's only.
func (rq *request) mayActFor(memberID string) bool {
	return rq.coordinator() || (rq.sess.Role == roleRepresentative && rq.sess.MemberID != "" && rq.sess.MemberID == memberID)
}

// page wraps a console handler: it needs a live session whose person is
// still current (else the sign-in page, coming back here afterwards; see
// revalidate.go), checks the synchroniser token of
// every POST before anything else, then the role, and gives the handler a
// context whose calls carry a freshly signed token for the person.
func (c *Console) page(who access, h func(*request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, token, ok := c.currentSession(r)
		if ok && !c.revalidate(w, r, sess, token) {
			ok = false
		}
		if !ok {
			if r.Method == http.MethodPost {
				c.renderError(w, r, nil, http.StatusForbidden, "Signed out",
					"Your session has ended, so nothing was changed. Please sign in again and repeat what you were doing.")
				return
			}
			http.Redirect(w, r, Prefix+"sign-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !c.validCSRF(r, sess) {
			c.log.Info("console form refused: bad synchroniser token", zap.String("pattern", r.Pattern))
			c.renderError(w, r, &sess, http.StatusForbidden, "Request refused",
				"This form has expired or did not come from this console, so nothing was changed. Please open the page again and repeat what you were doing.")
			return
		}
		if who == coordinatorOnly && sess.Role != roleCoordinator {
			c.forbidden(w, r, &sess)
			return
		}
		ctx, cancel, err := c.outgoing(r, sess, callTimeout)
		if err != nil {
			c.log.Error("sign backend token", zap.Error(err))
			c.renderError(w, r, &sess, http.StatusInternalServerError, "Something went wrong", "Please try again later.")
			return
		}
		defer cancel()
		w.Header().Set("Cache-Control", "no-store")
		h(&request{con: c, w: w, r: r, sess: sess, token: token, ctx: ctx})
	}
}

// validCSRF checks the form's synchroniser token against the session's.
// Only url-encoded forms are parsed: anything else has no token.
func (c *Console) validCSRF(r *http.Request, sess session.Session) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return false
	}
	if err := r.ParseForm(); err != nil {
		return false
	}
	return session.Equal(r.PostForm.Get("csrf"), sess.CSRF)
}

func (c *Console) forbidden(w http.ResponseWriter, r *http.Request, sess *session.Session) {
	c.renderError(w, r, sess, http.StatusForbidden, "Not allowed",
		"Your account may not open this page. Coordinators review applications and keep the directory; representatives see their own city's data.")
}

// outgoing is the context for downstream calls made for the signed-in
// person: a token with their role (and a representative's member), the
// client's address, and a timeout.
func (c *Console) outgoing(r *http.Request, sess session.Session, timeout time.Duration) (context.Context, context.CancelFunc, error) {
	role := optionsv1.Role_ROLE_REPRESENTATIVE
	if sess.Role == roleCoordinator {
		role = optionsv1.Role_ROLE_COORDINATOR
	}
	tok, err := c.signer.Issue(sess.Subject, role, sess.MemberID, tokenTTL)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	md := []string{"authorization", "Bearer " + tok}
	if xff := httpx.ForwardedFor(r); xff != "" {
		md = append(md, "x-forwarded-for", xff)
	}
	return metadata.AppendToOutgoingContext(ctx, md...), cancel, nil
}

// redirect answers a successful POST: see the result at path, with a
// one-time message.
func (rq *request) redirect(path, flash string) {
	if flash != "" {
		rq.con.sessions.SetFlash(rq.token, flash)
	}
	http.Redirect(rq.w, rq.r, path, http.StatusSeeOther)
}
