package domain

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestMilestonesPassed(t *testing.T) {
	cases := []struct {
		goal, before, after int64
		announced           []int64
		want                []int64
	}{
		{1000, 0, 99, nil, nil},
		{1000, 99, 100, nil, []int64{100}},
		{1000, 0, 5000, nil, []int64{100, 1000}},   // the goal is also a fixed milestone: once
		{250, 90, 300, nil, []int64{100, 250}},     // goal between fixed milestones
		{250, 90, 300, []int64{100}, []int64{250}}, // already announced
		{500, 100, 120, nil, nil},                  // exactly at a milestone before: passed earlier
		{200000, 9_999, 150_000, nil, []int64{10_000, 100_000}},
	}
	for _, c := range cases {
		if got := MilestonesPassed(c.goal, c.before, c.after, c.announced); !slices.Equal(got, c.want) {
			t.Errorf("MilestonesPassed(%d, %d, %d, %v) = %v, want %v", c.goal, c.before, c.after, c.announced, got, c.want)
		}
	}
}

func TestCountByDayAndMerge(t *testing.T) {
	d1 := time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC)
	d2 := time.Date(2026, 3, 2, 0, 0, 1, 0, time.UTC)
	tz := time.FixedZone("UTC+2", 2*3600)
	got := CountByDay([]time.Time{d2, d1, d1, time.Date(2026, 3, 2, 1, 0, 0, 0, tz)}) // 01:00+02 is 1 March UTC
	want := []DayCount{{"2026-03-01", 3}, {"2026-03-02", 1}}
	if !slices.Equal(got, want) {
		t.Fatalf("CountByDay = %v, want %v", got, want)
	}
	merged := MergeDays(want, []DayCount{{"2026-03-02", 4}, {"2026-02-28", 1}})
	if w := []DayCount{{"2026-02-28", 1}, {"2026-03-01", 3}, {"2026-03-02", 5}}; !slices.Equal(merged, w) {
		t.Fatalf("MergeDays = %v, want %v", merged, w)
	}
	// Withdrawals count against the day they were confirmed on; a day that
	// nets to zero goes.
	change := CountChangesByDay([]time.Time{d2, d2}, []time.Time{d1, d1, d1, d2, d2})
	if w := []DayCount{{"2026-03-01", -3}}; !slices.Equal(change, w) {
		t.Fatalf("CountChangesByDay = %v, want %v", change, w)
	}
	if after := MergeDays(want, change); !slices.Equal(after, []DayCount{{"2026-03-02", 1}}) {
		t.Fatalf("after withdrawals: %v", after)
	}
}

func TestMergePublicNamesIsIdempotentAndBounded(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var added []PublicName
	for i := range PublicNamesKept + 5 {
		added = append(added, PublicName{SignatureID: fmt.Sprintf("s%03d", i), Name: "N", ConfirmedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	once := MergePublicNames(nil, added, nil)
	twice := MergePublicNames(once, added, nil)
	if len(once) != PublicNamesKept || !reflect.DeepEqual(once, twice) {
		t.Fatalf("merge not idempotent or not bounded: %d vs %d entries", len(once), len(twice))
	}
	if once[0].SignatureID != "s104" {
		t.Fatalf("newest first: got %s", once[0].SignatureID)
	}
	removed := MergePublicNames(once, added, []string{"s104"})
	if len(removed) != PublicNamesKept || removed[0].SignatureID != "s103" {
		t.Fatalf("remove: got %d entries, first %s", len(removed), removed[0].SignatureID)
	}
}
