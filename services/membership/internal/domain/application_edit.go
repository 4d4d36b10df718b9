package domain

import (
	"fmt"
	"strings"
	"time"
)

// Normalize tidies the applicant's free-text fields, as on creation and on
// every edit of the draft.
func (a *Application) Normalize() {
	a.City = NormalizeSpace(a.City)
	a.CityKey = NameKey(a.City)
	a.Region = NormalizeSpace(a.Region)
	a.Contact.Name = NormalizeSpace(a.Contact.Name)
	a.Contact.Email = strings.TrimSpace(a.Contact.Email)
	a.Contact.Role = NormalizeSpace(a.Contact.Role)
	a.Commitment.Date = a.Commitment.Date.UTC().Truncate(time.Millisecond)
	for i := range a.Policies {
		a.Policies[i].Title = NormalizeSpace(a.Policies[i].Title)
		a.Policies[i].Description = strings.TrimSpace(a.Policies[i].Description)
	}
}

// CanEdit reports whether the applicant may still change the application,
// or a TransitionError saying why not: only a draft can be edited, since a
// submitted one is what the coordinators review.
func (a Application) CanEdit() error {
	if a.Status == ApplicationDraft {
		return nil
	}
	return &TransitionError{Msg: fmt.Sprintf(
		"cannot edit an application that is %s: only a draft can be edited", a.Status.label())}
}

// EditDraft replaces the applicant's fields with those of d (normalised
// and validated by the caller); the id, status, token and history stay.
func (a *Application) EditDraft(d Application) error {
	if err := a.CanEdit(); err != nil {
		return err
	}
	a.City, a.CityKey, a.Country, a.Region, a.Kind, a.Population = d.City, d.CityKey, d.Country, d.Region, d.Kind, d.Population
	a.Contact, a.Language, a.Commitment, a.Policies = d.Contact, d.Language, d.Commitment, d.Policies
	return nil
}
