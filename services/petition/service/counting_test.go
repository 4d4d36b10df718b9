package service_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/testkit"
)

// Many people sign at once (group commit), confirm at once, and the count,
// the daily series, the milestones and the goal follow, each exactly once.
func TestCountsStatsAndMilestones(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := testkit.Context(t)
	req := petitionReq("Valencia")
	req.Goal = 5
	p := h.createPetition(ctx, t, req)

	const n = 24
	parallel := func(f func(i int)) {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 32)
		for i := range n {
			sem <- struct{}{}
			wg.Go(func() { defer func() { <-sem }(); f(i) })
		}
		wg.Wait()
	}
	parallel(func(i int) { h.sign(ctx, t, signReq(p.GetId(), fmt.Sprintf("vecina%d@example.es", i))) })
	msgs := h.waitRequested(ctx, t, p.GetId(), n)
	if len(msgs) != n {
		t.Fatalf("%d SignatureRequested events, want %d", len(msgs), n)
	}
	parallel(func(i int) {
		if _, err := h.anonymous.ConfirmSignature(ctx, &petitionv1.ConfirmSignatureRequest{Token: msgs[i].GetConfirmationToken()}); err != nil {
			t.Errorf("confirm: %v", err)
		}
	})
	confirmedAt := time.Now()
	testkit.Eventually(t, 5*time.Second, func() (bool, error) { return h.count(ctx, t, p.GetId()) == n, nil })
	if took := time.Since(confirmedAt); took > time.Second {
		t.Errorf("count reached %d %v after the last confirmation, want within 1s", n, took)
	}

	got, err := h.anonymous.GetPetition(ctx, &petitionv1.GetPetitionRequest{PetitionId: p.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if s := got.GetPetition().GetStatus(); s != petitionv1.PetitionStatus_PETITION_STATUS_GOAL_REACHED {
		t.Errorf("status %v after passing the goal, want GOAL_REACHED", s)
	}
	stats, err := h.anonymous.GetPetitionStats(ctx, &petitionv1.GetPetitionStatsRequest{PetitionId: p.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	if stats.GetConfirmedCount() != n || len(stats.GetDays()) != 1 || stats.GetDays()[0].GetDay() != today || stats.GetDays()[0].GetConfirmed() != n {
		// (A run across midnight UTC splits the day: accept two days summing to n.)
		var sum int32
		for _, d := range stats.GetDays() {
			sum += d.GetConfirmed()
		}
		if sum != n || len(stats.GetDays()) > 2 {
			t.Errorf("stats = %v, want %d confirmations on %s", stats, n, today)
		}
	}

	// Nothing is left half counted.
	for coll, filter := range map[string]bson.D{
		"signatures":    {{Key: "uncounted", Value: true}},
		"count_batches": {},
	} {
		if left, err := h.db.Collection(coll).CountDocuments(ctx, filter); err != nil || left != 0 {
			t.Errorf("%s: %d left (err %v)", coll, left, err)
		}
	}

	// The goal (5) is announced once, as a milestone and as goal_reached
	// (the fixed milestones are tested in package app).
	h.settle(ctx, t)
	var milestones []int32
	var goalIs []bool
	_, err = readEvents(ctx, h.js, "petition.petition.milestone_reached", func(ev broker.Event) (bool, error) {
		var m petitionv1.PetitionMilestoneReached
		if err := ev.Decode(&m); err != nil || m.GetPetitionId() != p.GetId() {
			return false, err
		}
		milestones = append(milestones, m.GetMilestone())
		goalIs = append(goalIs, m.GetIsGoal())
		if m.GetConfirmedCount() < m.GetMilestone() {
			t.Errorf("milestone %d announced at count %d", m.GetMilestone(), m.GetConfirmedCount())
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(milestones, []int32{5}) || !slices.Equal(goalIs, []bool{true}) {
		t.Errorf("milestones %v (goal %v), want [5] once", milestones, goalIs)
	}
	goals, err := readEvents(ctx, h.js, "petition.petition.goal_reached", func(ev broker.Event) (bool, error) {
		var m petitionv1.PetitionGoalReached
		if err := ev.Decode(&m); err != nil {
			return false, err
		}
		return m.GetPetitionId() == p.GetId() && m.GetGoal() == 5, nil
	})
	if err != nil || len(goals) != 1 {
		t.Errorf("%d goal_reached events (err %v), want 1", len(goals), err)
	}
}
