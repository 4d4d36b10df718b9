package domain

import (
	"errors"
	"testing"
	"time"
)

func TestLoadZone(t *testing.T) {
	for _, ok := range []string{"Europe/Madrid", "America/New_York", "America/Sao_Paulo", "Asia/Kolkata", "UTC"} {
		if _, err := LoadZone(ok); err != nil {
			t.Errorf("LoadZone(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Local", "Europe/Atlantis", "CEST", "+02:00", "../../etc/passwd", " Europe/Madrid", "Europe/Barcelona"} {
		_, err := LoadZone(bad)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "time_zone" {
			t.Errorf("LoadZone(%q) = %v, want a time_zone field error", bad, err)
		}
	}
}

// A meeting held at 09:00 in Amsterdam every day is at 08:00 UTC before the
// switch to summer time (last Sunday of March) and at 07:00 UTC after it; its
// wall-clock time in its own zone stays 09:00.
func TestWallClockAcrossDST(t *testing.T) {
	loc, err := LoadZone("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Date(2027, time.March, 27, 9, 0, 0, 0, loc)
	after := time.Date(2027, time.March, 29, 9, 0, 0, 0, loc)
	if got := before.UTC().Hour(); got != 8 {
		t.Errorf("before DST: %d:00 UTC, want 8:00", got)
	}
	if got := after.UTC().Hour(); got != 7 {
		t.Errorf("after DST: %d:00 UTC, want 7:00", got)
	}
	for _, start := range []time.Time{before, after} {
		a := Assembly{StartsAt: start.UTC(), EndsAt: start.Add(time.Hour).UTC(), TimeZone: "Europe/Amsterdam"}
		if h := a.LocalStart().Hour(); h != 9 {
			t.Errorf("local start %v, want 09:00", a.LocalStart())
		}
		if h := a.LocalEnd().Hour(); h != 10 {
			t.Errorf("local end %v, want 10:00", a.LocalEnd())
		}
	}
}

func TestValidate(t *testing.T) {
	start := time.Date(2027, 6, 1, 7, 0, 0, 0, time.UTC)
	ok := Assembly{Kind: KindLeadershipBoard, Title: "Board", StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "Europe/Amsterdam"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, a := range map[string]Assembly{
		"time_zone": {Kind: ok.Kind, Title: ok.Title, StartsAt: ok.StartsAt, EndsAt: ok.EndsAt, TimeZone: "Mars/Olympus_Mons"},
		"ends_at":   {Kind: ok.Kind, Title: ok.Title, StartsAt: ok.StartsAt, EndsAt: ok.StartsAt, TimeZone: ok.TimeZone},
		"kind":      {Title: ok.Title, StartsAt: ok.StartsAt, EndsAt: ok.EndsAt, TimeZone: ok.TimeZone},
		"title":     {Kind: ok.Kind, Title: "  ", StartsAt: ok.StartsAt, EndsAt: ok.EndsAt, TimeZone: ok.TimeZone},
	} {
		var fe *FieldError
		if err := a.Validate(); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v", field, err)
		}
	}
}

func TestVisibleTo(t *testing.T) {
	if !(Assembly{Public: true}).VisibleTo(false) {
		t.Error("public assembly hidden from anonymous callers")
	}
	if (Assembly{}).VisibleTo(false) {
		t.Error("non-public assembly shown to anonymous callers")
	}
	if !(Assembly{}).VisibleTo(true) {
		t.Error("non-public assembly hidden from coordinators")
	}
}
