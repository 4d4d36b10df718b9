package console

import (
	"net/http"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// The assemblies screens: coordinators list, schedule, reschedule, edit,
// cancel assemblies, change their invitees, follow the answers and publish
// the minutes, all through the events service's API.

// maxListed bounds how many assemblies the list reads.
const maxListed = 1000

func (c *Console) registerAssemblies(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"assemblies", c.page(coordinatorOnly, c.assemblies))
	mux.HandleFunc("GET "+Prefix+"assemblies/new", c.page(coordinatorOnly, c.newAssembly))
	mux.HandleFunc("POST "+Prefix+"assemblies/new", c.page(coordinatorOnly, c.postNewAssembly))
	mux.HandleFunc("GET "+Prefix+"assemblies/{id}", c.page(coordinatorOnly, withID(c.assembly)))
	mux.HandleFunc("POST "+Prefix+"assemblies/{id}/cancel", c.page(coordinatorOnly, withID(c.cancelAssembly)))
	mux.HandleFunc("POST "+Prefix+"assemblies/{id}/minutes", c.page(coordinatorOnly, withID(c.publishMinutes)))
	mux.HandleFunc("GET "+Prefix+"assemblies/{id}/edit", c.page(coordinatorOnly, withID(c.editAssembly)))
	mux.HandleFunc("POST "+Prefix+"assemblies/{id}/edit", c.page(coordinatorOnly, withID(c.updateAssembly)))
	mux.HandleFunc("GET "+Prefix+"assemblies/{id}/reschedule", c.page(coordinatorOnly, withID(c.rescheduleForm)))
	mux.HandleFunc("POST "+Prefix+"assemblies/{id}/reschedule", c.page(coordinatorOnly, withID(c.postReschedule)))
	mux.HandleFunc("GET "+Prefix+"assemblies/{id}/invitees", c.page(coordinatorOnly, withID(c.invitees)))
	mux.HandleFunc("POST "+Prefix+"assemblies/{id}/invitees/add", c.page(coordinatorOnly, withID(c.addInvitees)))
	mux.HandleFunc("POST "+Prefix+"assemblies/{id}/invitees/remove", c.page(coordinatorOnly, withID(c.removeInvitees)))
}

type assembliesPage struct {
	When, Kind, State     string
	Whens, Kinds, States  []option
	Rows                  []assemblyRow
	Truncated, FilteredBy bool
}

var assemblyWhens = []option{{"upcoming", "Upcoming"}, {"past", "Past"}, {"all", "All"}}

// periods are the events service's periods for assemblyWhens.
var periods = map[string]eventsv1.Period{
	"upcoming": eventsv1.Period_PERIOD_UPCOMING, "past": eventsv1.Period_PERIOD_PAST, "all": eventsv1.Period_PERIOD_ALL,
}

// assemblies lists every assembly (closed ones too) as the events
// service searches them for coordinators: upcoming soonest first, past
// latest first or all by start, optionally of one kind and in one state.
func (c *Console) assemblies(rq *request) {
	q := rq.r.URL.Query()
	p := assembliesPage{When: q.Get("when"), Kind: q.Get("kind"), State: q.Get("state"),
		Whens: assemblyWhens, Kinds: assemblyKinds, States: assemblyStates}
	if !validOption(assemblyWhens, p.When) {
		p.When = "upcoming"
	}
	if !validOption(assemblyKinds, p.Kind) {
		p.Kind = ""
	}
	if !validOption(assemblyStates, p.State) {
		p.State = ""
	}
	p.FilteredBy = p.Kind != "" || p.State != ""
	req := &eventsv1.SearchAssembliesRequest{Period: periods[p.When], Kind: eventsv1.AssemblyKind(eventsv1.AssemblyKind_value[p.Kind])}
	switch p.State {
	case "":
	case "cancelled":
		req.Status = eventsv1.AssemblyStatus_ASSEMBLY_STATUS_CANCELLED
	default: // scheduled, ended, minutes published: told apart below
		req.Status = eventsv1.AssemblyStatus_ASSEMBLY_STATUS_SCHEDULED
	}
	list, more, err := c.searchAssemblies(rq, req)
	if err != nil {
		c.fail(rq, err)
		return
	}
	p.Truncated = more
	now := c.now()
	for _, a := range list {
		if row := viewAssemblyRow(a, now); p.State == "" || row.State == p.State {
			p.Rows = append(p.Rows, row)
		}
	}
	c.show(rq, http.StatusOK, "assemblies", "Assemblies", "assemblies", p)
}

// searchAssemblies reads what the events service finds for req, in its
// order, up to maxListed (more: there were more).
func (c *Console) searchAssemblies(rq *request, req *eventsv1.SearchAssembliesRequest) (list []*eventsv1.Assembly, more bool, err error) {
	req.PageSize = 200
	for len(list) < maxListed {
		resp, err := c.events.SearchAssemblies(rq.ctx, req)
		if err != nil {
			return nil, false, err
		}
		list = append(list, resp.GetAssemblies()...)
		if req.PageToken = resp.GetNextPageToken(); req.PageToken == "" {
			return list, false, nil
		}
	}
	return list[:maxListed], true, nil
}
