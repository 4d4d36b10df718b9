package domain

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestMemberEdit(t *testing.T) {
	m := Member{ID: "m1", Name: "Torino", NameKey: "torino", Kind: KindCity, Country: "IT", Status: StatusMember,
		JoinedAt: time.Unix(0, 0), Commitment: "Protects rights.", Principles: []Principle{PrinciplePrivacy}}

	// Nothing new: nothing changed, whatever the spacing or order.
	changed, err := m.Edit(MemberFacts{Name: " Torino ", Country: "IT", Commitment: "Protects rights. ", Principles: []Principle{PrinciplePrivacy}})
	if err != nil || len(changed) != 0 {
		t.Fatalf("no-op edit: %v %v", changed, err)
	}

	changed, err = m.Edit(MemberFacts{Name: "  TURIN ", Country: "IT", Region: " Piedmont ", Population: 850000,
		Commitment: "Protects rights.", Principles: []Principle{PrincipleOpenStandards, PrinciplePrivacy, PrincipleOpenStandards}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"name", "region", "population", "principles"}; !slices.Equal(changed, want) {
		t.Fatalf("changed %v, want %v", changed, want)
	}
	if m.Name != "TURIN" || m.NameKey != "turin" || m.Region != "Piedmont" || m.Status != StatusMember || m.ID != "m1" ||
		!slices.Equal(m.Principles, []Principle{PrinciplePrivacy, PrincipleOpenStandards}) {
		t.Fatalf("edited %+v", m)
	}

	before := m
	for _, bad := range []struct {
		f     MemberFacts
		field string
	}{
		{MemberFacts{Name: "   ", Country: "IT"}, "name"},
		{MemberFacts{Name: "Turin"}, "country"}, // a city needs its country
		{MemberFacts{Name: "Turin", Country: "IT", Principles: []Principle{"happiness"}}, "principles"},
	} {
		_, err := m.Edit(bad.f)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != bad.field {
			t.Errorf("%+v: %v, want a %s field error", bad.f, err, bad.field)
		}
		if m.Name != before.Name || m.Country != before.Country || !slices.Equal(m.Principles, before.Principles) {
			t.Fatalf("a refused edit changed the member: %+v", m)
		}
	}

	partner := Member{Name: "UN-Habitat", Kind: KindPartner, Status: StatusMember, JoinedAt: time.Unix(0, 0)}
	if _, err := partner.Edit(MemberFacts{Name: "UN-Habitat", Commitment: "Supports the coalition."}); err != nil {
		t.Fatalf("a partner needs no country: %v", err)
	}
}

func TestOnlyADraftCanBeEdited(t *testing.T) {
	draft := Application{City: "Ghent", Kind: KindCity}
	for _, s := range []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationUnderReview, ApplicationApproved, ApplicationRejected} {
		a := Application{ID: "a1", City: "Gent", Status: s}
		err := a.EditDraft(draft)
		var te *TransitionError
		switch {
		case s == ApplicationDraft && (err != nil || a.City != "Ghent" || a.ID != "a1" || a.Status != ApplicationDraft):
			t.Errorf("draft: %v %+v", err, a)
		case s != ApplicationDraft && (!errors.As(err, &te) || a.City != "Gent"):
			t.Errorf("%s: %v %+v", s, err, a)
		}
	}
	err := Application{Status: ApplicationUnderReview}.CanEdit()
	if err == nil || err.Error() != "cannot edit an application that is under review: only a draft can be edited" {
		t.Fatalf("message %v", err)
	}
}

func TestRepresentativeEdit(t *testing.T) {
	r := Representative{ID: "r1", MemberID: "m1", Name: "Rita", Email: "rita@example.org", EmailKey: "rita@example.org",
		Role: RolePolitical, Language: "pt", TimeZone: "Europe/Lisbon"}
	changed, err := r.Edit(Representative{Name: " Rita ", Email: "rita@example.org", Role: RolePolitical, Language: "pt", TimeZone: "Europe/Lisbon"})
	if err != nil || len(changed) != 0 {
		t.Fatalf("no-op: %v %v", changed, err)
	}
	changed, err = r.Edit(Representative{Name: "Rita", Email: "Rita.S@example.org", Role: RoleTechnical, Language: "pt", TimeZone: "Atlantic/Azores"})
	if err != nil || !slices.Equal(changed, []string{"email", "role", "time_zone"}) {
		t.Fatalf("changed %v %v", changed, err)
	}
	if r.EmailKey != "rita.s@example.org" || r.ID != "r1" || r.MemberID != "m1" {
		t.Fatalf("edited %+v", r)
	}
	if _, err := r.Edit(Representative{Name: "Rita", Email: "x@example.org", Role: RoleTechnical, TimeZone: "Mars/Olympus"}); err == nil || r.Email != "Rita.S@example.org" {
		t.Fatalf("bad time zone: %v %+v", err, r)
	}
}
