package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// Changing a scheduled assembly: its details (title, description, agenda,
// place, link, capacity, RSVP deadline) and its times. Each change goes to
// the invitees as an update of the same calendar entry.

type editPage struct {
	ID, Title, Zone string
	Form            *form
}

// loadChangeable reads an assembly that may still change, answering with
// a page (and false) when it may not.
func (c *Console) loadChangeable(rq *request, id string) (*eventsv1.Assembly, bool) {
	resp, err := c.events.GetAssembly(rq.ctx, &eventsv1.GetAssemblyRequest{AssemblyId: id})
	if err != nil {
		c.fail(rq, err)
		return nil, false
	}
	a := resp.GetAssembly()
	if !changeable(a, c.now()) {
		c.renderError(rq.w, rq.r, &rq.sess, http.StatusConflict, "This assembly can no longer change",
			"It is cancelled or has ended: its details, times and invitees stay as they were.")
		return nil, false
	}
	return a, true
}

func (c *Console) editAssembly(rq *request, id string) {
	a, ok := c.loadChangeable(rq, id)
	if !ok {
		return
	}
	f := newForm("edit")
	f.Values = map[string]string{
		"title": a.GetTitle(), "description": a.GetDescription(), "agenda": agendaText(a.GetAgenda()),
		"host_city": a.GetPlace().GetHostCity(), "venue": a.GetPlace().GetVenue(), "online_url": a.GetOnlineUrl(),
	}
	if a.GetCapacity() > 0 {
		f.Values["capacity"] = strconv.Itoa(int(a.GetCapacity()))
	}
	if d := when(a.GetRsvpDeadline()); !d.IsZero() {
		if loc, err := loadZone(a.GetTimeZone()); err == nil {
			f.Values["rsvp_date"], f.Values["rsvp_time"] = splitLocal(d, loc)
		}
	}
	c.show(rq, http.StatusOK, "assembly_edit", "Edit "+a.GetTitle(), "assemblies", editPage{ID: id, Title: a.GetTitle(), Zone: a.GetTimeZone(), Form: f})
}

// updateAssembly sends the edited details; the events service works out
// what changed and tells the invitees (nothing when nothing did).
func (c *Console) updateAssembly(rq *request, id string) {
	a, ok := c.loadChangeable(rq, id)
	if !ok {
		return
	}
	loc, err := loadZone(a.GetTimeZone())
	if err != nil {
		loc = time.UTC
	}
	f := newForm("edit")
	d := readDetails(rq, f, loc)
	if d.rsvp.IsZero() && !when(a.GetRsvpDeadline()).IsZero() && f.Errors["rsvp_date"] == "" && f.Errors["rsvp_time"] == "" {
		f.Errors["rsvp_date"] = "The RSVP deadline can be moved but not removed: give a date and a time."
	}
	show := func(code int) {
		c.show(rq, code, "assembly_edit", "Edit "+a.GetTitle(), "assemblies", editPage{ID: id, Title: a.GetTitle(), Zone: a.GetTimeZone(), Form: f})
	}
	if f.HasErrors() {
		show(http.StatusBadRequest)
		return
	}
	title, description, online := f.Get("title"), f.Get("description"), f.Get("online_url")
	req := &eventsv1.UpdateAssemblyRequest{
		AssemblyId: id, Title: &title, Description: &description, OnlineUrl: &online,
		Place: &eventsv1.Place{HostCity: f.Get("host_city"), Venue: f.Get("venue")}, Capacity: &d.capacity,
	}
	// The agenda field shows titles and lengths only: replace the agenda
	// only when it was edited, so item descriptions given through the API
	// are kept otherwise.
	if normalizeLines(f.Get("agenda")) != normalizeLines(agendaText(a.GetAgenda())) {
		req.Agenda, req.ReplaceAgenda = d.agenda, true
	}
	if !d.rsvp.IsZero() && !d.rsvp.Equal(when(a.GetRsvpDeadline())) {
		req.RsvpDeadline = ts(d.rsvp)
	}
	if _, err := c.events.UpdateAssembly(rq.ctx, req); err != nil {
		c.formFailed(rq, err, f, show)
		return
	}
	rq.redirect(Prefix+"assemblies/"+id, "Saved. If anything changed, the invitees get an update of their calendar entry.")
}

func normalizeLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// reschedulePage is the reschedule form: the schedule form's times part,
// with its checks, for an assembly.
type reschedulePage struct {
	*scheduleView
	ID, Title, Current string
	Invitees           int32
}

func (c *Console) rescheduleForm(rq *request, id string) {
	a, ok := c.loadChangeable(rq, id)
	if !ok {
		return
	}
	f := newForm("reschedule")
	f.Values["time_zone"] = a.GetTimeZone()
	if loc, err := loadZone(a.GetTimeZone()); err == nil {
		fillTimes(f, when(a.GetStartsAt()), when(a.GetEndsAt()), loc)
	}
	c.showReschedule(rq, http.StatusOK, a, &scheduleView{Form: f})
}

func (c *Console) showReschedule(rq *request, code int, a *eventsv1.Assembly, v *scheduleView) {
	v.Zones, v.Durations = zoneOptions(a.GetTimeZone(), v.Form.Get("time_zone")), durations
	p := reschedulePage{scheduleView: v, ID: a.GetId(), Title: a.GetTitle(), Invitees: a.GetInviteeCount(),
		Current: spanText(when(a.GetStartsAt()), when(a.GetEndsAt()), a.GetTimeZone())}
	c.show(rq, code, "assembly_reschedule", "Reschedule "+a.GetTitle(), "assemblies", p)
}

// postReschedule checks, suggests or saves new times for the assembly's
// invitees (as they are invited now).
func (c *Console) postReschedule(rq *request, id string) {
	a, ok := c.loadChangeable(rq, id)
	if !ok {
		return
	}
	f := newForm("reschedule")
	tv := readTimes(rq, f)
	v := &scheduleView{Form: f, Zone: f.Get("time_zone")}
	v.rerender = func(code int) { c.showReschedule(rq, code, a, v) }

	if slot := rq.r.PostForm.Get("slot"); slot != "" {
		start, end, ok := parseSlot(slot)
		if !ok || tv.loc == nil {
			f.Other = append(f.Other, "That suggestion could not be used: ask for suggestions again.")
			v.rerender(http.StatusBadRequest)
			return
		}
		clearTimeErrors(f)
		fillTimes(f, start, end, tv.loc)
		v.Notice = "The times are filled in from the suggestion: " + spanText(start, end, f.Get("time_zone")) + ". Check them, then reschedule."
		v.rerender(http.StatusOK)
		return
	}

	action := rq.r.PostForm.Get("action")
	if action == "check" || action == "suggest" {
		att, err := c.events.GetAttendance(rq.ctx, &eventsv1.GetAttendanceRequest{AssemblyId: id})
		if err != nil {
			c.fail(rq, err)
			return
		}
		ic := &inviteeChoices{names: map[string]string{}}
		var people []*eventsv1.Person
		for _, at := range att.GetAttendees() {
			ic.names[strings.ToLower(at.GetEmail())] = at.GetName()
			name := at.GetName()
			if name == "" {
				name = at.GetEmail()
			}
			people = append(people, &eventsv1.Person{Name: name, Email: at.GetEmail(), Language: at.GetLanguage(), TimeZone: at.GetTimeZone()})
		}
		if len(people) == 0 {
			f.Other = append(f.Other, "Nobody is invited yet, so there is nothing to check: invite people first, or just reschedule.")
			v.rerender(http.StatusBadRequest)
			return
		}
		if action == "check" {
			c.checkConflicts(rq, v, ic, tv, nil, people, id)
		} else {
			c.suggestSlots(rq, v, ic, tv, nil, people)
		}
		return
	}
	if action != "reschedule" {
		f.Other = append(f.Other, "Choose what to do with the form: check, suggest times or reschedule.")
		v.rerender(http.StatusBadRequest)
		return
	}
	requireTimes(f, tv)
	if f.HasErrors() {
		v.rerender(http.StatusBadRequest)
		return
	}
	resp, err := c.events.RescheduleAssembly(rq.ctx, &eventsv1.RescheduleAssemblyRequest{
		AssemblyId: id, StartsAt: ts(tv.start), EndsAt: ts(tv.end), TimeZone: f.Get("time_zone"),
	})
	if err != nil {
		c.formFailed(rq, err, f, v.rerender)
		return
	}
	b := resp.GetAssembly()
	msg := "Rescheduled to " + spanText(when(b.GetStartsAt()), when(b.GetEndsAt()), b.GetTimeZone()) + ". The invitees get the new times."
	if n := len(resp.GetConflicts()); n > 0 {
		msg += fmt.Sprintf(" Note: %d %s with other assemblies the invitees are invited to.", n, plural(n, "overlap", "overlaps"))
	}
	rq.redirect(Prefix+"assemblies/"+id, msg)
}
