package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses
)

// FerretDB v1.24's SQLite backend keeps a collection in a table with one
// JSON column and indexes _id as _ferretdb_sjson->"_id", but finds, updates
// and deletes by _id with WHERE _ferretdb_sjson->'$._id' = ?. SQLite uses an
// index only for the very expression it indexes, so every operation by _id
// scanned the table, parsing each document (measured per find: 1.8 ms at
// 1 000 documents, 16 ms at 10 000, 65 ms at 40 000; 38 ms per update at
// 20 000). The id indexer adds to each collection's table an index on the
// expression those queries use (then ~0.2 ms per find or update at any
// size). FerretDB does not know the index: listIndexes does not show it and
// it goes with the table when the collection or database is dropped.

const (
	// idIndexSuffix names the index after its table (FerretDB names its own
	// <table>_<index name>; no index of the platform is named _kit_id_lookup).
	idIndexSuffix = "__kit_id_lookup"
	// idIndexEvery is how often new collections are looked for; until then
	// a new collection is small, so its scans are cheap.
	idIndexEvery = time.Second
)

// idIndexer indexes the _id lookups of every collection in dir.
type idIndexer struct {
	dir string
	log *slog.Logger
	// seen remembers, per database file, its state when every table was
	// found indexed: a file that has not changed since is not reopened.
	seen map[string]fileState
}

type fileState struct{ db, wal os.FileInfo }

func (a fileState) same(b fileState) bool {
	return sameFile(a.db, b.db) && sameFile(a.wal, b.wal)
}

func sameFile(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

func stat(path string) os.FileInfo {
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	return info
}

// run indexes at once, then every idIndexEvery until ctx ends.
func (x *idIndexer) run(ctx context.Context) {
	t := time.NewTicker(idIndexEvery)
	defer t.Stop()
	for {
		x.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pass indexes every table of every database file that changed.
func (x *idIndexer) pass(ctx context.Context) {
	files, err := filepath.Glob(filepath.Join(x.dir, "*.sqlite"))
	if err != nil {
		return
	}
	present := map[string]bool{}
	for _, path := range files {
		present[path] = true
		st := fileState{db: stat(path), wal: stat(path + "-wal")}
		if st.db == nil || x.seen[path].same(st) {
			continue
		}
		if err := x.indexFile(ctx, path); err != nil {
			if ctx.Err() == nil {
				x.log.Warn("embedded store: indexing _id lookups failed; will retry", slog.String("file", filepath.Base(path)), slog.Any("error", err))
			}
			continue
		}
		x.seen[path] = st
	}
	for path := range x.seen {
		if !present[path] {
			delete(x.seen, path)
		}
	}
}

// indexFile opens one database file only for as long as it takes (FerretDB
// deletes the file when the database is dropped; a drop and re-creation of
// the same database within that moment is the one case left unguarded, and
// nothing in the platform drops databases while running but tests, whose
// database names are unique).
func (x *idIndexer) indexFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	db.SetMaxOpenConns(1)
	tables, err := unindexedTables(ctx, db)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil // a database being created: its metadata comes next
		}
		return err
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+idIndexSuffix, t)
		if _, err := db.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "no such table") {
			return fmt.Errorf("index %s: %w", t, err)
		}
	}
	return nil
}

// unindexedTables lists the collection tables of db without the index.
func unindexedTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`, idIndexSuffix)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
