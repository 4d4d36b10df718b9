package app

import (
	"slices"
	"testing"
	"time"

	"go.uber.org/zap"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

func TestCountChangeAnnouncesEachMilestoneOnce(t *testing.T) {
	a := &App{log: zap.NewNop(), now: func() time.Time { return time.Unix(1_800_000_000, 0).UTC() }}
	p := domain.Petition{ID: "p1", City: "Lisboa", Goal: 2500, Status: domain.PetitionOpen}
	var announced []int64
	var subjects []string
	var milestones []int32
	count := int64(0)
	for _, next := range []int64{50, 99, 100, 999, 2600, 2600, 9_000, 150_000} {
		p.ConfirmedCount = count
		ch, err := a.countChange(store.PetitionCount{Petition: p, Milestones: announced}, next)
		if err != nil {
			t.Fatal(err)
		}
		announced = append(announced, ch.Milestones...)
		if ch.Status != "" {
			p.Status = ch.Status
		}
		for _, ev := range ch.Events {
			subjects = append(subjects, ev.Subject)
			if ev.Subject == "petition.petition.milestone_reached" {
				var m petitionv1.PetitionMilestoneReached
				if err := ev.Decode(&m); err != nil {
					t.Fatal(err)
				}
				milestones = append(milestones, m.GetMilestone())
				if m.GetIsGoal() != (m.GetMilestone() == 2500) || m.GetConfirmedCount() != int32(next) {
					t.Errorf("milestone event %v", &m)
				}
			}
		}
		count = next
	}
	if want := []int32{100, 1000, 2500, 10_000, 100_000}; !slices.Equal(milestones, want) {
		t.Errorf("milestones %v, want %v", milestones, want)
	}
	goals := 0
	for _, s := range subjects {
		if s == "petition.petition.goal_reached" {
			goals++
		}
	}
	if goals != 1 || p.Status != domain.PetitionGoalReached {
		t.Errorf("%d goal_reached events, status %s; want 1, goal_reached", goals, p.Status)
	}
	// A count that falls below a milestone and rises again announces nothing.
	p.ConfirmedCount = 90
	if ch, _ := a.countChange(store.PetitionCount{Petition: p, Milestones: announced}, 120); len(ch.Events) != 0 {
		t.Errorf("re-passing 100 announced %d events", len(ch.Events))
	}
}
