package domain

import (
	"slices"
	"time"
)

// DayCount is the number of confirmations on one UTC day.
type DayCount struct {
	// Day is the UTC date, YYYY-MM-DD.
	Day string `bson:"day"`
	N   int64  `bson:"n"`
}

// DayOf is the UTC day a moment falls on.
func DayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// CountByDay counts moments per UTC day, oldest day first.
func CountByDay(times []time.Time) []DayCount {
	m := map[string]int64{}
	for _, t := range times {
		m[DayOf(t)]++
	}
	out := make([]DayCount, 0, len(m))
	for d, n := range m {
		out = append(out, DayCount{Day: d, N: n})
	}
	slices.SortFunc(out, func(a, b DayCount) int { return compareStrings(a.Day, b.Day) })
	return out
}

// CountChangesByDay is the per-day change that confirmations (added) and
// withdrawals of confirmed signatures (removed, on the day each had been
// confirmed) make, oldest day first; days that net to zero are left out.
func CountChangesByDay(added, removed []time.Time) []DayCount {
	minus := CountByDay(removed)
	for i := range minus {
		minus[i].N = -minus[i].N
	}
	return MergeDays(CountByDay(added), minus)
}

// MergeDays adds b's days to a's, oldest day first; days that net to zero
// are left out (a day whose confirmations were all withdrawn).
func MergeDays(a, b []DayCount) []DayCount {
	m := map[string]int64{}
	for _, d := range a {
		m[d.Day] += d.N
	}
	for _, d := range b {
		m[d.Day] += d.N
	}
	out := make([]DayCount, 0, len(m))
	for d, n := range m {
		if n != 0 {
			out = append(out, DayCount{Day: d, N: n})
		}
	}
	slices.SortFunc(out, func(a, b DayCount) int { return compareStrings(a.Day, b.Day) })
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Milestones are the counts announced on every petition, besides its goal.
var Milestones = []int64{100, 1_000, 10_000, 100_000}

// MilestonesPassed returns the milestones (the fixed ones and goal, if
// positive) that a count moving from before to after passes, lowest first,
// leaving out those already announced.
func MilestonesPassed(goal, before, after int64, announced []int64) []int64 {
	var out []int64
	for _, m := range append(slices.Clone(Milestones), goal) {
		if m > 0 && before < m && after >= m && !slices.Contains(announced, m) && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}
