package consumers

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // invitees' IANA zones, also where the system has no zoneinfo

	"github.com/goodsign/monday"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/icalendar"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
	"github.com/cc4dr/coalition/services/notification/internal/templates"
)

// assemblyMessage is the email of kind about assembly a to one invitee.
func assemblyMessage(ev broker.Event, a *eventsv1.Assembly, inv *eventsv1.Invitation, kind assemblyEmail) Email {
	who := inv.GetInvitee()
	lang := templates.Language(who.GetLanguage())
	planZone := zoneOr(a.GetTimeZone(), "UTC")
	zone := zoneOr(who.GetTimeZone(), planZone)
	start, end := a.GetStartsAt().AsTime(), a.GetEndsAt().AsTime()

	// Every key a template may read is set (the phrases are strict about
	// missing keys); kind.extra fills in its own.
	data := map[string]any{
		"Title":        a.GetTitle(),
		"Name":         who.GetName(),
		"Description":  a.GetDescription(),
		"Date":         dateText(start, zone, lang),
		"YourZone":     zone,
		"YourTimes":    spanText(start, end, zone, lang),
		"PlanZone":     planZone,
		"PlanTimes":    spanText(start, end, planZone, lang),
		"SameZone":     zone == planZone,
		"Place":        place(a.GetPlace()),
		"OnlineURL":    a.GetOnlineUrl(),
		"Agenda":       a.GetAgenda(),
		"FeedURL":      inv.GetFeedUrl(),
		"AcceptURL":    "",
		"TentativeURL": "",
		"DeclineURL":   "",
		"Changed":      []string(nil),
		"OldYourTimes": "",
		"OldPlanTimes": "",
		"Reason":       "",
		"MinutesText":  "",
		"Outcomes":     []string(nil),
	}
	if rsvp := inv.GetRsvpUrl(); rsvp != "" {
		data["AcceptURL"], data["TentativeURL"], data["DeclineURL"] = choice(rsvp, "accept"), choice(rsvp, "tentative"), choice(rsvp, "decline")
	}
	if kind.extra != nil {
		kind.extra(data, lang, zone)
	}
	e := Email{Event: ev, Recipient: who.GetEmail(), Language: lang, Template: kind.template, Data: data}
	if kind.method != "" {
		e.Attachments = []mailer.Attachment{calendarFor(ev, a, inv, kind)}
	}
	return e
}

// calendarFor is the invitee's own .ics: the assembly with them as the only
// ATTENDEE (never the other invitees' addresses).
func calendarFor(ev broker.Event, a *eventsv1.Assembly, inv *eventsv1.Invitation, kind assemblyEmail) mailer.Attachment {
	e := icalendar.Event{
		UID: a.GetUid(), Sequence: int(a.GetSequence()), Start: a.GetStartsAt().AsTime(), End: a.GetEndsAt().AsTime(),
		TimeZone: a.GetTimeZone(), Summary: a.GetTitle(), Description: a.GetDescription(),
		Venue: a.GetPlace().GetVenue(), HostCity: a.GetPlace().GetHostCity(), OnlineURL: a.GetOnlineUrl(),
		Cancelled: a.GetStatus() == eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED,
	}
	for _, it := range a.GetAgenda() {
		e.Agenda = append(e.Agenda, icalendar.AgendaItem{Title: it.GetTitle(), Minutes: int(it.GetMinutes())})
	}
	org := icalendar.Organizer{Name: a.GetOrganizer().GetName(), Email: a.GetOrganizer().GetEmail()}
	partstat := partStats[inv.GetResponse()]
	if kind.rescheduled {
		partstat = icalendar.PartStatNeedsAction
	}
	attendees := []icalendar.Attendee{{Name: inv.GetInvitee().GetName(), Email: inv.GetInvitee().GetEmail(), PartStat: partstat}}
	// DTSTAMP is the event's time, so a retried email carries the same .ics.
	var text string
	if kind.method == icalendar.MethodCancel {
		text = icalendar.Cancel(e, org, attendees, ev.Time)
	} else {
		text = icalendar.Request(e, org, attendees, ev.Time)
	}
	return mailer.Attachment{Filename: "invite.ics", ContentType: icalendar.MediaType(kind.method), Content: []byte(text), Alternative: true}
}

var partStats = map[eventsv1.Response]icalendar.PartStat{
	eventsv1.Response_RESPONSE_ACCEPTED:  icalendar.PartStatAccepted,
	eventsv1.Response_RESPONSE_DECLINED:  icalendar.PartStatDeclined,
	eventsv1.Response_RESPONSE_TENTATIVE: icalendar.PartStatTentative,
}

// choice is the RSVP page link with the answer the button stands for (the
// page offers all three; choice says which one was clicked).
func choice(rsvp, answer string) string {
	u, err := url.Parse(rsvp)
	if err != nil {
		return rsvp
	}
	q := u.Query()
	q.Set("choice", answer)
	u.RawQuery = q.Encode()
	return u.String()
}

func place(p *eventsv1.Place) string {
	var parts []string
	for _, s := range []string{p.GetVenue(), p.GetHostCity()} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// zoneOr is zone if it is a known IANA zone, else fallback.
func zoneOr(zone, fallback string) string {
	if zone == "" || zone == "Local" {
		return fallback
	}
	if _, err := time.LoadLocation(zone); err != nil {
		return fallback
	}
	return zone
}

var locales = map[string]monday.Locale{
	"en": monday.LocaleEnGB, "es": monday.LocaleEsES, "fr": monday.LocaleFrFR, "pt": monday.LocalePtPT, "ca": monday.LocaleCaES,
}

func inZone(t time.Time, zone string) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc)
}

// dateText is the local date of t in zone, written in lang, e.g.
// "domingo, 28 de marzo de 2027".
func dateText(t time.Time, zone, lang string) string {
	l := locales[lang]
	if l == "" {
		l = monday.LocaleEnGB
	}
	t = inZone(t, zone)
	return monday.Format(t, monday.FullFormatsByLocale[l], l)
}

// spanText is [start, end) seen in zone, written in lang, e.g. "Sunday,
// 28 March 2027, 10:00–11:30 (CEST, UTC+02:00)"; an end on another local
// date, or after an offset change, is written in full.
func spanText(start, end time.Time, zone, lang string) string {
	s, e := inZone(start, zone), inZone(end, zone)
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s", dateText(s, zone, lang), s.Format("15:04"))
	if s.Format("2006-01-02") == e.Format("2006-01-02") {
		fmt.Fprintf(&b, "–%s", e.Format("15:04"))
	} else {
		fmt.Fprintf(&b, " – %s, %s", dateText(e, zone, lang), e.Format("15:04"))
	}
	fmt.Fprintf(&b, " (%s)", offsetText(s))
	if offsetText(e) != offsetText(s) {
		fmt.Fprintf(&b, " → (%s)", offsetText(e))
	}
	return b.String()
}

// offsetText is "CEST, UTC+02:00", or "UTC-03:00" where the zone has no
// letters for its abbreviation.
func offsetText(t time.Time) string {
	abbr, _ := t.Zone()
	offset := "UTC" + t.Format("-07:00")
	if abbr == "" || abbr == "UTC" || strings.ContainsAny(abbr[:1], "+-") {
		return offset
	}
	return abbr + ", " + offset
}
