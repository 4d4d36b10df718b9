package console

import (
	"strings"
	"time"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// How assemblies read on the console's pages.

var assemblyKinds = []option{
	{"ASSEMBLY_KIND_ANNUAL_CONFERENCE", "Annual Conference"},
	{"ASSEMBLY_KIND_LEADERSHIP_BOARD", "Leadership Board meeting"},
	{"ASSEMBLY_KIND_COORDINATION_TEAM", "Coordination Team meeting"},
	{"ASSEMBLY_KIND_WORKING_GROUP", "Working group meeting"},
	{"ASSEMBLY_KIND_OTHER", "Other meeting"},
}

// assemblyStates are what the list filters by: the contract's status, with
// "ended" and "minutes published" told apart from scheduled.
var assemblyStates = []option{
	{"scheduled", "Scheduled"},
	{"ended", "Ended, no minutes yet"},
	{"minutes", "Minutes published"},
	{"cancelled", "Cancelled"},
}

var responseLabels = map[eventsv1.Response]string{
	eventsv1.Response_RESPONSE_UNSPECIFIED:  "No answer yet",
	eventsv1.Response_RESPONSE_NEEDS_ACTION: "No answer yet",
	eventsv1.Response_RESPONSE_ACCEPTED:     "Accepted",
	eventsv1.Response_RESPONSE_DECLINED:     "Declined",
	eventsv1.Response_RESPONSE_TENTATIVE:    "Tentative",
}

// assemblyState is one of assemblyStates' values for a at now.
func assemblyState(a *eventsv1.Assembly, now time.Time) string {
	switch {
	case a.GetStatus() == eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED:
		return "cancelled"
	case a.GetMinutes() != nil && !when(a.GetMinutes().GetPublishedAt()).IsZero():
		return "minutes"
	case ended(a, now):
		return "ended"
	}
	return "scheduled"
}

func ended(a *eventsv1.Assembly, now time.Time) bool {
	end := when(a.GetEndsAt())
	return !end.IsZero() && !end.After(now)
}

// changeable reports whether an assembly's times, details and invitees
// may still change: scheduled and not over.
func changeable(a *eventsv1.Assembly, now time.Time) bool {
	return a.GetStatus() == eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED && !ended(a, now)
}

// placeText is where an assembly happens, in one line.
func placeText(a *eventsv1.Assembly) string {
	p := a.GetPlace()
	switch {
	case p.GetVenue() != "" && p.GetHostCity() != "":
		return p.GetVenue() + ", " + p.GetHostCity()
	case p.GetVenue() != "":
		return p.GetVenue()
	}
	return p.GetHostCity()
}

// assemblyRow is one assembly in the list.
type assemblyRow struct {
	ID, Title, Kind, When, Zone, State, StateLabel, Place string
	Public, Online                                        bool
	Invitees                                              int32
	Starts                                                time.Time
}

func viewAssemblyRow(a *eventsv1.Assembly, now time.Time) assemblyRow {
	st := assemblyState(a, now)
	return assemblyRow{
		ID: a.GetId(), Title: a.GetTitle(), Kind: labelOf(assemblyKinds, a.GetKind().String()),
		When: spanText(when(a.GetStartsAt()), when(a.GetEndsAt()), a.GetTimeZone()), Zone: a.GetTimeZone(),
		State: st, StateLabel: labelOf(assemblyStates, st), Place: placeText(a),
		Public: a.GetPublic(), Online: a.GetOnlineUrl() != "", Invitees: a.GetInviteeCount(), Starts: when(a.GetStartsAt()),
	}
}

// conflictView is an invitee already invited elsewhere at the same time.
type conflictView struct {
	Who, AssemblyID, Title, When string
}

func viewConflicts(cs []*eventsv1.Conflict, zone string, ic *inviteeChoices) []conflictView {
	out := make([]conflictView, 0, len(cs))
	for _, c := range cs {
		who := c.GetEmail()
		if ic != nil {
			if n := ic.nameOf(c.GetEmail()); n != "" {
				who = n + " (" + c.GetEmail() + ")"
			}
		}
		out = append(out, conflictView{Who: who, AssemblyID: c.GetAssemblyId(), Title: c.GetTitle(),
			When: spanText(when(c.GetStartsAt()), when(c.GetEndsAt()), zone)})
	}
	return out
}

// slotView is a suggested time, with the button that takes it.
type slotView struct {
	Value, When    string
	In, Of         int32
	Outside        []string
	AllInside, UTC bool
}

func viewSlots(slots []*eventsv1.Slot, zone string, ic *inviteeChoices) []slotView {
	out := make([]slotView, 0, len(slots))
	for _, s := range slots {
		v := slotView{Value: when(s.GetStartsAt()).UTC().Format(time.RFC3339) + "/" + when(s.GetEndsAt()).UTC().Format(time.RFC3339),
			When: spanText(when(s.GetStartsAt()), when(s.GetEndsAt()), zone), In: s.GetInWorkingHours(), Of: s.GetInvitees()}
		v.AllInside = v.In == v.Of
		for _, e := range s.GetOutside() {
			if n := ic.nameOf(e); n != "" {
				e = n
			}
			v.Outside = append(v.Outside, e)
		}
		out = append(out, v)
	}
	return out
}

// parseSlot reads a slot button's value back: "<start>/<end>" in RFC 3339.
func parseSlot(v string) (start, end time.Time, ok bool) {
	a, b, found := strings.Cut(v, "/")
	if !found || len(v) > 100 {
		return time.Time{}, time.Time{}, false
	}
	s, err1 := time.Parse(time.RFC3339, a)
	e, err2 := time.Parse(time.RFC3339, b)
	if err1 != nil || err2 != nil || !e.After(s) {
		return time.Time{}, time.Time{}, false
	}
	return s, e, true
}
