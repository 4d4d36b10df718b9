package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"go.uber.org/zap"
	"golang.org/x/oauth2"

	"github.com/cc4dr/coalition/services/gateway/internal/console/session"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
)

// oidcFlowTTL is how long a started single sign-on may take.
const oidcFlowTTL = 10 * time.Minute

// oidcFlow signs people in with an OpenID Connect provider: the
// authorization code flow with PKCE, a state bound to the browser by a
// cookie, and a nonce checked in the ID token. The provider is discovered
// on first use (and again after a failure), so the gateway starts even when
// the provider is briefly unreachable.
type oidcFlow struct {
	cfg      OIDCConfig
	redirect string
	log      *zap.Logger

	mu       sync.Mutex
	provider *oidc.Provider

	// pending holds started sign-ins by state, bounded and expiring.
	pending *expirable.LRU[string, pendingLogin]
}

type pendingLogin struct {
	nonce, verifier, next string
}

func newOIDCFlow(cfg OIDCConfig, redirect string, log *zap.Logger) *oidcFlow {
	return &oidcFlow{cfg: cfg, redirect: redirect, log: log, pending: expirable.NewLRU[string, pendingLogin](10_000, nil, oidcFlowTTL)}
}

func (f *oidcFlow) discover(ctx context.Context) (*oidc.Provider, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.provider != nil {
		return f.provider, nil
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, f.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover OIDC issuer: %w", err)
	}
	f.provider = p
	return p, nil
}

func (f *oidcFlow) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: f.cfg.ClientID, ClientSecret: f.cfg.ClientSecret, RedirectURL: f.redirect,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// oidcStart sends the browser to the provider.
func (c *Console) oidcStart(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.notFound(w, r)
		return
	}
	if !c.perIP.allow(httpx.ClientIP(r), c.now()) {
		c.renderError(w, r, nil, http.StatusTooManyRequests, "Too many attempts",
			"There have been too many sign-in attempts. Please wait a few minutes and try again.")
		return
	}
	p, err := c.oidc.discover(r.Context())
	if err != nil {
		c.log.Warn("console single sign-on unavailable", zap.Error(err))
		c.renderError(w, r, nil, http.StatusServiceUnavailable, "Single sign-on unavailable",
			"The sign-in provider cannot be reached right now. Please try again in a few minutes.")
		return
	}
	state, nonce, verifier := session.RandomToken(), session.RandomToken(), oauth2.GenerateVerifier()
	c.oidc.pending.Add(state, pendingLogin{nonce: nonce, verifier: verifier, next: safeNext(r.URL.Query().Get("next"))})
	http.SetCookie(w, c.cookie(oidcCookie, state, int(oidcFlowTTL.Seconds())))
	http.Redirect(w, r, c.oidc.oauth2(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// oidcCallback finishes a sign-in the provider sent back: the state must
// be this browser's, the code is exchanged (with the PKCE verifier), the ID
// token verified (issuer, audience, expiry, signature, nonce) and its role
// claim mapped to a console role.
func (c *Console) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.notFound(w, r)
		return
	}
	refuse := func(code int, msg string, err error) {
		c.log.Info("console single sign-on refused", zap.String("why", msg), zap.Error(err))
		c.renderError(w, r, nil, code, "Sign-in failed", msg)
	}
	q := r.URL.Query()
	state := q.Get("state")
	ck, err := r.Cookie(oidcCookie)
	if err != nil || !session.Equal(state, ck.Value) {
		refuse(http.StatusForbidden, "This sign-in did not start in this browser, or took too long. Please start again.", nil)
		return
	}
	http.SetCookie(w, c.cookie(oidcCookie, "", -1))
	pending, ok := c.oidc.pending.Get(state)
	c.oidc.pending.Remove(state)
	if !ok {
		refuse(http.StatusForbidden, "This sign-in has expired or was already used. Please start again.", nil)
		return
	}
	if e := q.Get("error"); e != "" {
		refuse(http.StatusForbidden, "The sign-in provider did not sign you in.", errors.New(trim(e, 100)))
		return
	}
	p, err := c.oidc.discover(r.Context())
	if err != nil {
		refuse(http.StatusServiceUnavailable, "The sign-in provider cannot be reached right now.", err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	tok, err := c.oidc.oauth2(p).Exchange(ctx, trim(q.Get("code"), 2000), oauth2.VerifierOption(pending.verifier))
	if err != nil {
		refuse(http.StatusBadGateway, "The sign-in provider did not confirm the sign-in.", err)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		refuse(http.StatusBadGateway, "The sign-in provider sent no identity.", nil)
		return
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.cfg.OIDC.ClientID}).Verify(ctx, raw)
	if err != nil || !session.Equal(idt.Nonce, pending.nonce) {
		refuse(http.StatusForbidden, "The identity the provider sent could not be verified.", err)
		return
	}
	id, err := c.oidc.identity(idt)
	if err != nil {
		refuse(http.StatusForbidden, "Your account with the sign-in provider has no role in this console.", err)
		return
	}
	c.finishSignIn(w, r, id, pending.next)
}

// identity maps the ID token's claims to a console identity.
func (f *oidcFlow) identity(idt *oidc.IDToken) (session.Identity, error) {
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return session.Identity{}, err
	}
	email := verifiedEmail(claims)
	name, _ := claims["name"].(string)
	id := session.Identity{Subject: "oidc:" + idt.Subject, Name: trim(name, 200), Method: "oidc"}
	roles := claimValues(claims, f.cfg.RoleClaim)
	switch {
	case contains(roles, f.cfg.CoordinatorValue):
		id.Role = roleCoordinator
		if email != "" {
			id.Subject = email
		}
	case contains(roles, f.cfg.RepresentativeValue):
		id.Role = roleRepresentative
		if email == "" {
			return id, errors.New("representative without a verified email address")
		}
		id.Subject = email
		if v := claimValues(claims, f.cfg.MemberClaim); len(v) == 1 {
			id.MemberID = trim(v[0], 64)
		}
	default:
		return id, errors.New("no console role in the role claim")
	}
	if id.Name == "" {
		id.Name = id.Subject
	}
	id.Subject = trim(id.Subject, 254)
	return id, nil
}

// verifiedEmail is the ID token's email address when the provider says it
// verified it (email_verified exactly true; some providers send the string
// "true"), else "". An unverified address could be anyone's, so it never
// names the person: coordinators are then recorded by their provider
// subject, and representatives are refused.
func verifiedEmail(claims map[string]any) string {
	email, _ := claims["email"].(string)
	switch v := claims["email_verified"].(type) {
	case bool:
		if v {
			return email
		}
	case string:
		if v == "true" {
			return email
		}
	}
	return ""
}

// claimValues reads a claim (a dotted path such as realm_access.roles
// reaches into objects) as a list of strings.
func claimValues(claims map[string]any, path string) []string {
	if path == "" {
		return nil
	}
	var v any = claims
	for part := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	switch x := v.(type) {
	case string:
		return strings.Fields(x)
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if v != "" && x == v {
			return true
		}
	}
	return false
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
