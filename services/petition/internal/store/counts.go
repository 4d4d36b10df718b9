package store

// Counting confirmed signatures, exactly once, without one $inc per
// signature (a hot petition's counter row is what locked the UK Parliament's
// petitions database): a confirmation only marks its signature "uncounted",
// and a withdrawal of a signature a batch has counted marks it "uncount"
// (each part of a write the change makes anyway); a counter loop
// (app.Counter) folds both into their petition's count and per-day series
// in batches, in four steps, each of them a single-document write or an
// idempotent multi-document one:
//
//  1. ClaimEntries (the signatures the writers named to the counter) or
//     ClaimUncounted (a scan, the safety net) records a count batch
//     {_id, petition_id, signature_ids, withdrawn_ids} per petition with
//     one insert (atomic: the batch exists or not).
//  2. MarkBatch moves the batch's still-uncounted signatures to counted
//     (count_batch = batch id, "uncounted" removed) and its still-marked
//     withdrawals to taken off (uncount_batch = batch id, "uncount"
//     removed) — conditional on the mark, so a signature joins exactly one
//     batch each way and re-running the step changes nothing — then freezes
//     the batch's total (counted minus taken off) and per-day changes (a
//     withdrawal on the day it had been confirmed), read back from the
//     signatures that carry its id, in the batch document — with the
//     newest counted signers who chose to show their name.
//     ApplyNames then puts those names in, and the batch's withdrawals out
//     of, the petition's public names (public_names.go): by signature id,
//     so re-running it changes nothing.
//  3. ApplyBatch adds the frozen totals to the petition in one conditional
//     write, remembering the batch id in the petition (count_applied); a
//     batch whose id is already there is skipped. Milestone events ride in
//     the same write (its outbox).
//  4. FinishBatch deletes the batch document.
//
// A crash between any two steps leaves a batch document behind;
// PendingBatches finds it and the counter resumes it at the step it had
// reached before claiming anything new, so nothing is lost (a mark stays
// until a batch has claimed it, and a claimed batch is finished before any
// other) and nothing is counted twice (a signature belongs to one batch each
// way, a batch's total is frozen before it is applied, and a petition
// applies a batch id once). A withdrawal can only be taken off after its
// signature was counted (uncount is set only on a signature with
// count_batch), so a count never goes below the truth.

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
	fieldUncount      = "uncount"       // signature: withdrawn after being counted, not yet taken off
	fieldUncountBatch = "uncount_batch" // signature: the batch that took it off
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
	ID         string `bson:"_id"`
	PetitionID string `bson:"petition_id"`
	// SignatureIDs are confirmations to count; WithdrawnIDs counted
	// signatures, since withdrawn, to take off.
	SignatureIDs []string  `bson:"signature_ids"`
	WithdrawnIDs []string  `bson:"withdrawn_ids,omitempty"`
	CreatedAt    time.Time `bson:"created_at"`
	// Set by MarkBatch: the total and the per-day counts, frozen.
	Marked bool              `bson:"marked"`
	N      int64             `bson:"n"`
	Days   []domain.DayCount `bson:"days,omitempty"`
	// Names are the newest counted signers who chose to be shown, frozen
	// with the totals for ApplyNames (public_names.go).
	Names []domain.PublicName `bson:"names,omitempty"`
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

// CountEntry names a signature to the counter: confirmed (to count), or
// withdrawn after a batch counted it (to take off).
type CountEntry struct {
	SignatureID, PetitionID string
	Withdrawn               bool
}

// ClaimEntries records the entries as count batches, one per petition
// (step 1). Entries whose mark is gone by the time their batch is marked
// (counted by another batch, withdrawn before being counted) are left out
// then, so stale or repeated entries are harmless.
func (s *Store) ClaimEntries(ctx context.Context, entries []CountEntry, now time.Time) ([]CountBatch, error) {
	type lists struct{ add, remove []string }
	byPetition := map[string]*lists{}
	var order []string
	for _, e := range entries {
		l := byPetition[e.PetitionID]
		if l == nil {
			l = &lists{}
			byPetition[e.PetitionID] = l
			order = append(order, e.PetitionID)
		}
		if e.Withdrawn {
			l.remove = append(l.remove, e.SignatureID)
		} else {
			l.add = append(l.add, e.SignatureID)
		}
	}
	var batches []CountBatch
	for _, pid := range order {
		id, err := uuid.NewV7()
		if err != nil {
			return batches, fmt.Errorf("batch id: %w", err)
		}
		l := byPetition[pid]
		b := CountBatch{ID: id.String(), PetitionID: pid, SignatureIDs: unique(l.add), WithdrawnIDs: unique(l.remove), CreatedAt: now}
		if b.SignatureIDs == nil {
			b.SignatureIDs = []string{}
		}
		if _, err := s.countBatches.InsertOne(ctx, b); err != nil {
			return batches, fmt.Errorf("record count batch: %w", err)
		}
		batches = append(batches, b)
	}
	return batches, nil
}

func unique(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// ClaimUncounted finds up to limit marked signatures by scanning (on the
// embedded store it reads every signature: the counter's safety net for
// marks written before a crash) and records them as count batches (step 1).
// It reports whether it hit the limit (more may be waiting).
func (s *Store) ClaimUncounted(ctx context.Context, limit int, now time.Time) (batches []CountBatch, full bool, err error) {
	var entries []CountEntry
	for _, mark := range []string{fieldUncounted, fieldUncount} {
		cur, err := s.signatures.Find(ctx, bson.D{{Key: mark, Value: true}}, options.Find().
			SetLimit(int64(limit)).
			SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "petition_id", Value: 1}}))
		if err != nil {
			return nil, false, fmt.Errorf("find marked signatures: %w", err)
		}
		var sigs []struct {
			ID         string `bson:"_id"`
			PetitionID string `bson:"petition_id"`
		}
		if err := cur.All(ctx, &sigs); err != nil {
			return nil, false, fmt.Errorf("read marked signatures: %w", err)
		}
		for _, sg := range sigs {
			entries = append(entries, CountEntry{SignatureID: sg.ID, PetitionID: sg.PetitionID, Withdrawn: mark == fieldUncount})
		}
		full = full || len(sigs) >= limit
	}
	batches, err = s.ClaimEntries(ctx, entries, now)
	return batches, full, err
}

// MarkBatch marks the batch's signatures counted (and its withdrawals taken
// off) and freezes its totals (step 2); idempotent. Every document is
// reached by _id.
func (s *Store) MarkBatch(ctx context.Context, b *CountBatch) error {
	if b.Marked {
		return nil
	}
	counted, err := s.mark(ctx, b.SignatureIDs, fieldUncounted, fieldCountBatch, b.ID)
	if err != nil {
		return err
	}
	takenOff, err := s.mark(ctx, b.WithdrawnIDs, fieldUncount, fieldUncountBatch, b.ID)
	if err != nil {
		return err
	}
	b.N, b.Days, b.Marked = int64(len(counted)-len(takenOff)), domain.CountChangesByDay(times(counted), times(takenOff)), true
	b.Names = publicNames(counted)
	_, err = s.upd.UpdateIf(ctx, s.countBatches, b.ID, mongodb.Ne("marked", true),
		bson.D{{Key: "$set", Value: bson.D{{Key: "marked", Value: true}, {Key: "n", Value: b.N}, {Key: "days", Value: b.Days}, {Key: "names", Value: b.Names}}}}, nil)
	if err != nil {
		return fmt.Errorf("freeze count batch: %w", err)
	}
	return nil
}

// batchSig is what a batch reads back from each of its signatures.
type batchSig struct {
	ID          string                 `bson:"_id"`
	ConfirmedAt time.Time              `bson:"confirmed_at"`
	Status      domain.SignatureStatus `bson:"status"`
	Name        string                 `bson:"name"`
	ShowName    bool                   `bson:"show_name"`
}

func times(sigs []batchSig) []time.Time {
	out := make([]time.Time, len(sigs))
	for i, sg := range sigs {
		out[i] = sg.ConfirmedAt
	}
	return out
}

// mark moves those of ids still carrying the mark to the batch (field =
// batchID, mark removed), then reads back each signature carrying the
// batch id — marked now or by an earlier try.
func (s *Store) mark(ctx context.Context, ids []string, mark, field, batchID string) ([]batchSig, error) {
	for chunk := range slices.Chunk(ids, 1000) {
		_, err := s.upd.UpdateAllIf(ctx, s.signatures, chunk, mongodb.Eq(mark, true),
			bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: batchID}}}, {Key: "$unset", Value: bson.D{{Key: mark, Value: ""}}}})
		if err != nil {
			return nil, fmt.Errorf("mark signatures for count batch: %w", err)
		}
	}
	docs, err := s.upd.FindEach(ctx, s.signatures, ids, mongodb.Eq(field, batchID), "confirmed_at", "status", "name", "show_name")
	if err != nil {
		return nil, fmt.Errorf("read batch signatures: %w", err)
	}
	sigs := make([]batchSig, len(docs))
	for i, d := range docs {
		if err := bson.Unmarshal(d, &sigs[i]); err != nil {
			return nil, fmt.Errorf("read batch signatures: %w", err)
		}
	}
	return sigs, nil
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
// write. It reports whether the batch was applied now, and
// domain.ErrConcurrentChange when the petition changed between reading and
// writing (the caller reads again).
func (s *Store) ApplyBatch(ctx context.Context, b CountBatch, decide func(before PetitionCount, count int64) (CountChange, error)) (bool, error) {
	if !b.Marked {
		return false, errors.New("apply count batch: not marked")
	}
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
	// The condition repeats what was read and decided on (count, status):
	// another writer's change in between makes it match nothing.
	cond := mongodb.And(countIs(d.ConfirmedCount), mongodb.Eq("status", d.Status), mongodb.Ne(fieldCountApplied, b.ID))
	ok, err := s.upd.UpdateIf(ctx, s.petitions, b.PetitionID, cond, outbox.Update(set, nil, change.Events...), nil)
	if err != nil {
		return false, fmt.Errorf("apply count batch: %w", err)
	}
	if !ok {
		return false, domain.ErrConcurrentChange
	}
	return true, nil
}

// countIs: the petition's stored count is n (a petition never counted has
// none stored).
func countIs(n int64) mongodb.Cond {
	if n == 0 {
		return mongodb.Or(mongodb.Missing("confirmed_count"), mongodb.Eq("confirmed_count", int64(0)))
	}
	return mongodb.Eq("confirmed_count", n)
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
		{Collection: CollectionSignatures, Name: fieldUncount, Keys: bson.D{{Key: fieldUncount, Value: 1}}},
		{Collection: CollectionSignatures, Name: fieldUncountBatch, Keys: bson.D{{Key: fieldUncountBatch, Value: 1}}},
	}
}
