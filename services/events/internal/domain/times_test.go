package domain

import (
	"errors"
	"testing"
	"time"
)

func TestParseLocal(t *testing.T) {
	ams, _ := LoadZone("Europe/Amsterdam")
	for _, c := range []struct {
		in   string
		want time.Time // UTC; zero: refused
	}{
		{"2027-03-28T01:59", time.Date(2027, 3, 28, 0, 59, 0, 0, time.UTC)},
		{"2027-03-28T02:30", time.Time{}}, // skipped by the spring switch
		{"2027-03-28T03:00", time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC)},
		{"2027-03-28T10:00:00", time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC)},
		// 02:30 happens twice on 31 October 2027: the first (CEST) is taken.
		{"2027-10-31T02:30", time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC)},
		{"2027-02-30T10:00", time.Time{}},
		{"tomorrow", time.Time{}},
	} {
		got, err := ParseLocal("local_start", c.in, ams)
		if c.want.IsZero() {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "local_start" {
				t.Errorf("%s: %v, %v; want a local_start error", c.in, got, err)
			}
			continue
		}
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%s: %v, %v; want %v", c.in, got.UTC(), err, c.want)
		}
	}
}

func TestSpanIn(t *testing.T) {
	start := time.Date(2027, 10, 30, 20, 0, 0, 0, time.UTC) // 22:00 CEST
	s := SpanIn(start, start.Add(7*time.Hour), "Europe/Amsterdam")
	if s.Starts.Local != "2027-10-30T22:00:00" || s.Ends.Local != "2027-10-31T04:00:00" || s.Ends.Abbreviation != "CET" ||
		!s.CrossesMidnight || !s.CrossesOffsetChange {
		t.Errorf("%+v", s)
	}
	if got := In(start, "Asia/Kolkata"); got.Local != "2027-10-31T01:30:00" || got.UTCOffset != "+05:30" || got.Abbreviation != "IST" {
		t.Errorf("Kolkata %+v", got)
	}
}

// Maceió (UTC−3 all year), Helsinki (EET/EEST) and New York (EST/EDT):
// the only hour when all three are inside 09:00–17:00 is 13:00–14:00 UTC in
// summer (16:00 Helsinki, 10:00 Maceió, 09:00 New York); in January, when
// New York is UTC−5 and Helsinki UTC+2, it is 14:00–15:00 UTC.
func TestSuggestSlots(t *testing.T) {
	people := []Attendee{{"ana@maceio", "America/Maceio"}, {"otto@helsinki", "Europe/Helsinki"}, {"bob@nyc", "America/New_York"}}
	summer := time.Date(2027, 6, 7, 0, 0, 0, 0, time.UTC) // Monday
	slots := SuggestSlots(people, time.Hour, 30*time.Minute, summer, summer.Add(24*time.Hour), DefaultWorkingHours, 5)
	if len(slots) != 5 {
		t.Fatalf("%d slots", len(slots))
	}
	if s := slots[0]; s.In != 3 || !s.Start.Equal(summer.Add(13*time.Hour)) || len(s.Outside) != 0 {
		t.Errorf("best %+v", s)
	}
	for _, s := range slots[1:] {
		if s.In != 2 {
			t.Errorf("runner-up %+v", s)
		}
	}
	// Ties by earliest: 12:00 UTC (Maceió, Helsinki) comes before 13:30 (Maceió, New York).
	if !slots[1].Start.Equal(summer.Add(12*time.Hour)) || !slots[2].Start.Equal(summer.Add(12*time.Hour+30*time.Minute)) {
		t.Errorf("ties: %v, %v", slots[1].Start, slots[2].Start)
	}

	winter := time.Date(2027, 1, 11, 0, 0, 0, 0, time.UTC) // Monday
	slots = SuggestSlots(people, time.Hour, 30*time.Minute, winter, winter.Add(24*time.Hour), DefaultWorkingHours, 3)
	if slots[0].In != 3 || !slots[0].Start.Equal(winter.Add(14*time.Hour)) || slots[1].In != 2 {
		t.Errorf("winter %+v", slots)
	}
	// Saturday: nobody works, nothing to suggest.
	sat := time.Date(2027, 6, 12, 0, 0, 0, 0, time.UTC)
	if s := SuggestSlots(people[:2], time.Hour, time.Hour, sat, sat.Add(20*time.Hour), DefaultWorkingHours, 3); len(s) != 0 {
		t.Errorf("Saturday %+v", s)
	}
}

func TestQuorum(t *testing.T) {
	for _, c := range []struct {
		n    int
		f    float64
		want int
	}{{3, 0.5, 2}, {4, 0.5, 2}, {5, 2.0 / 3, 4}, {1, 0.5, 1}, {0, 0.5, 0}, {10, 0.01, 1}} {
		if got := QuorumOf(c.n, c.f); got != c.want {
			t.Errorf("QuorumOf(%d, %v) = %d, want %d", c.n, c.f, got, c.want)
		}
	}
}

func TestMergeInvitees(t *testing.T) {
	got := MergeInvitees("Europe/Madrid",
		[]Invitee{{Name: " Ana  Silva ", Email: "Ana@Example.org "}},
		[]Invitee{{Name: "Ana", Email: "ana@example.org", BodyID: "b"}, {Name: "Otto", Email: "otto@example.org", TimeZone: "Europe/Helsinki"}})
	if len(got) != 2 || got[0].Name != "Ana Silva" || got[0].Key != "ana@example.org" || got[0].BodyID != "" ||
		got[0].TimeZone != "Europe/Madrid" || got[0].Response != ResponseNeedsAction || got[1].TimeZone != "Europe/Helsinki" {
		t.Errorf("%+v", got)
	}
}

// A meeting planned for 10:00 in a zone whose rules later change (here
// simulated by a record written under other rules) keeps its instant and
// says that its local time moved.
func TestZoneRulesChanged(t *testing.T) {
	start := time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC)
	a := Assembly{StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "Europe/Amsterdam"}
	a.SetPlanned()
	if a.PlannedLocalStart != "2027-03-28T10:00:00" || a.ZoneRulesChanged() {
		t.Fatalf("%+v", a)
	}
	// Planned when the Netherlands would have stayed on winter time: 10:00
	// was then 09:00 UTC, and the stored instant is 09:00 UTC.
	a.StartsAt, a.EndsAt = start.Add(time.Hour), start.Add(2*time.Hour)
	if !a.ZoneRulesChanged() || a.LocalStart().Hour() != 11 {
		t.Fatalf("change not visible: %v", a.LocalStart())
	}
}
