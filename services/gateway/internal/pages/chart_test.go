package pages

import (
	"testing"
	"time"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

func stats(days map[string]int32) *petitionv1.GetPetitionStatsResponse {
	out := &petitionv1.GetPetitionStatsResponse{}
	for d, n := range days {
		out.Days = append(out.Days, &petitionv1.DailyConfirmations{Day: d, Confirmed: n})
	}
	return out
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBuildChart(t *testing.T) {
	now := time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)

	if _, ok := buildChart(stats(nil), true, now); ok {
		t.Error("a chart of nothing")
	}
	if _, ok := buildChart(stats(map[string]int32{"garbage": 3, "2026-03-01": 0}), true, now); ok {
		t.Error("a chart of unreadable or empty days")
	}

	// Open: from the first day to today, gaps filled with zeros.
	c, ok := buildChart(stats(map[string]int32{"2026-03-01": 4, "2026-03-03": 40, "2026-03-10": 1}), true, now)
	if !ok || !c.First.Equal(day("2026-03-01")) || !c.Last.Equal(day("2026-03-20")) || len(c.Bars) != 20 {
		t.Fatalf("range %s..%s, %d bars", c.First, c.Last, len(c.Bars))
	}
	if c.Total != 45 || c.Max != 40 || !c.MaxDay.Equal(day("2026-03-03")) {
		t.Errorf("total %d, max %d on %s", c.Total, c.Max, c.MaxDay)
	}
	for _, b := range c.Bars {
		switch {
		case b.Count == 40 && b.H != chartHeight-1:
			t.Errorf("the busiest day is %d high", b.H)
		case b.Count == 1 && b.H < 2:
			t.Errorf("a day with one confirmation is invisible (%d high)", b.H)
		case b.Count == 0 && b.H != 0:
			t.Errorf("an empty day is %d high", b.H)
		}
		if b.Y+b.H != chartHeight || b.X+b.W > chartWidth {
			t.Errorf("bar %+v outside the chart", b)
		}
	}

	// Closed: it ends on its last day; one day still gets a readable span.
	c, _ = buildChart(stats(map[string]int32{"2026-01-05": 7}), false, now)
	if !c.Last.Equal(day("2026-01-05")) || len(c.Bars) != chartMin {
		t.Errorf("closed petition: ends %s with %d bars", c.Last, len(c.Bars))
	}

	// Long: only the last chartDays days.
	c, _ = buildChart(stats(map[string]int32{"2025-01-01": 1, "2026-03-19": 2}), true, now)
	if len(c.Bars) != chartDays || c.Total != 2 {
		t.Errorf("long petition: %d bars, total %d", len(c.Bars), c.Total)
	}

	if got := c.Summary(i18n.Get("es")); got != "Firmas confirmadas por día del 20 de enero de 2026 al 20 de marzo de 2026: 2 en total, la mayor cifra el 19 de marzo de 2026 (2)." {
		t.Errorf("summary %q", got)
	}
}
