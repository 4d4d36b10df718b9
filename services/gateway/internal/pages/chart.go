package pages

import (
	"time"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/i18n"
)

// The petition page's chart of confirmations per day: an SVG drawn on the
// server (no script; presentation attributes, not inline styles, so the
// CSP's style-src 'self' holds), with a text summary and a table of the
// same numbers for people who cannot see it.

const (
	chartDays   = 60  // the chart shows at most the last 60 days
	chartMin    = 14  // and at least 14, so that one day is not one wide block
	chartWidth  = 600 // viewBox units; the SVG scales to the page
	chartHeight = 160
	chartGap    = 2
)

type chartBar struct {
	Day        time.Time
	Count      int64
	X, Y, W, H int
}

type chartView struct {
	Bars          []chartBar // one per day, oldest first, including days with none
	Width, Height int
	Total, Max    int64
	MaxDay        time.Time
	First, Last   time.Time
}

// buildChart lays the days of stats out as bars, from the first day with a
// confirmation to today, or to the last day with one when the petition no
// longer takes signatures; at most chartDays, at least chartMin. ok is
// false when there is nothing to draw.
func buildChart(stats *petitionv1.GetPetitionStatsResponse, open bool, now time.Time) (chartView, bool) {
	counts := map[time.Time]int64{}
	var first, last time.Time
	for _, d := range stats.GetDays() {
		day, err := time.Parse(time.DateOnly, d.GetDay())
		if err != nil || d.GetConfirmed() <= 0 {
			continue
		}
		counts[day] += int64(d.GetConfirmed())
		if first.IsZero() || day.Before(first) {
			first = day
		}
		if day.After(last) {
			last = day
		}
	}
	if len(counts) == 0 {
		return chartView{}, false
	}
	end := last
	if today := now.UTC().Truncate(24 * time.Hour); open && today.After(end) {
		end = today
	}
	if earliest := end.AddDate(0, 0, -(chartDays - 1)); first.Before(earliest) {
		first = earliest
	}
	if latest := end.AddDate(0, 0, -(chartMin - 1)); first.After(latest) {
		first = latest
	}
	c := chartView{Width: chartWidth, Height: chartHeight, First: first, Last: end}
	for day := first; !day.After(end); day = day.AddDate(0, 0, 1) {
		n := counts[day]
		c.Bars = append(c.Bars, chartBar{Day: day, Count: n})
		c.Total += n
		if n > c.Max {
			c.Max, c.MaxDay = n, day
		}
	}
	step := chartWidth / len(c.Bars)
	for i := range c.Bars {
		b := &c.Bars[i]
		b.X, b.W = i*step, max(1, step-chartGap)
		if c.Max > 0 {
			b.H = int(b.Count * (chartHeight - 1) / c.Max)
		}
		if b.Count > 0 && b.H < 2 {
			b.H = 2 // a day with a few stays visible beside a busy one
		}
		b.Y = chartHeight - b.H
	}
	return c, true
}

// Summary is the chart in one sentence.
func (c chartView) Summary(loc *i18n.Locale) string {
	return loc.T("chart.summary", loc.Date(c.First), loc.Date(c.Last), loc.Number(c.Total), loc.Date(c.MaxDay), loc.Number(c.Max))
}
