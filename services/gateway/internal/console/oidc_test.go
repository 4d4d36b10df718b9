package console_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/console"
)

// issuer is a tiny in-process OpenID Connect provider: discovery and keys
// from go-oidc's oidctest, plus an authorization endpoint that signs in
// whoever the test says and a token endpoint that checks the client
// secret, the redirect URI and the PKCE verifier before issuing an ID token.
type issuer struct {
	t      *testing.T
	srv    *httptest.Server
	key    *ecdsa.PrivateKey
	claims map[string]any // of the next person to sign in

	mu    sync.Mutex
	codes map[string]grant
}

type grant struct {
	nonce, challenge, redirect string
	claims                     map[string]any
}

const (
	clientID     = "console-test"
	clientSecret = "s3cret"
)

func newIssuer(t *testing.T) *issuer {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{t: t, key: key, codes: map[string]grant{}}
	disc := &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: oidc.ES256}}, Algorithms: []string{oidc.ES256}}
	mux := http.NewServeMux()
	mux.Handle("/.well-known/openid-configuration", disc)
	mux.Handle("/keys", disc)
	mux.HandleFunc("/auth", is.authorize)
	mux.HandleFunc("/token", is.token)
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	disc.SetIssuer(is.srv.URL)
	return is
}

func (is *issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("nonce") == "" {
		http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	code := fmt.Sprintf("code-%d", time.Now().UnixNano())
	is.mu.Lock()
	is.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), claims: is.claims}
	is.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (is *issuer) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	is.mu.Lock()
	g, found := is.codes[r.PostForm.Get("code")]
	delete(is.codes, r.PostForm.Get("code"))
	is.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case id != clientID || secret != clientSecret:
		http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
		return
	case !found || r.PostForm.Get("redirect_uri") != g.redirect:
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		http.Error(w, `{"error":"invalid_grant","error_description":"PKCE"}`, http.StatusBadRequest)
		return
	}
	claims := map[string]any{"iss": is.srv.URL, "aud": clientID, "exp": time.Now().Add(5 * time.Minute).Unix(), "iat": time.Now().Unix(), "nonce": g.nonce}
	for k, v := range g.claims {
		claims[k] = v
	}
	raw, _ := json.Marshal(claims)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300,
		"id_token": oidctest.SignIDToken(is.key, "k1", oidc.ES256, string(raw))})
}

func withOIDC(is *issuer) envOption {
	return func(c *console.Config) {
		c.OIDC = console.OIDCConfig{Issuer: is.srv.URL, ClientID: clientID, ClientSecret: clientSecret, RoleClaim: "groups",
			CoordinatorValue: "cc4dr-coordinators", RepresentativeValue: "cc4dr-representatives", MemberClaim: "member_id", DisplayName: "Test SSO"}
	}
}

// follow runs the browser through the single sign-on redirects: the
// console's start, the provider, and back to the console's callback.
func (b *browser) singleSignOn(t *testing.T, next string) response {
	t.Helper()
	start := b.get("/console/oidc/start?next=" + url.QueryEscape(next))
	if start.code != http.StatusFound {
		t.Fatalf("start: HTTP %d\n%s", start.code, start.body)
	}
	req, _ := http.NewRequest(http.MethodGet, start.location, nil)
	auth := b.do(req)
	if auth.code != http.StatusFound {
		t.Fatalf("provider: HTTP %d %s", auth.code, auth.body)
	}
	req, _ = http.NewRequest(http.MethodGet, auth.location, nil)
	return b.do(req)
}

func TestSingleSignOn(t *testing.T) {
	is := newIssuer(t)
	e := newEnv(t, withOIDC(is))
	b := e.browser()
	if page := b.get("/console/sign-in"); !strings.Contains(page.body, "Sign in with Test SSO") {
		t.Fatalf("sign-in page has no single sign-on button:\n%s", page.body)
	}

	is.claims = map[string]any{"sub": "u-1", "email": "alex@example.org", "email_verified": true, "name": "Alex SSO", "groups": []string{"staff", "cc4dr-coordinators"}}
	r := b.singleSignOn(t, "/console/applications")
	if r.code != http.StatusSeeOther || r.location != "/console/applications" {
		t.Fatalf("callback: HTTP %d to %q\n%s", r.code, r.location, r.body)
	}
	if page := b.get("/console/applications"); page.code != http.StatusOK || !strings.Contains(page.body, "Alex SSO") {
		t.Fatalf("applications after single sign-on: HTTP %d\n%s", page.code, page.body)
	}
	if c := e.fake.lastCaller(); c.Role != optionsv1.Role_ROLE_COORDINATOR || c.Subject != "alex@example.org" {
		t.Fatalf("backend token after single sign-on: %+v", c)
	}

	// A representative: their member is found from their email address.
	rep := e.browser()
	is.claims = map[string]any{"sub": "u-2", "email": repEmail, "email_verified": true, "groups": "cc4dr-representatives"}
	if r := rep.singleSignOn(t, "/console/"); r.code != http.StatusSeeOther {
		t.Fatalf("representative callback: HTTP %d\n%s", r.code, r.body)
	}
	if page := rep.get("/console/applications"); page.code != http.StatusForbidden {
		t.Fatalf("representative via single sign-on opened applications: HTTP %d", page.code)
	}
	rep.get("/console/")
	if c := e.fake.lastCaller(); c.Role != optionsv1.Role_ROLE_REPRESENTATIVE || c.MemberID != portoID || c.Subject != repID {
		t.Fatalf("representative backend token: %+v", c)
	}
}

func TestSingleSignOnRefusals(t *testing.T) {
	is := newIssuer(t)
	e := newEnv(t, withOIDC(is))

	// No console role in the claim.
	b := e.browser()
	is.claims = map[string]any{"sub": "u-3", "email": "x@example.org", "email_verified": true, "groups": []string{"staff"}}
	if r := b.singleSignOn(t, "/console/"); r.code != http.StatusForbidden || b.cookie("coalition_console") != "" {
		t.Fatalf("no role: HTTP %d", r.code)
	}
	// A representative whose email is not verified.
	is.claims = map[string]any{"sub": "u-4", "email": repEmail, "email_verified": false, "groups": []string{"cc4dr-representatives"}}
	if r := b.singleSignOn(t, "/console/"); r.code != http.StatusForbidden || b.cookie("coalition_console") != "" {
		t.Fatalf("unverified email: HTTP %d", r.code)
	}

	// The callback opened in another browser (login CSRF), and replayed.
	is.claims = map[string]any{"sub": "u-1", "email": "alex@example.org", "groups": []string{"cc4dr-coordinators"}}
	victim := e.browser()
	start := victim.get("/console/oidc/start")
	req, _ := http.NewRequest(http.MethodGet, start.location, nil)
	cb := victim.do(req).location
	other := e.browser()
	req, _ = http.NewRequest(http.MethodGet, cb, nil)
	if r := other.do(req); r.code != http.StatusForbidden || other.cookie("coalition_console") != "" {
		t.Fatalf("callback in another browser: HTTP %d", r.code)
	}
	req, _ = http.NewRequest(http.MethodGet, cb, nil)
	if r := victim.do(req); r.code != http.StatusSeeOther {
		t.Fatalf("callback in the right browser: HTTP %d\n%s", r.code, r.body)
	}
	req, _ = http.NewRequest(http.MethodGet, cb, nil)
	replay := e.browser()
	replay.client.Jar = victim.client.Jar
	if r := replay.do(req); r.code != http.StatusForbidden {
		t.Fatalf("replayed callback: HTTP %d", r.code)
	}
}
