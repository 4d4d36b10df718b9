package mailcatcher

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type listEntry struct {
	ID      string   `json:"id"`
	From    string   `json:"from"`
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Time    string   `json:"time"`
	Size    int      `json:"size"`
}

func TestHTTPListJSON(t *testing.T) {
	c := start(t, Options{})
	h := c.Handler()
	mustSend(t, c, "alice@example.org", []string{"bob@example.org"}, plainMsg)
	mustSend(t, c, "news@example.org", []string{"Carol@Example.org"}, alternativeMsg)
	mustSend(t, c, "petition@example.org", []string{"frank@example.org"}, encodedSubjectMsg)

	resp := get(t, h, "GET", "/dev/mail/messages")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	raw := body(t, resp)
	var generic []map[string]any
	if err := json.Unmarshal([]byte(raw), &generic); err != nil {
		t.Fatal(err)
	}
	for _, e := range generic {
		if len(e) != 6 {
			t.Errorf("entry has fields %v, want id from to subject time size", e)
		}
	}
	var list []listEntry
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].Subject != "Bestätigen Sie Ihre Unterschrift ✓" || list[2].Subject != "Hello" {
		t.Fatalf("list = %+v", list)
	}
	e := list[2]
	if e.From != "alice@example.org" || len(e.To) != 1 || e.To[0] != "bob@example.org" || e.Size != len(plainMsg) {
		t.Errorf("entry = %+v", e)
	}
	if _, err := time.Parse(time.RFC3339Nano, e.Time); err != nil {
		t.Errorf("time %q: %v", e.Time, err)
	}

	var filtered []listEntry
	if err := json.Unmarshal([]byte(body(t, get(t, h, "GET", "/dev/mail/messages?to=carol@EXAMPLE"))), &filtered); err != nil {
		t.Fatal(err)
	}
	if len(filtered) != 1 || filtered[0].Subject != "Newsletter" {
		t.Errorf("to filter = %+v", filtered)
	}
	var limited []listEntry
	if err := json.Unmarshal([]byte(body(t, get(t, h, "GET", "/dev/mail/messages?limit=2"))), &limited); err != nil {
		t.Fatal(err)
	}
	if len(limited) != 2 || limited[0].ID != list[0].ID {
		t.Errorf("limit=2 = %+v", limited)
	}
	if resp := get(t, h, "GET", "/dev/mail/messages?limit=zero"); resp.StatusCode != 400 {
		t.Errorf("bad limit: %d", resp.StatusCode)
	}

	c.Clear()
	if got := strings.TrimSpace(body(t, get(t, h, "GET", "/dev/mail/messages"))); got != "[]" {
		t.Errorf("empty list = %s", got)
	}
}

func TestHTTPRawAndErrors(t *testing.T) {
	c := start(t, Options{})
	h := c.Handler()
	mustSend(t, c, "alice@example.org", []string{"bob@example.org"}, plainMsg)
	id := c.Messages()[0].ID

	resp := get(t, h, "GET", "/dev/mail/messages/"+id+"/raw")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "message/rfc822" ||
		resp.Header.Get("Content-Disposition") != "inline" {
		t.Fatalf("raw: %d %v", resp.StatusCode, resp.Header)
	}
	if got := body(t, resp); got != plainMsg {
		t.Errorf("raw bytes differ:\n%q\nwant\n%q", got, plainMsg)
	}

	resp = get(t, h, "GET", "/dev/mail/messages/unknown/raw")
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("unknown raw: %d %v", resp.StatusCode, resp.Header)
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(body(t, resp)), &e); err != nil || e.Error.Code != "not_found" || e.Error.Message == "" {
		t.Errorf("error body: %+v, %v", e, err)
	}
	if resp := get(t, h, "GET", "/dev/mail/nothing-here"); resp.StatusCode != 404 {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}

	if resp := get(t, h, "DELETE", "/dev/mail/messages"); resp.StatusCode != 204 {
		t.Errorf("DELETE: %d", resp.StatusCode)
	}
	if n := c.Count(nil); n != 0 {
		t.Errorf("after DELETE: %d messages", n)
	}
}

func TestHTTPInboxEscapes(t *testing.T) {
	c := start(t, Options{})
	h := c.Handler()
	mustSend(t, c, "x@example.org", []string{"y@example.org"},
		crlf("Subject: <script>alert(1)</script> & more\nFrom: <x@example.org>\n\nhi <b>there</b>\n"))
	id := c.Messages()[0].ID

	for _, target := range []string{"/dev/mail", "/dev/mail/"} {
		resp := get(t, h, "GET", target)
		page := body(t, resp)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %v", target, resp.StatusCode, resp.Header)
		}
		if strings.Contains(page, "<script") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") {
			t.Errorf("%s: subject not escaped:\n%s", target, page)
		}
		for _, want := range []string{`<html lang="en">`, `<caption>`, `<th scope="col">`, `href="/dev/mail/style.css"`,
			`href="/dev/mail/messages/` + id + `"`, `action="/dev/mail/clear"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %s", target, want)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("page CSP = %q", csp)
		}
	}

	resp := get(t, h, "GET", "/dev/mail/messages/"+id)
	page := body(t, resp)
	if resp.StatusCode != 200 || strings.Contains(page, "<script") || strings.Contains(page, "<b>") ||
		!strings.Contains(page, "hi &lt;b&gt;there&lt;/b&gt;") {
		t.Errorf("message page not escaped (%d):\n%s", resp.StatusCode, page)
	}

	if resp := get(t, h, "GET", "/dev/mail/style.css"); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("style.css: %d %v", resp.StatusCode, resp.Header)
	}

	// The clear form posts back and redirects to the inbox.
	resp = get(t, h, "POST", "/dev/mail/clear")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dev/mail/" || c.Count(nil) != 0 {
		t.Errorf("clear: %d %q, %d left", resp.StatusCode, resp.Header.Get("Location"), c.Count(nil))
	}
	// A cross-origin browser POST is refused.
	req := httptest.NewRequest("POST", "/dev/mail/clear", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", rec.Code)
	}
}

func TestHTTPAlternativeMessage(t *testing.T) {
	c := start(t, Options{})
	h := c.Handler()
	mustSend(t, c, "news@example.org", []string{"carol@example.org"}, alternativeMsg)
	id := c.Messages()[0].ID

	page := body(t, get(t, h, "GET", "/dev/mail/messages/"+id))
	if !strings.Contains(page, "<pre>Café au lait, a long line that is soft wrapped.</pre>") {
		t.Errorf("quoted-printable text not shown:\n%s", page)
	}
	if !strings.Contains(page, `href="/dev/mail/messages/`+id+`/html"`) || !strings.Contains(page, `/raw"`) {
		t.Errorf("page lacks html/raw links")
	}
	if strings.Contains(page, "<p><b>Café") || strings.Contains(page, "alert(1)") {
		t.Errorf("HTML part inlined into the page")
	}

	resp := get(t, h, "GET", "/dev/mail/messages/"+id+"/html")
	if got := body(t, resp); got != "<p><b>Café</b><script>alert(1)</script></p>" {
		t.Errorf("html part = %q", got)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != "sandbox; default-src 'none'; style-src 'unsafe-inline'" {
		t.Errorf("html CSP = %q", csp)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("html type = %q", ct)
	}
}

func TestHTTPMixedWithCalendar(t *testing.T) {
	c := start(t, Options{})
	h := c.Handler()
	mustSend(t, c, "events@example.org", []string{"dave@example.org", "erin@example.org"}, mixedMsg)
	id := c.Messages()[0].ID

	page := body(t, get(t, h, "GET", "/dev/mail/messages/"+id))
	if !strings.Contains(page, "<pre>You are invited to the conférence.</pre>") {
		t.Errorf("latin-1 quoted-printable text not shown:\n%s", page)
	}
	m := regexp.MustCompile(`href="(/dev/mail/messages/[^"]+/parts/(\d+))"`).FindAllStringSubmatch(page, -1)
	if len(m) != 1 || !strings.Contains(page, "invite.ics") || !strings.Contains(page, "text/calendar") {
		t.Fatalf("attachment list wrong (%v):\n%s", m, page)
	}
	if !strings.Contains(page, "/html") {
		t.Errorf("no link to nested HTML part")
	}

	resp := get(t, h, "GET", m[0][1])
	if got := body(t, resp); got != calendarBody {
		t.Errorf("attachment = %q", got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("attachment type = %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename=invite.ics` {
		t.Errorf("attachment disposition = %q", cd)
	}
	if resp := get(t, h, "GET", "/dev/mail/messages/"+id+"/parts/99"); resp.StatusCode != 404 {
		t.Errorf("missing part: %d", resp.StatusCode)
	}
	if got := body(t, get(t, h, "GET", "/dev/mail/messages/"+id+"/html")); got != "<p>You are invited.</p>" {
		t.Errorf("nested html = %q", got)
	}
}

func TestHTTPCustomPrefix(t *testing.T) {
	c := start(t, Options{HTTPPrefix: "/mail/"})
	mustSend(t, c, "a@example.org", []string{"b@example.org"}, plainMsg)
	if resp := get(t, c.Handler(), "GET", "/mail/messages"); resp.StatusCode != 200 {
		t.Errorf("custom prefix: %d", resp.StatusCode)
	}
	root := start(t, Options{HTTPPrefix: "/"})
	for _, target := range []string{"/", "/messages", "/style.css"} {
		if resp := get(t, root.Handler(), "GET", target); resp.StatusCode != 200 {
			t.Errorf("root prefix %s: %d", target, resp.StatusCode)
		}
	}
}
