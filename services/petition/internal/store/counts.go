package store

// Counting confirmed signatures, exactly once, without one $inc per
// signature (a hot petition's counter row is what locked the UK Parliament's
// petitions database): a confirmation only marks its signature "uncounted"
// (part of the confirming write, already one conditional write); a counter
// loop (app.Counter) folds uncounted signatures into their petition's count
// in batches, in four steps, each of them a single-document write or an
// idempotent multi-document one:
//
//  1. ClaimUncounted records a count batch {_id, petition_id, signature_ids}
//     per petition with one insert (atomic: the batch exists or not).
//  2. MarkBatch moves the batch's still-uncounted signatures to counted
//     (count_batch = batch id, "uncounted" removed) — conditional on
//     "uncounted", so a signature joins exactly one batch and re-running the
//     step changes nothing — then freezes the batch's total and per-day
//     counts, read back from the signatures that carry its id, in the batch
//     document.
//  3. ApplyBatch adds the frozen totals to the petition in one write under
//     the petition's document lock, remembering the batch id in the
//     petition (count_applied); a batch whose id is already there is
//     skipped. Milestone events ride in the same write (its outbox).
//  4. FinishBatch deletes the batch document.
//
// A crash between any two steps leaves a batch document behind;
// PendingBatches finds it and the counter resumes it at the step it had
// reached before claiming anything new, so nothing is lost (a confirmed
// signature is uncounted until a batch has claimed it, and a claimed batch
// is finished before any other) and nothing is counted twice (a signature
// belongs to one batch, a batch's total is frozen before it is applied, and
// a petition applies a batch id once). Every signature with count_batch set
// is in its petition's count or about to be: a signature that stops
// counting later (withdrawn, erased) must be taken off the count by whoever
// changes it.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/kit/outbox"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// CollectionCountBatches holds count batches between claiming and finishing.
const CollectionCountBatches = "count_batches"

// Field names of the counting state.
const (
	fieldUncounted    = "uncounted"     // signature: confirmed, not yet in a batch
	fieldCountBatch   = "count_batch"   // signature: the batch that counted it
	fieldCountApplied = "count_applied" // petition: the latest batches applied
	fieldDaily        = "daily"         // petition: confirmations per UTC day
	fieldMilestones   = "milestones"    // petition: milestones already announced
)

// appliedKept is how many applied batch ids a petition remembers. Batches
// are finished right after they are applied and resumed before new ones are
// claimed, so only the latest one can ever be re-applied.
const appliedKept = 16

// CountBatch is a batch of confirmed signatures of one petition on its way
// into the petition's count.
type CountBatch struct {
	ID           string    `bson:"_id"`
	PetitionID   string    `bson:"petition_id"`
	SignatureIDs []string  `bson:"signature_ids"`
	CreatedAt    time.Time `bson:"created_at"`
	// Set by MarkBatch: the total and the per-day counts, frozen.
	Marked bool              `bson:"marked"`
	N      int64             `bson:"n"`
	Days   []domain.DayCount `bson:"days,omitempty"`
}

// PendingBatches returns the batches a previous round left unfinished,
// oldest first.
func (s *Store) PendingBatches(ctx context.Context) ([]CountBatch, error) {
	cur, err := s.countBatches.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find count batches: %w", err)
	}
	var out []CountBatch
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read count batches: %w", err)
	}
	return out, nil
}

// ClaimUncounted records up to limit uncounted signatures as count batches,
// one per petition (step 1). It reports whether it hit the limit (more may
// be waiting).
func (s *Store) ClaimUncounted(ctx context.Context, limit int, now time.Time) (batches []CountBatch, full bool, err error) {
	cur, err := s.signatures.Find(ctx, bson.D{{Key: fieldUncounted, Value: true}}, options.Find().
		SetLimit(int64(limit)).
		SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "petition_id", Value: 1}}))
	if err != nil {
		return nil, false, fmt.Errorf("find uncounted signatures: %w", err)
	}
	var sigs []struct {
		ID         string `bson:"_id"`
		PetitionID string `bson:"petition_id"`
	}
	if err := cur.All(ctx, &sigs); err != nil {
		return nil, false, fmt.Errorf("read uncounted signatures: %w", err)
	}
	byPetition := map[string][]string{}
	var order []string
	for _, sg := range sigs {
		if _, ok := byPetition[sg.PetitionID]; !ok {
			order = append(order, sg.PetitionID)
		}
		byPetition[sg.PetitionID] = append(byPetition[sg.PetitionID], sg.ID)
	}
	for _, pid := range order {
		id, err := uuid.NewV7()
		if err != nil {
			return batches, false, fmt.Errorf("batch id: %w", err)
		}
		b := CountBatch{ID: id.String(), PetitionID: pid, SignatureIDs: byPetition[pid], CreatedAt: now}
		if _, err := s.countBatches.InsertOne(ctx, b); err != nil {
			return batches, false, fmt.Errorf("record count batch: %w", err)
		}
		batches = append(batches, b)
	}
	return batches, len(sigs) >= limit, nil
}

// MarkBatch marks the batch's signatures counted and freezes its totals
// (step 2); idempotent.
func (s *Store) MarkBatch(ctx context.Context, b *CountBatch) error {
	if b.Marked {
		return nil
	}
	if err := s.markSignatures(ctx, b); err != nil {
		return err
	}
	cur, err := s.signatures.Find(ctx, bson.D{{Key: fieldCountBatch, Value: b.ID}},
		options.Find().SetProjection(bson.D{{Key: "confirmed_at", Value: 1}}))
	if err != nil {
		return fmt.Errorf("read batch signatures: %w", err)
	}
	var sigs []struct {
		ConfirmedAt time.Time `bson:"confirmed_at"`
	}
	if err := cur.All(ctx, &sigs); err != nil {
		return fmt.Errorf("read batch signatures: %w", err)
	}
	times := make([]time.Time, len(sigs))
	for i, sg := range sigs {
		times[i] = sg.ConfirmedAt
	}
	b.N, b.Days, b.Marked = int64(len(sigs)), domain.CountByDay(times), true

	unlock, err := s.locks.Lock(ctx, s.countBatches, b.ID)
	if err != nil {
		return fmt.Errorf("freeze count batch: %w", err)
	}
	defer unlock()
	_, err = s.countBatches.UpdateOne(ctx, bson.D{{Key: "_id", Value: b.ID}, {Key: "marked", Value: bson.D{{Key: "$ne", Value: true}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "marked", Value: true}, {Key: "n", Value: b.N}, {Key: "days", Value: b.Days}}}})
	if err != nil {
		return fmt.Errorf("freeze count batch: %w", err)
	}
	return nil
}

func (s *Store) markSignatures(ctx context.Context, b *CountBatch) error {
	ids := b.SignatureIDs
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		unlock, err := s.locks.LockAll(ctx, s.signatures, chunk)
		if err != nil {
			return fmt.Errorf("mark signatures counted: %w", err)
		}
		_, err = s.signatures.UpdateMany(ctx,
			bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: chunk}}}, {Key: fieldUncounted, Value: true}},
			bson.D{{Key: "$set", Value: bson.D{{Key: fieldCountBatch, Value: b.ID}}}, {Key: "$unset", Value: bson.D{{Key: fieldUncounted, Value: ""}}}})
		unlock()
		if err != nil {
			return fmt.Errorf("mark signatures counted: %w", err)
		}
	}
	return nil
}

// PetitionCount is the counting state of a petition ApplyBatch hands to its
// decide function.
type PetitionCount struct {
	Petition   domain.Petition
	Daily      []domain.DayCount
	Milestones []int64
}

// CountChange is what decide adds to the batch's write: a new status (or
// ""), milestones now announced, and events.
type CountChange struct {
	Status     domain.PetitionStatus
	Milestones []int64
	Events     []broker.Event
}

// ApplyBatch adds a marked batch's totals to its petition (step 3), unless
// the petition already applied it. decide sees the petition before and the
// new count, and returns the status change and events that ride in the same
// write. It reports whether the batch was applied now.
func (s *Store) ApplyBatch(ctx context.Context, b CountBatch, decide func(before PetitionCount, count int64) (CountChange, error)) (bool, error) {
	if !b.Marked {
		return false, errors.New("apply count batch: not marked")
	}
	unlock, err := s.locks.Lock(ctx, s.petitions, b.PetitionID)
	if err != nil {
		return false, fmt.Errorf("apply count batch: %w", err)
	}
	defer unlock()
	raw, err := s.petitions.FindOne(ctx, bson.D{{Key: "_id", Value: b.PetitionID}},
		options.FindOne().SetProjection(bson.D{{Key: outbox.FieldEvents, Value: 0}})).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil // the petition is gone: nothing to count into
	}
	if err != nil {
		return false, fmt.Errorf("apply count batch: load petition: %w", err)
	}
	var d struct {
		petitionDoc
		Applied    []string          `bson:"count_applied"`
		Daily      []domain.DayCount `bson:"daily"`
		Milestones []int64           `bson:"milestones"`
	}
	if err := bson.Unmarshal(raw, &d.petitionDoc); err != nil {
		return false, fmt.Errorf("apply count batch: decode petition: %w", err)
	}
	if err := bson.Unmarshal(raw, &d); err != nil {
		return false, fmt.Errorf("apply count batch: decode petition: %w", err)
	}
	if slices.Contains(d.Applied, b.ID) || b.N == 0 && len(b.Days) == 0 {
		return false, nil
	}
	before := PetitionCount{Petition: d.domain(), Daily: d.Daily, Milestones: d.Milestones}
	count := d.ConfirmedCount + b.N
	change, err := decide(before, count)
	if err != nil {
		return false, err
	}
	applied := append(d.Applied, b.ID)
	if len(applied) > appliedKept {
		applied = applied[len(applied)-appliedKept:]
	}
	set := bson.D{
		{Key: "confirmed_count", Value: count},
		{Key: fieldDaily, Value: domain.MergeDays(d.Daily, b.Days)},
		{Key: fieldCountApplied, Value: applied},
	}
	if change.Status != "" {
		set = append(set, bson.E{Key: "status", Value: change.Status})
	}
	if len(change.Milestones) > 0 {
		set = append(set, bson.E{Key: fieldMilestones, Value: append(slices.Clone(d.Milestones), change.Milestones...)})
	}
	// The filter repeats the count read: on MongoDB with several instances a
	// concurrent apply makes this one match nothing, and it is retried.
	res, err := s.petitions.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: b.PetitionID}, {Key: "confirmed_count", Value: d.ConfirmedCount}, {Key: fieldCountApplied, Value: bson.D{{Key: "$ne", Value: b.ID}}}},
		outbox.Update(set, nil, change.Events...))
	if err != nil {
		return false, fmt.Errorf("apply count batch: %w", err)
	}
	if res.MatchedCount == 0 {
		return false, domain.ErrConcurrentChange
	}
	return true, nil
}

// FinishBatch forgets an applied batch (step 4).
func (s *Store) FinishBatch(ctx context.Context, batchID string) error {
	if _, err := s.countBatches.DeleteOne(ctx, bson.D{{Key: "_id", Value: batchID}}); err != nil {
		return fmt.Errorf("finish count batch: %w", err)
	}
	return nil
}

// DailyConfirmations returns a petition's stored count and its
// confirmations per UTC day, oldest first (no signature is read).
func (s *Store) DailyConfirmations(ctx context.Context, petitionID string) (int64, []domain.DayCount, error) {
	var d struct {
		ConfirmedCount int64             `bson:"confirmed_count"`
		Daily          []domain.DayCount `bson:"daily"`
	}
	err := s.petitions.FindOne(ctx, bson.D{{Key: "_id", Value: petitionID}},
		options.FindOne().SetProjection(bson.D{{Key: "confirmed_count", Value: 1}, {Key: fieldDaily, Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil, domain.ErrPetitionNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("load petition stats: %w", err)
	}
	return d.ConfirmedCount, d.Daily, nil
}

// countIndexes are the indexes counting needs.
func countIndexes() []mongodb.Index {
	return []mongodb.Index{
		{Collection: CollectionSignatures, Name: fieldUncounted, Keys: bson.D{{Key: fieldUncounted, Value: 1}}},
		{Collection: CollectionSignatures, Name: fieldCountBatch, Keys: bson.D{{Key: fieldCountBatch, Value: 1}}},
	}
}
