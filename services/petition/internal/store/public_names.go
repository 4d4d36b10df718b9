package store

// A petition's public signers — the newest confirmed signers who chose to
// have their name shown — live in one small document per petition,
// {_id: petition_id, names, rev}, kept by the counter's batches (counts.go)
// and read by _id: listing them never reads a signature (on the embedded
// store any other read of signatures scans them all).
//
// A batch freezes the names it counted (MarkBatch) and ApplyNames merges
// them in and takes its withdrawals out by signature id, so a batch resumed
// after a crash re-applies the same change to the same effect. Batches are
// finished one at a time in the order they were claimed, and a withdrawal
// joins a batch only after the one that counted its signature was marked,
// so a name is always taken out after it was put in. A withdrawn signature
// has lost its name, so a batch reading it back afterwards finds nothing to
// show.

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/cc4dr/coalition/services/kit/mongodb"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// CollectionPublicNames holds each petition's public signers.
const CollectionPublicNames = "public_names"

type publicNamesDoc struct {
	ID    string              `bson:"_id"`
	Names []domain.PublicName `bson:"names"`
	// Rev changes with every write: the condition of the next one.
	Rev int64 `bson:"rev"`
}

// publicNames picks the counted signatures to show: confirmed (not
// withdrawn meanwhile: a withdrawn one has lost its name) and with the
// signer's consent, the newest PublicNamesKept.
func publicNames(counted []batchSig) []domain.PublicName {
	var out []domain.PublicName
	for _, sg := range counted {
		if sg.ShowName && sg.Name != "" && sg.Status == domain.SignatureConfirmed {
			out = append(out, domain.PublicName{SignatureID: sg.ID, Name: sg.Name, ConfirmedAt: sg.ConfirmedAt})
		}
	}
	return domain.MergePublicNames(nil, out, nil)
}

// ApplyNames puts a marked batch's frozen names into its petition's public
// names and takes its withdrawals out (between steps 2 and 3, counts.go);
// idempotent.
func (s *Store) ApplyNames(ctx context.Context, b CountBatch) error {
	if !b.Marked {
		return errors.New("apply public names: batch not marked")
	}
	if len(b.Names) == 0 && len(b.WithdrawnIDs) == 0 {
		return nil
	}
	coll := s.db.Collection(CollectionPublicNames)
	for range 5 {
		var d publicNamesDoc
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: b.PetitionID}}).Decode(&d)
		missing := errors.Is(err, mongo.ErrNoDocuments)
		if err != nil && !missing {
			return fmt.Errorf("apply public names: load: %w", err)
		}
		names := domain.MergePublicNames(d.Names, b.Names, b.WithdrawnIDs)
		if samePublicNames(names, d.Names) || missing && len(names) == 0 {
			return nil // nothing to change (a re-run, or nothing shown)
		}
		if missing {
			_, err := coll.InsertOne(ctx, publicNamesDoc{ID: b.PetitionID, Names: names, Rev: 1})
			if mongodb.IsDuplicateKey(err) {
				continue // written meanwhile: read again
			}
			if err != nil {
				return fmt.Errorf("apply public names: %w", err)
			}
			return nil
		}
		ok, err := s.upd.UpdateIf(ctx, coll, b.PetitionID, mongodb.Eq("rev", d.Rev),
			bson.D{{Key: "$set", Value: bson.D{{Key: "names", Value: names}, {Key: "rev", Value: d.Rev + 1}}}}, nil)
		if err != nil {
			return fmt.Errorf("apply public names: %w", err)
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("apply public names: %w", domain.ErrConcurrentChange)
}

// PublicNames returns up to limit of a petition's public signers, newest
// first (one read by _id).
func (s *Store) PublicNames(ctx context.Context, petitionID string, limit int) ([]domain.PublicName, error) {
	var d publicNamesDoc
	err := s.db.Collection(CollectionPublicNames).FindOne(ctx, bson.D{{Key: "_id", Value: petitionID}},
		options.FindOne().SetProjection(bson.D{{Key: "names", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load public names: %w", err)
	}
	return d.Names[:min(len(d.Names), max(limit, 0))], nil
}

func samePublicNames(a, b []domain.PublicName) bool {
	return slices.EqualFunc(a, b, func(x, y domain.PublicName) bool {
		return x.SignatureID == y.SignatureID && x.Name == y.Name && x.ConfirmedAt.Equal(y.ConfirmedAt)
	})
}
