package domain

import "slices"

// Changed names the fields an update changed from before to after, as the
// contract's Assembly names them (what an update email tells invitees).
func Changed(before, after Assembly) []string {
	var out []string
	add := func(field string, changed bool) {
		if changed {
			out = append(out, field)
		}
	}
	add("title", before.Title != after.Title)
	add("description", before.Description != after.Description)
	add("place", before.HostCity != after.HostCity || before.Venue != after.Venue)
	add("online_url", before.OnlineURL != after.OnlineURL)
	add("agenda", !slices.Equal(before.Agenda, after.Agenda))
	add("capacity", before.Capacity != after.Capacity)
	add("rsvp_deadline", !before.RSVPDeadline.Equal(after.RSVPDeadline))
	return out
}
