package console

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// The schedule form. One form, several buttons: "check" shows who is
// already invited elsewhere at those times, "suggest" ranks times by how
// many invitees are inside their working hours (each suggestion is a
// button that fills the times in), "schedule" saves. Only "schedule"
// changes anything.

// suggestWindow is how far ahead of its first day suggestions are looked for.
const suggestWindow = 14 * 24 * time.Hour

type scheduleView struct {
	Form                    *form
	Kinds, Zones, Durations []option
	Choices                 *inviteeChoices
	Bodies, People          []string // chosen ids
	// Checked: conflicts were looked for (and Conflicts are what was found).
	Checked   bool
	Conflicts []conflictView
	// Suggested: times were suggested (Slots, best first).
	Suggested bool
	Slots     []slotView
	Zone      string // the zone suggestions are shown in
	Notice    string
	// rerender shows the page again with the form as it is now.
	rerender func(code int)
}

// inviteeFields is what the invitee-choices template draws.
type inviteeFields struct {
	Form                       *form
	BodiesLegend, PeopleLegend string
	Bodies                     []bodyChoice
	Groups                     []repGroup
	ChosenBodies, ChosenPeople []string
}

// InviteeFields are the schedule form's choices of whom to invite.
func (v *scheduleView) InviteeFields() inviteeFields {
	return inviteeFields{Form: v.Form, BodiesLegend: "Invite bodies (everyone who sits on them)", PeopleLegend: "Invite representatives by name",
		Bodies: v.Choices.Bodies, Groups: v.Choices.Groups, ChosenBodies: v.Bodies, ChosenPeople: v.People}
}

func (c *Console) newAssembly(rq *request) {
	f := newForm("schedule")
	f.Values["duration"] = "1h"
	c.showSchedule(rq, http.StatusOK, &scheduleView{Form: f}, nil)
}

// showSchedule renders the schedule form (reading the invitee choices
// unless the caller has them).
func (c *Console) showSchedule(rq *request, code int, v *scheduleView, ic *inviteeChoices) {
	if ic == nil {
		var err error
		if ic, err = c.inviteeChoices(rq); err != nil {
			c.fail(rq, err)
			return
		}
	}
	v.Choices, v.Kinds, v.Durations = ic, assemblyKinds, durations
	v.Zones = zoneOptions(append(slices.Clone(ic.Zones), v.Form.Get("time_zone"))...)
	c.show(rq, code, "assembly_new", "Schedule an assembly", "assemblies", v)
}

func (c *Console) postNewAssembly(rq *request) {
	ic, err := c.inviteeChoices(rq)
	if err != nil {
		c.fail(rq, err)
		return
	}
	f := newForm("schedule")
	tv := readTimes(rq, f)
	d := readDetails(rq, f, tv.loc)
	f.read(rq.r, "kind", "public")
	bodyIDs, people, repIDs := invitees(rq, f, ic)
	v := &scheduleView{Form: f, Bodies: bodyIDs, People: repIDs, Zone: f.Get("time_zone")}
	v.rerender = func(code int) { c.showSchedule(rq, code, v, ic) }

	if slot := rq.r.PostForm.Get("slot"); slot != "" {
		start, end, ok := parseSlot(slot)
		if !ok || tv.loc == nil {
			f.Other = append(f.Other, "That suggestion could not be used: ask for suggestions again.")
			v.rerender(http.StatusBadRequest)
			return
		}
		clearTimeErrors(f)
		fillTimes(f, start, end, tv.loc)
		v.Notice = "The times are filled in from the suggestion: " + spanText(start, end, f.Get("time_zone")) + ". Check them, then schedule."
		v.rerender(http.StatusOK)
		return
	}

	action := rq.r.PostForm.Get("action")
	if (action == "check" || action == "suggest") && len(bodyIDs) == 0 && len(people) == 0 && f.Errors["bodies"] == "" && f.Errors["people"] == "" {
		f.Errors["bodies"] = "Choose whom to invite first: bodies or people."
	}
	switch action {
	case "check":
		c.checkConflicts(rq, v, ic, tv, bodyIDs, people, "")
	case "suggest":
		c.suggestSlots(rq, v, ic, tv, bodyIDs, people)
	case "schedule":
		c.schedule(rq, v, ic, tv, d, bodyIDs, people)
	default:
		f.Other = append(f.Other, "Choose what to do with the form: check, suggest times or schedule.")
		v.rerender(http.StatusBadRequest)
	}
}

// clearTimeErrors forgets the times' errors (the times are being replaced).
func clearTimeErrors(f *form) {
	for _, n := range timeFields {
		if n != "time_zone" {
			delete(f.Errors, n)
		}
	}
}

func (c *Console) schedule(rq *request, v *scheduleView, ic *inviteeChoices, tv timesValues, d details, bodyIDs []string, people []*eventsv1.Person) {
	f := v.Form
	requireTimes(f, tv)
	if !validOption(assemblyKinds, f.Get("kind")) {
		f.Errors["kind"] = "Choose the kind of assembly."
	}
	if f.HasErrors() {
		v.rerender(http.StatusBadRequest)
		return
	}
	req := &eventsv1.ScheduleAssemblyRequest{
		Kind:  eventsv1.AssemblyKind(eventsv1.AssemblyKind_value[f.Get("kind")]),
		Title: f.Get("title"), Description: f.Get("description"),
		StartsAt: ts(tv.start), EndsAt: ts(tv.end), TimeZone: f.Get("time_zone"),
		Place:     &eventsv1.Place{HostCity: f.Get("host_city"), Venue: f.Get("venue")},
		OnlineUrl: f.Get("online_url"), Public: f.Get("public") != "", Agenda: d.agenda,
		Capacity: d.capacity, RsvpDeadline: ts(d.rsvp), BodyIds: bodyIDs, People: people,
	}
	resp, err := c.events.ScheduleAssembly(rq.ctx, req)
	if err != nil {
		c.formFailed(rq, err, f, v.rerender)
		return
	}
	a := resp.GetAssembly()
	msg := fmt.Sprintf("Scheduled: %s, %s.", a.GetTitle(), spanText(when(a.GetStartsAt()), when(a.GetEndsAt()), a.GetTimeZone()))
	if n := a.GetInviteeCount(); n > 0 {
		msg += fmt.Sprintf(" Invitations are on their way to %d %s.", n, plural(int(n), "person", "people"))
	}
	if n := len(resp.GetConflicts()); n > 0 {
		msg += fmt.Sprintf(" Note: %d %s with other assemblies the invitees are invited to.", n, plural(n, "overlap", "overlaps"))
	}
	rq.redirect(Prefix+"assemblies/"+a.GetId(), msg)
}

// checkConflicts shows who among the invitees is already invited to
// another assembly at the form's times (exclude: the assembly itself when
// it is being moved).
func (c *Console) checkConflicts(rq *request, v *scheduleView, ic *inviteeChoices, tv timesValues, bodyIDs []string, people []*eventsv1.Person, exclude string) {
	f := v.Form
	requireTimes(f, tv)
	if f.HasErrors() {
		v.rerender(http.StatusBadRequest)
		return
	}
	req := &eventsv1.CheckConflictsRequest{StartsAt: ts(tv.start), EndsAt: ts(tv.end), BodyIds: bodyIDs, ExcludeAssemblyId: exclude}
	for _, p := range people {
		req.Emails = append(req.Emails, p.GetEmail())
	}
	resp, err := c.events.CheckConflicts(rq.ctx, req)
	if err != nil {
		c.formFailed(rq, err, f, v.rerender)
		return
	}
	v.Checked, v.Conflicts = true, viewConflicts(resp.GetConflicts(), f.Get("time_zone"), ic)
	v.rerender(http.StatusOK)
}

// suggestSlots asks for the best times in the fortnight from the form's
// start day (or tomorrow), for the form's length.
func (c *Console) suggestSlots(rq *request, v *scheduleView, ic *inviteeChoices, tv timesValues, bodyIDs []string, people []*eventsv1.Person) {
	f := v.Form
	requireLength(f, tv)
	if f.HasErrors() {
		v.rerender(http.StatusBadRequest)
		return
	}
	from := c.now().In(tv.loc).AddDate(0, 0, 1)
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, tv.loc)
	if day, err := time.ParseInLocation(dateLayout, f.Get("start_date"), tv.loc); err == nil && day.After(c.now()) {
		from = day
	}
	resp, err := c.events.SuggestSlots(rq.ctx, &eventsv1.SuggestSlotsRequest{
		People: people, BodyIds: bodyIDs, Duration: durationpb.New(tv.length),
		WindowStart: ts(from), WindowEnd: ts(from.Add(suggestWindow)),
		Step: durationpb.New(30 * time.Minute), MaxResults: 10,
	})
	if err != nil {
		c.formFailed(rq, err, f, v.rerender)
		return
	}
	v.Suggested, v.Slots = true, viewSlots(resp.GetSlots(), f.Get("time_zone"), ic)
	v.rerender(http.StatusOK)
}

// formFailed shows a failed call's errors on the form (show renders it
// with the status), or an error page when the failure deserves one.
func (c *Console) formFailed(rq *request, err error, f *form, show func(code int)) {
	o := c.explain(err, f, eventsFields)
	if o.page {
		c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
		return
	}
	show(o.code)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
