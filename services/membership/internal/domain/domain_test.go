package domain

import (
	"errors"
	"testing"
	"time"
)

func TestNameKey(t *testing.T) {
	cases := map[string]string{
		"New York":           "new york",
		"  NEW   york \t":    "new york",
		"Maceió":             "maceió",
		"ＡＭＳＴＥＲＤＡＭ":          "amsterdam", // full-width letters (NFKC)
		"Bordeaux Métropole": "bordeaux métropole",
	}
	for in, want := range cases {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
	if NameKey("Maceio\u0301") != NameKey("Macei\u00f3") {
		t.Error("composed and decomposed forms must match")
	}
}

func TestValidateMemberNeedsJoinedAt(t *testing.T) {
	m := Member{Name: "Porto", Kind: KindCity, Country: "PT", Status: StatusMember}
	var fe *FieldError
	if err := m.Validate(); !errors.As(err, &fe) || fe.Field != "joined_at" {
		t.Fatalf("member without joined_at: %v", err)
	}
	m.JoinedAt = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	m = Member{Name: "Somewhere", Kind: KindCity, Country: "PT", Status: StatusApplicant}
	if err := m.Validate(); err != nil {
		t.Fatalf("applicant needs no joined_at: %v", err)
	}
}

func TestJoined(t *testing.T) {
	for _, c := range []struct {
		kind   Kind
		status Status
		want   bool
	}{
		{KindCity, StatusMember, true},
		{KindCityNetwork, StatusMember, true},
		{KindCity, StatusApplicant, false},
		{KindPartner, StatusMember, false},
	} {
		if got := (Member{Kind: c.kind, Status: c.status}).Joined(); got != c.want {
			t.Errorf("%s/%s: Joined = %v", c.kind, c.status, got)
		}
	}
}
