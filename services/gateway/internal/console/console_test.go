package console_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/console"
)

func TestSignInSignOut(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	if r := b.get("/console/"); r.code != http.StatusSeeOther || r.location != "/console/sign-in?next=%2Fconsole%2F" {
		t.Fatalf("signed-out dashboard: HTTP %d to %q, want the sign-in page", r.code, r.location)
	}
	form := b.get("/console/sign-in")
	if form.code != http.StatusOK || !strings.Contains(form.body, `autocomplete="current-password"`) {
		t.Fatalf("sign-in page: HTTP %d\n%s", form.code, form.body)
	}
	b.signIn(coordEmail)

	// The session cookie: HttpOnly, SameSite=Lax, scoped to the console.
	fresh := e.browser()
	token := fresh.csrf("/console/sign-in")
	resp, err := fresh.client.Do(func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/console/sign-in", strings.NewReader(url.Values{"csrf": {token}, "username": {coordEmail}, "password": {password}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var set string
	for _, v := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "coalition_console=") {
			set = v
		}
	}
	for _, want := range []string{"Path=/console/", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, "Max-Age") || strings.Contains(set, "Secure") {
		t.Errorf("session cookie %q: want a browser-session cookie, not Secure on plain http", set)
	}

	dash := b.get("/console/")
	if dash.code != http.StatusOK || !strings.Contains(dash.body, "Signed in as <strong>Alex Coordinator</strong>") {
		t.Fatalf("dashboard: HTTP %d\n%s", dash.code, dash.body)
	}
	// The services were called with a short-lived coordinator token for this person.
	c := e.fake.lastCaller()
	if c == nil || c.Role != optionsv1.Role_ROLE_COORDINATOR || c.Subject != coordEmail || c.Issuer != "test-console" {
		t.Fatalf("backend token claims = %+v", c)
	}
	if ttl := c.ExpiresAt.Sub(c.IssuedAt.Time); ttl > 5*time.Minute {
		t.Errorf("backend token lives %v: want minutes", ttl)
	}

	stolen := b.cookie("coalition_console")
	out := b.post("/console/sign-out", url.Values{"csrf": {b.csrf("/console/")}})
	if out.code != http.StatusSeeOther || out.location != "/console/sign-in?signed_out=1" {
		t.Fatalf("sign out: HTTP %d to %q", out.code, out.location)
	}
	if b.cookie("coalition_console") != "" {
		t.Error("sign-out left the session cookie in the browser")
	}
	// The token is dead on the server too: a copy of the cookie is useless.
	thief := e.browser()
	u, _ := url.Parse(e.srv.URL + "/console/")
	thief.client.Jar.SetCookies(u, []*http.Cookie{{Name: "coalition_console", Value: stolen, Path: "/console/"}})
	if r := thief.get("/console/"); r.code != http.StatusSeeOther {
		t.Fatalf("dashboard with the signed-out session's cookie: HTTP %d, want a redirect to sign in", r.code)
	}
}

// TestSignInRotatesTheSession: a session token planted in the browser
// before sign-in (session fixation) is not the one that gets signed in.
func TestSignInRotatesTheSession(t *testing.T) {
	e := newEnv(t)
	attacker := e.browser()
	attacker.signIn(repEmail)
	planted := attacker.cookie("coalition_console")

	victim := e.browser()
	loginToken := victim.csrf("/console/sign-in")
	u, _ := url.Parse(e.srv.URL + "/console/")
	victim.client.Jar.SetCookies(u, []*http.Cookie{{Name: "coalition_console", Value: planted, Path: "/console/"}})
	r := victim.post("/console/sign-in", url.Values{"csrf": {loginToken}, "username": {coordEmail}, "password": {password}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("sign in: HTTP %d\n%s", r.code, r.body)
	}
	if got := victim.cookie("coalition_console"); got == planted || got == "" {
		t.Fatal("signing in kept the planted session token")
	}
	if r := attacker.get("/console/"); r.code != http.StatusSeeOther {
		t.Errorf("the planted session still works after the victim signed in over it: HTTP %d", r.code)
	}
}

func TestIdleSessionEnds(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(coordEmail)
	e.advance(29 * time.Minute)
	if r := b.get("/console/"); r.code != http.StatusOK {
		t.Fatalf("after 29 minutes: HTTP %d", r.code)
	}
	e.advance(31 * time.Minute)
	if r := b.get("/console/applications"); r.code != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/sign-in?next=") {
		t.Fatalf("after 31 idle minutes: HTTP %d to %q, want sign in", r.code, r.location)
	}
	// A form posted after the session ended changes nothing.
	if r := b.post("/console/applications/"+appID+"/approve", url.Values{"csrf": {"anything"}}); r.code != http.StatusForbidden {
		t.Fatalf("POST after expiry: HTTP %d, want 403", r.code)
	}
	if ch := e.fake.changed(); len(ch) != 0 {
		t.Fatalf("changes after expiry: %v", ch)
	}
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	wrong := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {coordEmail}, "password": {"nope"}})
	unknown := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {"nobody@example.org"}, "password": {"nope"}})
	for _, r := range []response{wrong, unknown} {
		if r.code != http.StatusBadRequest || !strings.Contains(r.body, "The username or password is not right.") {
			t.Fatalf("failed sign-in: HTTP %d\n%s", r.code, r.body)
		}
	}
	if b.cookie("coalition_console") != "" {
		t.Fatal("a failed sign-in left a session cookie")
	}
	// Bad input: a clear message per field.
	empty := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}})
	if empty.code != http.StatusBadRequest || !strings.Contains(empty.body, "Enter your username.") || !strings.Contains(empty.body, "Enter your password.") {
		t.Fatalf("empty sign-in: HTTP %d\n%s", empty.code, empty.body)
	}
}

func TestSignInFormNeedsItsToken(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.get("/console/sign-in") // sets the cookie half
	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		r := b.post("/console/sign-in", url.Values{"csrf": {token}, "username": {coordEmail}, "password": {password}})
		if r.code != http.StatusForbidden || b.cookie("coalition_console") != "" {
			t.Errorf("%s sign-in form token: HTTP %d, want 403 and no session", name, r.code)
		}
	}
}

func TestSignInIsRateLimited(t *testing.T) {
	e := newEnv(t, func(c *console.Config) { c.LoginPerUser = 3 })
	b := e.browser()
	for i := range 3 {
		r := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {coordEmail}, "password": {"guess"}})
		if r.code != http.StatusBadRequest {
			t.Fatalf("attempt %d: HTTP %d", i+1, r.code)
		}
	}
	r := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {coordEmail}, "password": {password}})
	if r.code != http.StatusTooManyRequests || b.cookie("coalition_console") != "" {
		t.Fatalf("4th attempt (right password): HTTP %d, want 429 and no session", r.code)
	}
	// Another username is not blocked by this one's attempts.
	other := e.browser()
	other.signIn(repEmail)
	e.advance(15 * time.Minute)
	b.signIn(coordEmail)
}

func TestCSRFTokenRequiredOnEveryPost(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(coordEmail)
	otherSession := e.browser()
	otherSession.signIn(coordEmail)
	foreign := otherSession.csrf("/console/")

	path := "/console/applications/" + appID + "/approve"
	for name, form := range map[string]url.Values{
		"no token":                  {},
		"wrong token":               {"csrf": {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
		"another session's token":   {"csrf": {foreign}},
		"token in the query string": nil,
	} {
		var r response
		if form == nil {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path+"?csrf="+url.QueryEscape(b.csrf("/console/")), nil)
			r = b.do(req)
		} else {
			r = b.post(path, form)
		}
		if r.code != http.StatusForbidden || !strings.Contains(r.body, "nothing was changed") {
			t.Errorf("%s: HTTP %d, want 403", name, r.code)
		}
	}
	// A JSON body carrying the right token is not a console form.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(`{"csrf":"`+b.csrf("/console/")+`"}`))
	req.Header.Set("Content-Type", "application/json")
	if r := b.do(req); r.code != http.StatusForbidden {
		t.Errorf("JSON post: HTTP %d, want 403", r.code)
	}
	if ch := e.fake.changed(); len(ch) != 0 {
		t.Fatalf("refused forms changed something: %v", ch)
	}

	ok := b.post(path, url.Values{"csrf": {b.csrf("/console/applications/" + appID)}})
	if ok.code != http.StatusSeeOther || ok.location != "/console/applications/"+appID {
		t.Fatalf("approve with the token: HTTP %d to %q\n%s", ok.code, ok.location, ok.body)
	}
	if ch := e.fake.changed(); !slices.Equal(ch, []string{"ApproveApplication"}) {
		t.Fatalf("changes = %v", ch)
	}
	page := b.get("/console/applications/" + appID)
	if !strings.Contains(page.body, "Application approved: Valencia is a member.") || !strings.Contains(page.body, "Approved") {
		t.Errorf("after approving, the page does not say so:\n%s", page.body)
	}
}

func TestRepresentativeCannotOpenCoordinatorPages(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(repEmail)
	dash := b.get("/console/")
	if dash.code != http.StatusOK || !strings.Contains(dash.body, "Signed in as <strong>Inês Modelo</strong> (representative)") {
		t.Fatalf("representative dashboard: HTTP %d\n%s", dash.code, dash.body)
	}
	// The backend token names their representative record and member.
	c := e.fake.lastCaller()
	if c.Role != optionsv1.Role_ROLE_REPRESENTATIVE || c.Subject != repID || c.MemberID != portoID {
		t.Fatalf("representative's backend token: %+v", c)
	}
	for _, path := range []string{"/console/applications", "/console/applications/" + appID, "/console/members", "/console/bodies",
		"/console/proposals", "/console/bursts", "/console/deliveries", "/console/members/" + otherID} {
		if r := b.get(path); r.code != http.StatusForbidden {
			t.Errorf("representative GET %s: HTTP %d, want 403", path, r.code)
		}
	}
	token := b.csrf("/console/")
	for _, path := range []string{"/console/applications/" + appID + "/approve", "/console/members/" + otherID, "/console/members/" + portoID + "/status"} {
		if r := b.post(path, url.Values{"csrf": {token}, "name": {"Hijacked"}, "reason": {"x"}, "action": {"suspend"}}); r.code != http.StatusForbidden {
			t.Errorf("representative POST %s: HTTP %d, want 403", path, r.code)
		}
	}
	if ch := e.fake.changed(); len(ch) != 0 {
		t.Fatalf("refused representative actions changed something: %v", ch)
	}
	// Their own city they may see and edit.
	if r := b.get("/console/members/" + portoID); r.code != http.StatusOK {
		t.Fatalf("own member page: HTTP %d\n%s", r.code, r.body)
	}
	r := b.post("/console/members/"+portoID, url.Values{"csrf": {token}, "name": {"Porto"}, "country": {"PT"}, "principles": {"PRINCIPLE_PRIVACY"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("own member edit: HTTP %d\n%s", r.code, r.body)
	}
	if ch := e.fake.changed(); !slices.Equal(ch, []string{"UpdateMember " + portoID}) {
		t.Fatalf("changes = %v", ch)
	}
}

func TestAccountWithoutRepresentativeRecord(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {"orphan@example.org"}, "password": {password}})
	if r.code != http.StatusForbidden || !strings.Contains(r.body, "not linked to a representative") || b.cookie("coalition_console") != "" {
		t.Fatalf("orphan representative: HTTP %d, cookie %q\n%s", r.code, b.cookie("coalition_console"), r.body)
	}
}

func TestRejectNeedsAReason(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(coordEmail)
	r := b.post("/console/applications/"+appID+"/reject", url.Values{"csrf": {b.csrf("/console/applications/" + appID)}, "reason": {"   "}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "Enter the reason for the applicant.") || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Fatalf("reject without reason: HTTP %d\n%s", r.code, r.body)
	}
	if ch := e.fake.changed(); len(ch) != 0 {
		t.Fatalf("changes = %v", ch)
	}
}

func TestNextStaysInTheConsole(t *testing.T) {
	e := newEnv(t)
	for next, want := range map[string]string{
		"/console/applications":   "/console/applications",
		"https://evil.example/":   "/console/",
		"//evil.example/console/": "/console/",
		"/console//evil.example":  "/console/",
		"/console/../admin":       "/console/",
		"/console/sign-out":       "/console/",
	} {
		b := e.browser()
		r := b.post("/console/sign-in", url.Values{"csrf": {b.csrf("/console/sign-in")}, "username": {coordEmail}, "password": {password}, "next": {next}})
		if r.code != http.StatusSeeOther || r.location != want {
			t.Errorf("next=%q: HTTP %d to %q, want %q", next, r.code, r.location, want)
		}
	}
}

func TestBadIDsAreNotFound(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn(coordEmail)
	for _, path := range []string{"/console/applications/not-a-uuid", "/console/members/1", "/console/nothing-here"} {
		if r := b.get(path); r.code != http.StatusNotFound {
			t.Errorf("GET %s: HTTP %d, want 404", path, r.code)
		}
	}
}

func TestConsoleOffWithoutSigningKey(t *testing.T) {
	c, err := console.New(console.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	c.Register(mux)
	rec := newRecorder()
	mux.ServeHTTP(rec, httptestRequest("GET", "/console/"))
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "not set up") {
		t.Fatalf("console without key: HTTP %d\n%s", rec.Code, rec.Body)
	}
	if _, err := console.New(console.Options{Config: console.Config{SigningKeyFile: "/nonexistent"}}); err == nil {
		t.Error("a missing signing key file was accepted")
	}
}
