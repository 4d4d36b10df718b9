package console

import (
	"context"
	"errors"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
)

// recheckEvery is how often a session's identity is confirmed current: a
// person removed from the accounts file, given another role, or removed as
// a representative loses console access within this long, not at the end
// of their session.
const recheckEvery = time.Minute

// errIdentityGone says the session's person is no longer who signed in.
var errIdentityGone = errors.New("signed-in identity no longer current")

// stillCurrent confirms, at most every recheckEvery, that the session's
// identity still holds; on errIdentityGone the caller ends the session.
// Other errors (membership unreachable) keep the session without marking
// it checked, so the next request checks again; the services authorise
// every call themselves meanwhile.
func (c *Console) stillCurrent(ctx context.Context, sess session.Session, token string) error {
	now := c.now()
	if now.Sub(sess.Checked) < recheckEvery {
		return nil
	}
	if err := c.checkIdentity(ctx, sess); err != nil {
		return err
	}
	c.sessions.MarkChecked(token, now)
	return nil
}

// checkIdentity: a password account must still be in the accounts file
// with the same role (and subject or member pin); a representative must
// still resolve to the same representative record of the same member.
// A coordinator signed in with single sign-on has nothing to ask again
// (the provider is consulted only at sign-in): their session's limits apply.
func (c *Console) checkIdentity(ctx context.Context, sess session.Session) error {
	who := session.Identity{Subject: sess.Subject, MemberID: sess.MemberID, Role: sess.Role}
	if sess.Method == "password" {
		if err := c.accounts.Refresh(); err != nil {
			c.log.Error("console accounts file", zap.Error(err))
		}
		a, ok := c.accounts.Lookup(sess.Account)
		switch {
		case !ok || string(a.Role) != sess.Role:
			return errIdentityGone
		case a.Role == accounts.Coordinator && a.Subject != sess.Subject:
			return errIdentityGone
		case a.MemberID != "" && a.MemberID != sess.MemberID:
			return errIdentityGone
		}
		// A representative is resolved from the account as at sign-in, so a
		// changed subject in the file is noticed too.
		who.Subject, who.MemberID = a.Subject, a.MemberID
	}
	if sess.Role != roleRepresentative {
		return nil
	}
	got, err := c.resolveRepresentative(ctx, who)
	if errors.Is(err, errNoRepresentative) || (err == nil && (got.Subject != sess.Subject || got.MemberID != sess.MemberID)) {
		return errIdentityGone
	}
	return err
}

// revalidate runs stillCurrent for page: false means the session has just
// been ended (and its cookie cleared), so the request is a signed-out one.
func (c *Console) revalidate(w http.ResponseWriter, r *http.Request, sess session.Session, token string) bool {
	err := c.stillCurrent(r.Context(), sess, token)
	if err == nil {
		return true
	}
	if errors.Is(err, errIdentityGone) {
		c.log.Info("console session ended: account or representative record changed", zap.String("role", sess.Role), zap.String("method", sess.Method))
		c.endSession(w, r)
		return false
	}
	c.log.Warn("console session check failed; will check again", zap.Error(err))
	return true
}
