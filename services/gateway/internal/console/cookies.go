package console

import (
	"net/http"

	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
)

// Cookie names. The session cookie is scoped to the console's path.
const (
	sessionCookie = "coalition_console"
	// loginCookie carries the sign-in form's token (double submit: there
	// is no session to hold a synchroniser token yet).
	loginCookie = "coalition_console_login"
	// oidcCookie binds an OIDC sign-in to the browser that started it.
	oidcCookie = "coalition_console_oidc"
)

func (c *Console) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode,
	}
}

// currentSession is the live session the request's cookie names.
func (c *Console) currentSession(r *http.Request) (session.Session, string, bool) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return session.Session{}, "", false
	}
	sess, ok := c.sessions.Get(ck.Value)
	return sess, ck.Value, ok
}

// startSession ends the request's previous session, if any, and starts a
// new one with a new token (rotation on sign-in: a token planted before
// sign-in never becomes a signed-in one).
func (c *Console) startSession(w http.ResponseWriter, r *http.Request, id session.Identity) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		c.sessions.Delete(ck.Value)
	}
	_, token := c.sessions.Create(id)
	// No Max-Age: the cookie goes with the browser; the server enforces
	// the idle and absolute limits.
	http.SetCookie(w, c.cookie(sessionCookie, token, 0))
}

// endSession ends the request's session on the server and clears the cookie.
func (c *Console) endSession(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		c.sessions.Delete(ck.Value)
	}
	http.SetCookie(w, c.cookie(sessionCookie, "", -1))
}
