package e2e

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// consoleUser is a browser-like client of the coordinator console: its own
// cookies, forms posted url-encoded, redirects not followed (so each
// answer's status and Location can be checked).
type consoleUser struct {
	t      *testing.T
	client *http.Client
}

func newConsoleUser(t *testing.T) *consoleUser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &consoleUser{t: t, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type consoleAnswer struct {
	status   int
	body     string
	location string
}

func (u *consoleUser) do(method, path string, form url.Values) consoleAnswer {
	u.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, shared.Addresses().GatewayURL+path, body)
	if err != nil {
		u.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// What a browser sends with a same-origin form post.
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := u.client.Do(req)
	if err != nil {
		u.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return consoleAnswer{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location")}
}

func (u *consoleUser) get(path string) consoleAnswer { return u.do(http.MethodGet, path, nil) }

func (u *consoleUser) post(path string, form url.Values) consoleAnswer {
	return u.do(http.MethodPost, path, form)
}

var consoleCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf opens path and returns the synchroniser token of its forms.
func (u *consoleUser) csrf(path string) string {
	u.t.Helper()
	a := u.get(path)
	m := consoleCSRF.FindStringSubmatch(a.body)
	if m == nil {
		u.t.Fatalf("no form token on %s (HTTP %d)", path, a.status)
	}
	return m[1]
}

// signIn signs in with one of the launcher's demo console accounts.
func (u *consoleUser) signIn(role string) {
	u.t.Helper()
	for _, l := range shared.ConsoleLogins() {
		if l.Role != role {
			continue
		}
		a := u.post("/console/sign-in", url.Values{"csrf": {u.csrf("/console/sign-in")}, "username": {l.Username}, "password": {l.Password}})
		if a.status != http.StatusSeeOther || a.location != "/console/" {
			u.t.Fatalf("sign in as %s: HTTP %d to %q\n%s", l.Username, a.status, a.location, a.body)
		}
		return
	}
	u.t.Fatalf("the launcher seeded no %s console account", role)
}
