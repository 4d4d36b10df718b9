package console

import (
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
)

// Who a coordinator can invite: the bodies, and the representatives of
// every member (by name), as membership knows them now.

// maxChosen bounds the bodies and the people one form may name (the
// events contract's own limits are 50 bodies and 1 000 people).
const (
	maxChosenBodies = 50
	maxChosenPeople = 1000
)

type bodyChoice struct {
	ID, Name, Kind string
}

type repChoice struct {
	ID, Name, Detail string
}

// repGroup is one member's representatives.
type repGroup struct {
	Member string
	People []repChoice
}

type inviteeChoices struct {
	Bodies []bodyChoice
	Groups []repGroup
	// Zones are the representatives' time zones (for the zone list).
	Zones     []string
	bodyNames map[string]string
	reps      map[string]*membershipv1.Representative
	names     map[string]string // lower-case email -> name
}

// bodyName is a body's name, or its id when membership does not know it.
func (ic *inviteeChoices) bodyName(id string) string {
	if n, ok := ic.bodyNames[id]; ok {
		return n
	}
	return id
}

// person is the events contract's invitee for representative id.
func (ic *inviteeChoices) person(id string) (*eventsv1.Person, bool) {
	r, ok := ic.reps[id]
	if !ok {
		return nil, false
	}
	// With their id, they also find the invitation when signed in.
	return &eventsv1.Person{Name: r.GetName(), Email: r.GetEmail(), Language: r.GetLanguage(), TimeZone: r.GetTimeZone(),
		RepresentativeId: r.GetId()}, true
}

// nameOf finds a person's name by email ("" when none).
func (ic *inviteeChoices) nameOf(email string) string {
	if ic == nil {
		return ""
	}
	return ic.names[strings.ToLower(email)]
}

// inviteeChoices reads the bodies and every current member's
// representatives (one call per member, a few at a time).
func (c *Console) inviteeChoices(rq *request) (*inviteeChoices, error) {
	var (
		bodies  *membershipv1.ListBodiesResponse
		members []*membershipv1.Member
	)
	var g errgroup.Group
	g.Go(func() (err error) {
		bodies, err = c.membership.ListBodies(rq.ctx, &membershipv1.ListBodiesRequest{})
		return err
	})
	g.Go(func() (err error) {
		members, err = c.allMembers(rq)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	ic := &inviteeChoices{bodyNames: map[string]string{}, reps: map[string]*membershipv1.Representative{}, names: map[string]string{}}
	for _, b := range bodies.GetBodies() {
		ic.Bodies = append(ic.Bodies, bodyChoice{ID: b.GetId(), Name: b.GetName(), Kind: labelOf(bodyKinds, b.GetKind().String())})
		ic.bodyNames[b.GetId()] = b.GetName()
	}
	members = slices.DeleteFunc(members, func(m *membershipv1.Member) bool {
		return m.GetStatus() == membershipv1.MemberStatus_MEMBER_STATUS_WITHDRAWN
	})
	groups := make([]repGroup, len(members))
	lists := make([][]*membershipv1.Representative, len(members))
	var rg errgroup.Group
	rg.SetLimit(8)
	for i, m := range members {
		rg.Go(func() error {
			resp, err := c.membership.ListRepresentatives(rq.ctx, &membershipv1.ListRepresentativesRequest{MemberId: m.GetId()})
			lists[i] = resp.GetRepresentatives()
			return err
		})
	}
	if err := rg.Wait(); err != nil {
		return nil, err
	}
	for i, m := range members {
		groups[i].Member = m.GetName()
		for _, r := range lists[i] {
			ic.reps[r.GetId()] = r
			ic.names[strings.ToLower(r.GetEmail())] = r.GetName()
			groups[i].People = append(groups[i].People, repChoice{ID: r.GetId(), Name: r.GetName(),
				Detail: representativeRoleLabel(r.GetRole()) + ", " + r.GetTimeZone()})
			ic.Zones = append(ic.Zones, r.GetTimeZone())
		}
	}
	for _, g := range groups {
		if len(g.People) > 0 {
			ic.Groups = append(ic.Groups, g)
		}
	}
	return ic, nil
}
