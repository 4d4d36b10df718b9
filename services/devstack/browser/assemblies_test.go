package browser

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"
)

// boardInvitees are the demo Leadership Board's people: the political
// representatives of its members (services/membership/service/demo_people.go).
var boardInvitees = []string{
	"amsterdam.political@example.org", "barcelona.political@example.org", "newyork.political@example.org",
	"unhabitat.political@example.org", "uclg.political@example.org", "eurocities.political@example.org",
}

// TestConsoleSchedulesAssembly: a coordinator signs in, opens Assemblies,
// sends the schedule form empty (and sees what is missing), fills it in for
// the Leadership Board, asks for suggested times and takes the best one
// with one click, checks for conflicts and schedules. Every invitee's
// invitation then reaches the mail catcher (read through /dev/mail/messages
// and the raw message) with a calendar invitation that parses as
// iCalendar: METHOD:REQUEST, the assembly's UID, the start chosen, and
// only that invitee as ATTENDEE. Then Iara is invited by name (she alone
// gets a REQUEST) and uninvited (she alone gets a CANCEL), and the
// assembly is cancelled with a reason (a CANCEL to the board). The
// assembly's pages (list, form, checks, detail, edit, reschedule,
// invitees) pass axe-core in both colour schemes and are kept as
// screenshots.
func TestConsoleSchedulesAssembly(t *testing.T) {
	tb := newTab(t)
	tb.open(t, "/console/sign-in", http.StatusOK)
	signInWithMouse(t, tb, consoleLogin(t, "coordinator"))

	tb.navigateBy(t, "open Assemblies", http.StatusOK, chromedp.Click(chromedp.CSS(`nav a[href="/console/assemblies"]`)))
	consolePage(t, tb, "assemblies", "Assemblies")
	tb.navigateBy(t, "open the schedule form", http.StatusOK, chromedp.Click(chromedp.CSS(`main a[href="/console/assemblies/new"]`)))
	consolePage(t, tb, "assembly-new", "Schedule an assembly")

	tb.navigateBy(t, "schedule with nothing filled in", http.StatusBadRequest, chromedp.Click(chromedp.CSS(`button[value="schedule"]`)))
	tb.do(t, "wait for the error summary", chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	for _, want := range []string{"Choose the kind of assembly.", "Enter a title.", "Choose the time zone the assembly is planned in."} {
		if !strings.Contains(tb.text(t, ".error-summary"), want) {
			t.Errorf("the error summary lacks %q", want)
		}
	}
	consolePage(t, tb, "assembly-new-errors", "Schedule an assembly")

	// A weekday three weeks ahead, clear of the demo meetings.
	day := time.Now().AddDate(0, 0, 21)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	title := fmt.Sprintf("Leadership Board, browser test %d", time.Now().UnixNano()%100000)
	tb.do(t, "fill the schedule form",
		chromedp.SetValue(chromedp.ID("schedule-kind"), "ASSEMBLY_KIND_LEADERSHIP_BOARD"),
		chromedp.SendKeys(chromedp.ID("schedule-title"), title),
		chromedp.SetValue(chromedp.ID("schedule-time_zone"), "Europe/Amsterdam"),
		chromedp.SetValue(chromedp.ID("schedule-start_date"), day.Format("2006-01-02")),
		chromedp.SetValue(chromedp.ID("schedule-start_time"), "07:00"),
		chromedp.SetValue(chromedp.ID("schedule-duration"), "1h30m"),
		chromedp.SendKeys(chromedp.ID("schedule-agenda"), "Welcome\nProgress against the strategy (45 min)"),
		chromedp.SendKeys(chromedp.ID("schedule-online_url"), "https://meet.example.org/board-browser-test"),
	)
	board := eval[string](t, tb, `Array.from(document.querySelectorAll('#schedule-bodies input')).find(i => i.labels[0].textContent.startsWith("Leadership Board")).id`)
	tb.do(t, "tick the Leadership Board", chromedp.Click(chromedp.ID(board)))

	tb.navigateBy(t, "ask for suggested times", http.StatusOK, chromedp.Click(chromedp.CSS(`button[value="suggest"]`)))
	consolePage(t, tb, "assembly-new-suggestions", "Schedule an assembly")
	if n := eval[int](t, tb, `document.querySelectorAll('button[name="slot"]').length`); n == 0 {
		t.Fatalf("no suggested times:\n%s", tb.text(t, "main"))
	}
	if !eval[bool](t, tb, `document.getElementById(`+jsString(board)+`).checked`) {
		t.Fatal("the suggestions lost the ticked body")
	}
	tb.navigateBy(t, "take the best suggestion", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="slot"]`)))
	if got := tb.text(t, "main .notice"); !strings.Contains(got, "The times are filled in from the suggestion") {
		t.Fatalf("after taking a suggestion the page says %q", got)
	}
	date := eval[string](t, tb, `document.getElementById("schedule-start_date").value`)
	clock := eval[string](t, tb, `document.getElementById("schedule-start_time").value`)
	amsterdam, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	start, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, amsterdam)
	if err != nil {
		t.Fatalf("the suggestion filled in %q %q: %v", date, clock, err)
	}
	if start.Hour() < 9 || start.Hour() > 16 {
		t.Errorf("the best suggestion starts at %s in Amsterdam, outside working hours", clock)
	}

	tb.navigateBy(t, "check for conflicts", http.StatusOK, chromedp.Click(chromedp.CSS(`button[value="check"]`)))
	if got := tb.text(t, "#conflicts-heading + p"); !strings.Contains(got, "No conflicts") && !strings.Contains(got, "overlap") {
		t.Fatalf("the conflicts check says %q", got)
	}
	consolePage(t, tb, "assembly-new-checked", "Schedule an assembly")

	tb.navigateBy(t, "schedule", http.StatusOK, chromedp.Click(chromedp.CSS(`button[value="schedule"]`)))
	consolePage(t, tb, "assembly", title)
	if got := tb.text(t, ".flash"); !strings.Contains(got, "Scheduled: "+title) || !strings.Contains(got, "6 people") {
		t.Fatalf("after scheduling the page says %q", got)
	}
	uid := tb.text(t, "dl.facts code")
	for _, addr := range boardInvitees {
		if !strings.Contains(tb.text(t, "main"), addr) {
			t.Errorf("the assembly page does not list %s", addr)
		}
	}

	for _, addr := range boardInvitees {
		inv := awaitInvitation(t, addr, uid, "REQUEST")
		if !inv.start.Equal(start) {
			t.Errorf("%s: DTSTART %v, want %v", addr, inv.start, start.UTC())
		}
		if len(inv.attendees) != 1 || !strings.EqualFold(inv.attendees[0], addr) {
			t.Errorf("%s: ATTENDEEs %v, want only them", addr, inv.attendees)
		}
		if !strings.HasPrefix(inv.contentType, "text/calendar") || !strings.Contains(inv.contentType, "method=REQUEST") {
			t.Errorf("%s: calendar part's Content-Type %q", addr, inv.contentType)
		}
	}

	tb.navigateBy(t, "open the edit form", http.StatusOK, chromedp.Click(chromedp.CSS(`main a[href$="/edit"]`)))
	consolePage(t, tb, "assembly-edit", "Edit "+title)
	tb.navigateBy(t, "back to the assembly", http.StatusOK, chromedp.Click(chromedp.CSS(`.breadcrumb a[href^="/console/assemblies/"]`)))
	tb.navigateBy(t, "open the reschedule form", http.StatusOK, chromedp.Click(chromedp.CSS(`main a[href$="/reschedule"]`)))
	consolePage(t, tb, "assembly-reschedule", "Reschedule "+title)
	tb.navigateBy(t, "ask for other times", http.StatusOK, chromedp.Click(chromedp.CSS(`button[value="suggest"]`)))
	consolePage(t, tb, "assembly-reschedule-suggestions", "Reschedule "+title)
	tb.navigateBy(t, "back to the assembly", http.StatusOK, chromedp.Click(chromedp.CSS(`.breadcrumb a[href^="/console/assemblies/"]`)))
	tb.navigateBy(t, "open the invitees", http.StatusOK, chromedp.Click(chromedp.CSS(`main a[href$="/invitees"]`)))
	consolePage(t, tb, "assembly-invitees", "Invitees of "+title)

	// Invite Iara by name: she alone gets an invitation; then uninvite
	// her: she alone gets a cancellation.
	const iara = "maceio.political@example.org"
	iaraBox := eval[string](t, tb, `Array.from(document.querySelectorAll('#add-people input')).find(i => i.labels[0].textContent.startsWith("Iara")).id`)
	tb.do(t, "tick Iara", chromedp.Click(chromedp.ID(iaraBox)))
	tb.navigateBy(t, "invite her", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/invitees/add"] button[type="submit"]`)))
	if got := tb.text(t, ".flash"); !strings.Contains(got, "Invited 1 more person") {
		t.Fatalf("after inviting Iara the page says %q", got)
	}
	if inv := awaitInvitation(t, iara, uid, "REQUEST"); len(inv.attendees) != 1 || !strings.EqualFold(inv.attendees[0], iara) {
		t.Errorf("Iara's invitation names %v", inv.attendees)
	}
	tb.do(t, "tick Iara to uninvite her", chromedp.Click(chromedp.CSS(`#remove-emails input[value="`+iara+`"]`)))
	tb.navigateBy(t, "uninvite her", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/invitees/remove"] button[type="submit"]`)))
	if got := tb.text(t, ".flash"); !strings.Contains(got, "Withdrew 1 invitation") {
		t.Fatalf("after uninviting Iara the page says %q", got)
	}
	awaitInvitation(t, iara, uid, "CANCEL")

	// Cancel it, with the reason: every invitee's calendar entry is cancelled.
	tb.navigateBy(t, "back to the assembly", http.StatusOK, chromedp.Click(chromedp.CSS(`.breadcrumb a[href^="/console/assemblies/"]`)))
	tb.do(t, "give the reason", chromedp.SendKeys(chromedp.ID("cancel-reason"), "Moved to the Annual Conference."))
	tb.navigateBy(t, "cancel the assembly", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/cancel"] button`)))
	consolePage(t, tb, "assembly-cancelled", title)
	awaitInvitation(t, boardInvitees[0], uid, "CANCEL")
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// invitation is a calendar invitation read back from an email.
type invitation struct {
	contentType, method string
	start               time.Time
	attendees           []string
}

// awaitInvitation polls the mail catcher's JSON list for messages to addr
// until one carries a calendar message about uid with method (REQUEST,
// CANCEL), and returns it.
func awaitInvitation(t *testing.T, addr, uid, method string) invitation {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var list []struct {
			ID string `json:"id"`
		}
		catcherJSON(t, "/dev/mail/messages?to="+url.QueryEscape(addr), &list)
		for _, m := range list {
			raw := catcherGet(t, "/dev/mail/messages/"+m.ID+"/raw")
			for _, part := range calendarParts(t, raw) {
				if inv, ok := parseInvitation(t, part, uid); ok && inv.method == method {
					return inv
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no METHOD:%s for %s to %s reached the mail catcher", method, uid, addr)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func catcherGet(t *testing.T, path string) []byte {
	t.Helper()
	client := http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(gateway(path))
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d (%v)", path, resp.StatusCode, err)
	}
	return b
}

func catcherJSON(t *testing.T, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(catcherGet(t, path), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// calendarPart is a text/calendar MIME part, decoded.
type calendarPart struct {
	contentType string
	body        string
}

// calendarParts walks a raw message's MIME tree for text/calendar parts.
func calendarParts(t *testing.T, raw []byte) []calendarPart {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("email is not RFC 5322: %v", err)
	}
	var out []calendarPart
	var walk func(contentType, encoding string, body io.Reader)
	walk = func(contentType, encoding string, body io.Reader) {
		mediaType, params, err := mime.ParseMediaType(contentType)
		if err != nil {
			return
		}
		if strings.HasPrefix(mediaType, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return
				}
				walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			}
		}
		if mediaType != "text/calendar" {
			return
		}
		switch strings.ToLower(encoding) {
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		}
		b, _ := io.ReadAll(body)
		out = append(out, calendarPart{contentType: contentType, body: string(b)})
	}
	walk(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	return out
}

// parseInvitation parses a calendar part with the iCalendar library; ok
// when its one event is the assembly with uid.
func parseInvitation(t *testing.T, part calendarPart, uid string) (invitation, bool) {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(part.body))
	if err != nil {
		t.Fatalf("calendar part does not parse as iCalendar: %v\n%s", err, part.body)
	}
	events := cal.Events()
	if len(events) != 1 || events[0].Id() != uid {
		return invitation{}, false
	}
	inv := invitation{contentType: part.contentType}
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			inv.method = p.Value
		}
	}
	if inv.start, err = events[0].GetStartAt(); err != nil {
		t.Fatalf("DTSTART: %v", err)
	}
	for _, a := range events[0].Attendees() {
		inv.attendees = append(inv.attendees, a.Email())
	}
	return inv, true
}
