package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// IsFerretDB reports whether db is served by FerretDB (the embedded store)
// rather than MongoDB: FerretDB's buildInfo carries ferretdbVersion. Ask
// once, at start; the answer decides how conditional updates are written
// (see Updater).
func IsFerretDB(ctx context.Context, db *mongo.Database) (bool, error) {
	raw, err := db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Raw()
	if err != nil {
		return false, fmt.Errorf("mongodb: buildInfo: %w", err)
	}
	_, err = raw.LookupErr("ferretdbVersion")
	return err == nil, nil
}
