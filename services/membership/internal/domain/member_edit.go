package domain

import (
	"slices"
	"strings"
)

// MemberFacts are a member's editable public facts: what an edit replaces.
// Kind and status are not among them; status has its own workflow.
type MemberFacts struct {
	Name       string
	Country    string
	Region     string
	Population int64
	Commitment string
	Principles []Principle
}

// Edit replaces m's editable facts with f (tidied as on creation), checks
// the result, and returns the contract names of the fields that changed —
// none when f says what m already says. On error m is unchanged.
func (m *Member) Edit(f MemberFacts) ([]string, error) {
	next := *m
	next.Name = NormalizeSpace(f.Name)
	next.NameKey = NameKey(next.Name)
	next.Country = f.Country
	next.Region = NormalizeSpace(f.Region)
	next.Population = f.Population
	next.Commitment = strings.TrimSpace(f.Commitment)
	next.Principles = InDeclarationOrder(f.Principles)
	if err := next.Validate(); err != nil {
		return nil, err
	}
	var changed []string
	for _, c := range []struct {
		field string
		same  bool
	}{
		{"name", next.Name == m.Name},
		{"country", next.Country == m.Country},
		{"region", next.Region == m.Region},
		{"population", next.Population == m.Population},
		{"commitment", next.Commitment == m.Commitment},
		{"principles", slices.Equal(next.Principles, m.Principles)},
	} {
		if !c.same {
			changed = append(changed, c.field)
		}
	}
	*m = next
	return changed, nil
}

// Known reports whether p is one of the five principles.
func (p Principle) Known() bool { return slices.Contains(Principles, p) }

// InDeclarationOrder returns the known principles of ps once each, in the
// declaration's order, followed by any unknown ones (which Validate
// refuses), so that equal sets compare equal.
func InDeclarationOrder(ps []Principle) []Principle {
	var out []Principle
	for _, p := range Principles {
		if slices.Contains(ps, p) {
			out = append(out, p)
		}
	}
	for _, p := range ps {
		if !p.Known() && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
