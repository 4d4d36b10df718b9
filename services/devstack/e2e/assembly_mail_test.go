package e2e

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/cc4dr/coalition/services/kit/mailcatcher"
)

// assemblyJSON is the part of an assembly these tests read from the API.
type assemblyJSON struct {
	ID           string    `json:"id"`
	UID          string    `json:"uid"`
	Sequence     int       `json:"sequence"`
	StartsAt     time.Time `json:"starts_at"`
	InviteeCount int       `json:"invitee_count"`
}

// invite is an emailed assembly message, read back as MIME, with its
// calendar invitation parsed as iCalendar (nil when it has none).
type invite struct {
	subject, text, html string
	calendarType        string // Content-Type of the attached invite.ics
	alternative         string // the text/calendar alternative part
	ics                 string
	method, uid, seq    string
	status              string
	start               time.Time
	attendees           []string
}

func readInvite(t *testing.T, raw []byte) invite {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not RFC 5322: %v", err)
	}
	var in invite
	in.subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	walkInvite(t, &in, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body)
	if in.ics == "" {
		return in
	}
	cal, err := ics.ParseCalendar(strings.NewReader(in.ics))
	if err != nil {
		t.Fatalf("invite.ics: %v\n%s", err, in.ics)
	}
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			in.method = p.Value
		}
	}
	if len(cal.Events()) != 1 {
		t.Fatalf("%d VEVENTs in invite.ics", len(cal.Events()))
	}
	ev := cal.Events()[0]
	in.uid, in.seq = ev.Id(), ev.GetProperty(ics.ComponentPropertySequence).Value
	in.status = ev.GetProperty(ics.ComponentPropertyStatus).Value
	if in.start, err = ev.GetStartAt(); err != nil {
		t.Fatal(err)
	}
	for _, a := range ev.Attendees() {
		in.attendees = append(in.attendees, a.Email())
	}
	return in
}

func walkInvite(t *testing.T, in *invite, contentType, cte, disposition string, body io.Reader) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			walkInvite(t, in, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part)
		}
	}
	if strings.EqualFold(cte, "base64") {
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		body = base64.NewDecoder(base64.StdEncoding, strings.NewReader(strings.NewReplacer("\r", "", "\n", "").Replace(string(b))))
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	switch disp, _, _ := mime.ParseMediaType(disposition); {
	case disp == "attachment" && mt == "text/calendar":
		in.ics, in.calendarType = string(b), contentType
	case mt == "text/calendar":
		in.alternative = string(b)
	case mt == "text/plain":
		in.text = string(b)
	case mt == "text/html":
		in.html = string(b)
	}
}

// mailsAbout waits until the catcher holds n messages for addr whose
// subject names title (others, e.g. a representative's welcome, are not
// counted), then returns them oldest first, read back as MIME.
func mailsAbout(t *testing.T, title, addr string, n int) []invite {
	t.Helper()
	var got []mailcatcher.Message
	waitFor(t, fmt.Sprintf("%d emails to %s", n, addr), 30*time.Second, func() bool {
		got = got[:0]
		for _, m := range shared.Mail().Messages() {
			for _, to := range m.To {
				if strings.EqualFold(to, addr) && strings.Contains(m.Subject, title) {
					got = append(got, m)
				}
			}
		}
		return len(got) >= n
	})
	if len(got) != n {
		t.Fatalf("%d emails to %s, want %d", len(got), addr, n)
	}
	slices.SortFunc(got, func(a, b mailcatcher.Message) int { return strings.Compare(a.ID, b.ID) }) // oldest first
	out := make([]invite, len(got))
	for i, m := range got {
		out[i] = readInvite(t, m.Raw)
	}
	return out
}

var rsvpLink = regexp.MustCompile(`https?://[^\s"<>]+/invitations/respond\?[^\s"<>]+`)

// TestAssemblyEmailsWithCalendarInvitations: a coordinator schedules an
// assembly for a body through the API. Each representative on it gets an
// invitation in their language with a parseable .ics (METHOD:REQUEST, the
// assembly's UID, only them as ATTENDEE) and an RSVP link that records an
// answer. A reschedule sends an update with the same UID and a higher
// SEQUENCE; someone added later gets an invitation and nobody else is
// emailed; someone removed gets a METHOD:CANCEL for them only; cancelling
// sends METHOD:CANCEL to those still invited.
func TestAssemblyEmailsWithCalendarInvitations(t *testing.T) {
	coord := coordinatorToken(t)
	stamp := time.Now().UnixNano()
	var member struct {
		Member struct{ ID string } `json:"member"`
	}
	if status := api(t, "POST", "/api/v1/members", coord, map[string]any{
		"name": fmt.Sprintf("Assemblyville %d", stamp), "kind": "MEMBER_KIND_CITY", "country": "PT",
		"status": "MEMBER_STATUS_MEMBER", "joined_at": "2024-05-01T00:00:00Z",
	}, &member); status != http.StatusOK || member.Member.ID == "" {
		t.Fatalf("create member: HTTP %d", status)
	}
	reps := []struct{ name, email, language, zone string }{
		{"Fictional Rita Lopes", fmt.Sprintf("rita.%d@example.org", stamp), "pt", "America/Sao_Paulo"},
		{"Fictional Joan Puig", fmt.Sprintf("joan.%d@example.org", stamp), "ca", "Europe/Madrid"},
	}
	var repIDs []string
	for _, r := range reps {
		var added struct {
			Representative struct{ ID string } `json:"representative"`
		}
		if status := api(t, "POST", "/api/v1/members/"+member.Member.ID+"/representatives", coord, map[string]any{
			"representative": map[string]string{"name": r.name, "email": r.email, "role": "REPRESENTATIVE_ROLE_POLITICAL_REPRESENTATIVE",
				"language": r.language, "time_zone": r.zone},
		}, &added); status != http.StatusOK {
			t.Fatalf("add representative: HTTP %d", status)
		}
		repIDs = append(repIDs, added.Representative.ID)
	}
	var body struct {
		Body struct{ ID string } `json:"body"`
	}
	if status := api(t, "POST", "/api/v1/bodies", coord, map[string]any{
		"slug": fmt.Sprintf("open-data-%d", stamp), "name": "Open data working group", "kind": "BODY_KIND_WORKING_GROUP",
		"representative_ids": repIDs,
	}, &body); status != http.StatusOK || body.Body.ID == "" {
		t.Fatalf("create body: HTTP %d", status)
	}

	// Schedule: 10:00–11:30 in Lisbon, two months ahead.
	title := fmt.Sprintf("Open data working group %d", stamp)
	day := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	var scheduled struct {
		Assembly assemblyJSON `json:"assembly"`
	}
	if status := api(t, "POST", "/api/v1/assemblies", coord, map[string]any{
		"kind": "ASSEMBLY_KIND_WORKING_GROUP", "title": title, "time_zone": "Europe/Lisbon",
		"local_start": day + "T10:00", "local_end": day + "T11:30", "body_ids": []string{body.Body.ID},
		"online_url": "https://meet.example.org/open-data", "agenda": []map[string]any{{"title": "Data portals", "minutes": 45}},
	}, &scheduled); status != http.StatusOK || scheduled.Assembly.InviteeCount != 2 {
		t.Fatalf("schedule: HTTP %d %+v", status, scheduled)
	}
	a := scheduled.Assembly
	mailsTo := func(addr string, n int) []invite { t.Helper(); return mailsAbout(t, title, addr, n) }
	for _, r := range reps {
		in := mailsTo(r.email, 1)[0]
		if in.method != "REQUEST" || in.uid != a.UID || in.seq != "0" || !in.start.Equal(a.StartsAt) ||
			len(in.attendees) != 1 || in.attendees[0] != r.email || in.alternative == "" {
			t.Fatalf("%s: invitation .ics METHOD %s UID %s SEQUENCE %s DTSTART %v ATTENDEE %v", r.language, in.method, in.uid, in.seq, in.start, in.attendees)
		}
		if mt, params, _ := mime.ParseMediaType(in.calendarType); mt != "text/calendar" || params["method"] != "REQUEST" {
			t.Errorf("attachment type %q", in.calendarType)
		}
		if !strings.Contains(in.text, "10:00–11:30") || !strings.Contains(in.text, "Europe/Lisbon") || !strings.Contains(in.text, r.zone) {
			t.Errorf("%s: times not in both zones:\n%s", r.language, in.text)
		}
	}
	rita, joan := mailsTo(reps[0].email, 1)[0], mailsTo(reps[1].email, 1)[0]
	if !strings.HasPrefix(rita.subject, "Convite: ") || !strings.HasPrefix(joan.subject, "Invitació: ") {
		t.Errorf("subjects %q, %q: not in the invitees' languages", rita.subject, joan.subject)
	}

	// Rita accepts through the emailed link (a page with buttons; the
	// answer is a POST).
	link := rsvpLink.FindString(rita.text)
	if link == "" {
		t.Fatalf("no RSVP link in:\n%s", rita.text)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, page := get(t, u.RequestURI()); code != http.StatusOK || !strings.Contains(page, `method="post"`) {
		t.Fatalf("RSVP page: HTTP %d", code)
	}
	resp, err := http.PostForm(shared.Addresses().GatewayURL+u.Path, url.Values{
		"token": {u.Query().Get("token")}, "assembly": {u.Query().Get("assembly")}, "choice": {"accept"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("RSVP: HTTP %d", resp.StatusCode)
	}
	var att struct {
		Accepted int `json:"accepted"`
	}
	if status := api(t, "GET", "/api/v1/assemblies/"+a.ID+"/attendance", coord, nil, &att); status != http.StatusOK || att.Accepted != 1 {
		t.Fatalf("attendance: HTTP %d, %d accepted", status, att.Accepted)
	}

	// Reschedule to 15:00: an update, same UID, SEQUENCE 1, the new start.
	var moved struct {
		Assembly assemblyJSON `json:"assembly"`
	}
	if status := api(t, "POST", "/api/v1/assemblies/"+a.ID+":reschedule", coord, map[string]any{
		"local_start": day + "T15:00", "local_end": day + "T16:30"}, &moved); status != http.StatusOK {
		t.Fatalf("reschedule: HTTP %d", status)
	}
	for _, r := range reps {
		up := mailsTo(r.email, 2)[1]
		if up.method != "REQUEST" || up.uid != a.UID || up.seq != "1" || !up.start.Equal(moved.Assembly.StartsAt) || !up.start.After(a.StartsAt) {
			t.Errorf("%s: update METHOD %s UID %s SEQUENCE %s DTSTART %v", r.language, up.method, up.uid, up.seq, up.start)
		}
	}

	// Someone added later is invited; the others hear nothing of it.
	guest := fmt.Sprintf("guest.%d@example.org", stamp)
	var added struct {
		Assembly assemblyJSON `json:"assembly"`
		Added    []struct {
			Email string `json:"email"`
		} `json:"added"`
	}
	if status := api(t, "POST", "/api/v1/assemblies/"+a.ID+":addInvitees", coord, map[string]any{
		"people": []map[string]string{{"name": "Fictional Guest", "email": guest, "language": "fr", "time_zone": "Africa/Dakar"}},
	}, &added); status != http.StatusOK || len(added.Added) != 1 || added.Assembly.Sequence != 2 {
		t.Fatalf("add invitee: HTTP %d %+v", status, added)
	}
	g := mailsTo(guest, 1)[0]
	if g.method != "REQUEST" || g.uid != a.UID || g.seq != "2" || len(g.attendees) != 1 || g.attendees[0] != guest ||
		!strings.HasPrefix(g.subject, "Invitation : ") || rsvpLink.FindString(g.text) == "" {
		t.Errorf("guest's invitation %q METHOD %s SEQUENCE %s ATTENDEE %v", g.subject, g.method, g.seq, g.attendees)
	}

	// Joan is removed: a cancellation for Joan only.
	if status := api(t, "POST", "/api/v1/assemblies/"+a.ID+":removeInvitees", coord, map[string]any{"emails": []string{reps[1].email}}, nil); status != http.StatusOK {
		t.Fatalf("remove invitee: HTTP %d", status)
	}
	j := mailsTo(reps[1].email, 3)[2]
	if j.method != "CANCEL" || j.status != "CANCELLED" || j.uid != a.UID || j.seq != "3" || len(j.attendees) != 1 || j.attendees[0] != reps[1].email {
		t.Errorf("Joan's cancellation METHOD %s STATUS %s SEQUENCE %s ATTENDEE %v", j.method, j.status, j.seq, j.attendees)
	}

	// Cancelled: METHOD:CANCEL to those still invited, SEQUENCE 4.
	if status := api(t, "POST", "/api/v1/assemblies/"+a.ID+":cancel", coord, map[string]any{"reason": "moved to the conference"}, nil); status != http.StatusOK {
		t.Fatalf("cancel: HTTP %d", status)
	}
	for _, addr := range []string{reps[0].email, guest} {
		list := mailsTo(addr, map[string]int{reps[0].email: 3, guest: 2}[addr])
		c := list[len(list)-1]
		if c.method != "CANCEL" || c.status != "CANCELLED" || c.uid != a.UID || c.seq != "4" || len(c.attendees) != 1 || c.attendees[0] != addr ||
			!strings.Contains(c.text, "moved to the conference") {
			t.Errorf("%s: cancellation METHOD %s STATUS %s SEQUENCE %s ATTENDEE %v", addr, c.method, c.status, c.seq, c.attendees)
		}
	}
	// Nothing more arrives: Joan got no cancellation of the whole assembly,
	// Rita nothing about the guest.
	time.Sleep(time.Second)
	mailsTo(reps[0].email, 3)
	mailsTo(reps[1].email, 3)
	mailsTo(guest, 2)
}
