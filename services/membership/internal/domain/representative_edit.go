package domain

// Edit replaces r's details (name, email, role, language, time zone) with
// d's, tidied and checked as on creation, and returns the contract names
// of the fields that changed — none when d says what r already says. On
// error r is unchanged.
func (r *Representative) Edit(d Representative) ([]string, error) {
	next := *r
	next.Name, next.Email, next.Role, next.Language, next.TimeZone = d.Name, d.Email, d.Role, d.Language, d.TimeZone
	next.Normalize()
	if err := next.Validate(); err != nil {
		return nil, err
	}
	var changed []string
	for _, c := range []struct {
		field string
		same  bool
	}{
		{"name", next.Name == r.Name},
		{"email", next.Email == r.Email},
		{"role", next.Role == r.Role},
		{"language", next.Language == r.Language},
		{"time_zone", next.TimeZone == r.TimeZone},
	} {
		if !c.same {
			changed = append(changed, c.field)
		}
	}
	*r = next
	return changed, nil
}
