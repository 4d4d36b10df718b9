package console

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

// An assembly's page: what, when (in the planning zone and in each
// invitee's own), who answered what and whether each body expects a
// quorum; cancelling, and the minutes once it has taken place.

// maxMinutes bounds the minutes' text, in characters.
const maxMinutes = 100_000

type agendaItemView struct {
	Title, Description string
	Minutes            int32
}

type inviteeRow struct {
	Name, Email, Body, Answer, Answered, Zone, Local string
	// Notes on the invitee's local times: ends the next day, or across a
	// change of UTC offset.
	CrossesMidnight, CrossesOffset bool
}

type bodyAttendanceView struct {
	Name                                           string
	Invited, Accepted, Tentative, Declined, Quorum int32
	QuorumExpected                                 bool
}

type minutesView struct {
	Text      []string // paragraphs
	Outcomes  []string
	Published time.Time
}

type assemblyPage struct {
	ID, Title, Kind, State, StateLabel, Zone string
	Description                              []string
	Planned, UTC                             string
	ZoneRulesChanged                         bool
	Place, Online                            string
	OnlineLink, Public                       bool
	Capacity                                 int32
	RSVPDeadline                             string
	Agenda                                   []agendaItemView
	UID                                      string
	Sequence                                 int32
	CancelReason                             string
	Minutes                                  *minutesView
	Invitees                                 []inviteeRow
	Bodies                                   []bodyAttendanceView
	Accepted, Declined, Tentative, NoAnswer  int32
	// AttendanceUnavailable: the answers could not be read (the rest shows).
	AttendanceUnavailable bool
	Changeable, Ended     bool
	Cancel, MinutesForm   *form
}

func (c *Console) assembly(rq *request, id string) { c.showAssembly(rq, id, http.StatusOK, nil, nil) }

func (c *Console) showAssembly(rq *request, id string, code int, cancel, minutes *form) {
	var (
		got        *eventsv1.GetAssemblyResponse
		times      *eventsv1.GetInviteeTimesResponse
		attendance *eventsv1.GetAttendanceResponse
		bodies     *membershipv1.ListBodiesResponse
		timesErr   error
		attErr     error
	)
	var g errgroup.Group
	g.Go(func() (err error) {
		got, err = c.events.GetAssembly(rq.ctx, &eventsv1.GetAssemblyRequest{AssemblyId: id})
		return err
	})
	g.Go(func() error {
		times, timesErr = c.events.GetInviteeTimes(rq.ctx, &eventsv1.GetInviteeTimesRequest{AssemblyId: id})
		return nil
	})
	g.Go(func() error {
		attendance, attErr = c.events.GetAttendance(rq.ctx, &eventsv1.GetAttendanceRequest{AssemblyId: id})
		return nil
	})
	g.Go(func() error {
		bodies, _ = c.membership.ListBodies(rq.ctx, &membershipv1.ListBodiesRequest{})
		return nil
	})
	if err := g.Wait(); err != nil {
		c.fail(rq, err)
		return
	}
	a := got.GetAssembly()
	now := c.now()
	p := viewAssembly(a, now)
	if timesErr == nil && times.GetPlanned() != nil {
		pl := times.GetPlanned()
		p.Planned = localSpanText(pl.GetStarts(), pl.GetEnds())
	}
	names := map[string]string{}
	for _, b := range bodies.GetBodies() {
		names[b.GetId()] = b.GetName()
	}
	p.AttendanceUnavailable = attErr != nil || timesErr != nil
	p.Invitees = inviteeRows(attendance, times, names)
	for _, b := range attendance.GetBodies() {
		p.Bodies = append(p.Bodies, bodyAttendanceView{Name: nameOr(names, b.GetBodyId()), Invited: b.GetInvited(), Accepted: b.GetAccepted(),
			Tentative: b.GetTentative(), Declined: b.GetDeclined(), Quorum: b.GetQuorum(), QuorumExpected: b.GetQuorumExpected()})
	}
	p.Accepted, p.Declined, p.Tentative, p.NoAnswer = attendance.GetAccepted(), attendance.GetDeclined(), attendance.GetTentative(), attendance.GetNoAnswer()
	p.Cancel, p.MinutesForm = cancel, minutes
	if p.Cancel == nil {
		p.Cancel = newForm("cancel")
	}
	if p.MinutesForm == nil {
		p.MinutesForm = newForm("minutes")
	}
	c.show(rq, code, "assembly", p.Title, "assemblies", p)
}

func viewAssembly(a *eventsv1.Assembly, now time.Time) assemblyPage {
	st := assemblyState(a, now)
	p := assemblyPage{
		ID: a.GetId(), Title: a.GetTitle(), Kind: labelOf(assemblyKinds, a.GetKind().String()),
		State: st, StateLabel: labelOf(assemblyStates, st), Zone: a.GetTimeZone(),
		Description:      paragraphs(a.GetDescription()),
		Planned:          spanText(when(a.GetStartsAt()), when(a.GetEndsAt()), a.GetTimeZone()),
		UTC:              spanText(when(a.GetStartsAt()), when(a.GetEndsAt()), "UTC"),
		ZoneRulesChanged: a.GetZoneRulesChanged(), Place: placeText(a), Online: a.GetOnlineUrl(),
		OnlineLink: isWebLink(a.GetOnlineUrl()), Public: a.GetPublic(), Capacity: a.GetCapacity(),
		RSVPDeadline: whenText(when(a.GetRsvpDeadline()), a.GetTimeZone()),
		UID:          a.GetUid(), Sequence: a.GetSequence(), CancelReason: a.GetCancelReason(),
		Changeable: changeable(a, now), Ended: ended(a, now),
	}
	for _, it := range a.GetAgenda() {
		p.Agenda = append(p.Agenda, agendaItemView{Title: it.GetTitle(), Description: it.GetDescription(), Minutes: it.GetMinutes()})
	}
	if m := a.GetMinutes(); m != nil && !when(m.GetPublishedAt()).IsZero() {
		p.Minutes = &minutesView{Text: paragraphs(m.GetText()), Outcomes: m.GetOutcomes(), Published: when(m.GetPublishedAt())}
	}
	return p
}

// inviteeRows joins each invitee's answer with their local times.
func inviteeRows(att *eventsv1.GetAttendanceResponse, times *eventsv1.GetInviteeTimesResponse, bodyNames map[string]string) []inviteeRow {
	local := map[string]*eventsv1.InviteeTimes{}
	for _, it := range times.GetInvitees() {
		local[strings.ToLower(it.GetEmail())] = it
	}
	var rows []inviteeRow
	for _, at := range att.GetAttendees() {
		r := inviteeRow{Name: at.GetName(), Email: at.GetEmail(), Answer: responseLabels[at.GetResponse()], Zone: at.GetTimeZone(), Body: "Invited by name"}
		if at.GetBodyId() != "" {
			r.Body = nameOr(bodyNames, at.GetBodyId())
		}
		if t := when(at.GetRespondedAt()); !t.IsZero() {
			r.Answered = t.UTC().Format("2 Jan 2006 15:04 UTC")
		}
		if it, ok := local[strings.ToLower(at.GetEmail())]; ok {
			r.Local = localSpanText(it.GetStarts(), it.GetEnds())
			r.Zone = it.GetStarts().GetTimeZone()
			r.CrossesMidnight, r.CrossesOffset = it.GetCrossesMidnight(), it.GetCrossesOffsetChange()
		}
		rows = append(rows, r)
	}
	return rows
}

func nameOr(names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	return id
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cancelAssembly calls the assembly off; the reason goes to the invitees.
func (c *Console) cancelAssembly(rq *request, id string) {
	f := newForm("cancel")
	f.read(rq.r, "reason")
	f.require("reason", "Enter the reason: the invitees are told it.")
	if utf8.RuneCountInString(f.Get("reason")) > 2000 {
		f.Errors["reason"] = "The reason is at most 2 000 characters."
	}
	if f.HasErrors() {
		c.showAssembly(rq, id, http.StatusBadRequest, f, nil)
		return
	}
	if _, err := c.events.CancelAssembly(rq.ctx, &eventsv1.CancelAssemblyRequest{AssemblyId: id, Reason: f.Get("reason")}); err != nil {
		c.formFailed(rq, err, f, func(code int) { c.showAssembly(rq, id, code, f, nil) })
		return
	}
	rq.redirect(Prefix+"assemblies/"+id, "Cancelled. The invitees are told, with the reason, and their calendars are updated.")
}

// publishMinutes records the minutes and outcomes (one per line) of an
// assembly that has taken place; the invitees get them by email.
func (c *Console) publishMinutes(rq *request, id string) {
	f := newForm("minutes")
	f.read(rq.r, "outcomes")
	// Minutes may be longer than other fields (the contract takes 100 000 characters).
	f.Values["text"] = strings.TrimSpace(strings.ReplaceAll(rq.r.PostForm.Get("text"), "\r\n", "\n"))
	f.require("text", "Enter the minutes.")
	if utf8.RuneCountInString(f.Get("text")) > maxMinutes {
		f.Errors["text"] = "The minutes are at most 100 000 characters."
		f.Values["text"] = ""
	}
	var outcomes []string
	for _, line := range strings.Split(f.Get("outcomes"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			outcomes = append(outcomes, line)
			if utf8.RuneCountInString(line) > 2000 {
				f.Errors["outcomes"] = "Each outcome is at most 2 000 characters."
			}
		}
	}
	if len(outcomes) > 100 {
		f.Errors["outcomes"] = "Give at most 100 outcomes."
	}
	if f.HasErrors() {
		c.showAssembly(rq, id, http.StatusBadRequest, nil, f)
		return
	}
	req := &eventsv1.PublishMinutesRequest{AssemblyId: id, Text: f.Get("text"), Outcomes: outcomes}
	if _, err := c.events.PublishMinutes(rq.ctx, req); err != nil {
		c.formFailed(rq, err, f, func(code int) { c.showAssembly(rq, id, code, nil, f) })
		return
	}
	rq.redirect(Prefix+"assemblies/"+id, "Minutes published. The invitees get them by email.")
}
