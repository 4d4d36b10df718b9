package pages

import (
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // assemblies name IANA zones; minimal containers have no zoneinfo

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// The public calendar page: upcoming public assemblies, each at its times
// in the zone it was planned in (named, with its abbreviation and UTC
// offset) and in UTC, with a link to the iCalendar feed (/assemblies.ics)
// that calendar programs show in each reader's own zone.

// maxAssemblies bounds how many assemblies the page lists.
const maxAssemblies = 200

var assemblyKindKeys = map[eventsv1.AssemblyKind]string{
	eventsv1.AssemblyKind_ASSEMBLY_KIND_ANNUAL_CONFERENCE: "assembly.kind.annual_conference",
	eventsv1.AssemblyKind_ASSEMBLY_KIND_LEADERSHIP_BOARD:  "assembly.kind.leadership_board",
	eventsv1.AssemblyKind_ASSEMBLY_KIND_COORDINATION_TEAM: "assembly.kind.coordination_team",
	eventsv1.AssemblyKind_ASSEMBLY_KIND_WORKING_GROUP:     "assembly.kind.working_group",
	eventsv1.AssemblyKind_ASSEMBLY_KIND_OTHER:             "assembly.kind.meeting",
}

type agendaView struct {
	Title, Description string
	Minutes            int32
}

type assemblyView struct {
	ID, Title, Kind string
	Description     []string
	Cancelled       bool
	CancelReason    string
	// When, in the planning zone: the day, the clock times, the day it ends
	// if another, and the zone: its name, abbreviation and UTC offset then,
	// e.g. "Europe/Madrid (CET, UTC+01:00)".
	Day, Start, End, EndDay string
	Zone                    string
	UTC                     string // the same times in UTC
	HostCity, Venue, Online string
	Agenda                  []agendaView
	Capacity                int32
}

type assembliesPage struct {
	Assemblies []assemblyView
}

func (p *Pages) assembliesPage(w http.ResponseWriter, r *http.Request) {
	loc := localeOf(r)
	ctx, cancel := outgoing(r)
	defer cancel()
	var data assembliesPage
	token := ""
	for len(data.Assemblies) < maxAssemblies {
		resp, err := p.events.ListAssemblies(ctx, &eventsv1.ListAssembliesRequest{PageSize: 200, PageToken: token})
		if err != nil {
			p.unavailable(w, r, "ListAssemblies", err)
			return
		}
		for _, a := range resp.GetAssemblies() {
			if a.GetPublic() && len(data.Assemblies) < maxAssemblies {
				data.Assemblies = append(data.Assemblies, viewAssembly(a, loc))
			}
		}
		if token = resp.GetNextPageToken(); token == "" {
			break
		}
	}
	p.render(w, r, http.StatusOK, "assemblies", loc.T("assemblies.title"), data)
}

func viewAssembly(a *eventsv1.Assembly, loc *i18n.Locale) assemblyView {
	v := assemblyView{
		ID: a.GetId(), Title: a.GetTitle(), Kind: loc.T(assemblyKindKeys[a.GetKind()]),
		Cancelled: a.GetStatus() == eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED, CancelReason: a.GetCancelReason(),
		HostCity: a.GetPlace().GetHostCity(), Venue: a.GetPlace().GetVenue(), Capacity: a.GetCapacity(),
	}
	if u := a.GetOnlineUrl(); strings.HasPrefix(u, "https://") {
		v.Online = u
	}
	if _, ok := assemblyKindKeys[a.GetKind()]; !ok {
		v.Kind = loc.T("assembly.kind.meeting")
	}
	for para := range strings.SplitSeq(strings.ReplaceAll(a.GetDescription(), "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			v.Description = append(v.Description, para)
		}
	}
	for _, item := range a.GetAgenda() {
		v.Agenda = append(v.Agenda, agendaView{Title: item.GetTitle(), Description: item.GetDescription(), Minutes: item.GetMinutes()})
	}
	zone, err := time.LoadLocation(a.GetTimeZone())
	if err != nil || a.GetTimeZone() == "" {
		zone = time.UTC
	}
	start, end := a.GetStartsAt().AsTime().In(zone), a.GetEndsAt().AsTime().In(zone)
	v.Zone = zoneLabel(zone, start)
	v.Day, v.Start, v.End = loc.LongDate(start), loc.Clock(start), loc.Clock(end)
	if end.YearDay() != start.YearDay() || end.Year() != start.Year() {
		v.EndDay = loc.LongDate(end)
	}
	us, ue := start.UTC(), end.UTC()
	v.UTC = loc.LongDate(us) + ", " + loc.Clock(us) + "–" + loc.Clock(ue)
	if ue.YearDay() != us.YearDay() || ue.Year() != us.Year() {
		v.UTC = loc.LongDate(us) + ", " + loc.Clock(us) + " – " + loc.LongDate(ue) + ", " + loc.Clock(ue)
	}
	return v
}

// zoneLabel names a zone at an instant: "Europe/Madrid (CET, UTC+01:00)";
// zones whose abbreviation is only an offset ("-03") get the offset alone.
func zoneLabel(zone *time.Location, t time.Time) string {
	offset := "UTC" + t.Format("-07:00")
	if abbrev := t.Format("MST"); abbrev != "" && abbrev[0] != '+' && abbrev[0] != '-' && abbrev != "UTC" {
		return zone.String() + " (" + abbrev + ", " + offset + ")"
	}
	return zone.String() + " (" + offset + ")"
}
