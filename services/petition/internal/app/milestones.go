package app

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/store"
)

// countChange decides what a count batch moving a petition's count to
// count also changes, in the same write: every milestone (100, 1 000,
// 10 000, 100 000, the goal) passed for the first time is announced once
// (petition.petition.milestone_reached), and passing the goal moves an open
// petition to goal_reached (petition.petition.goal_reached). The petition
// remembers the milestones it announced, so none is announced twice even if
// the count later falls (a signer withdraws) and rises again.
func (a *App) countChange(before store.PetitionCount, count int64) (store.CountChange, error) {
	p := before.Petition
	passed := domain.MilestonesPassed(p.Goal, p.ConfirmedCount, count, before.Milestones)
	if len(passed) == 0 {
		return store.CountChange{}, nil
	}
	now := timestamppb.New(a.now())
	change := store.CountChange{Milestones: passed}
	for _, m := range passed {
		ev, err := broker.NewEvent(Source, &petitionv1.PetitionMilestoneReached{
			PetitionId: p.ID, City: p.City, Milestone: int32(m), IsGoal: m == p.Goal,
			ConfirmedCount: int32(count), ReachedAt: now,
		})
		if err != nil {
			return store.CountChange{}, err
		}
		change.Events = append(change.Events, ev)
		if m == p.Goal && p.Status == domain.PetitionOpen {
			ev, err := broker.NewEvent(Source, &petitionv1.PetitionGoalReached{
				PetitionId: p.ID, City: p.City, Goal: int32(p.Goal), ConfirmedCount: int32(count), ReachedAt: now,
			})
			if err != nil {
				return store.CountChange{}, err
			}
			change.Status = domain.PetitionGoalReached
			change.Events = append(change.Events, ev)
		}
	}
	return change, nil
}
