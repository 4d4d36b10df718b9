package mailcatcher

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// dirStore persists messages in a directory as <id>.eml (the raw bytes)
// and <id>.json (the envelope). The sidecar is written last, so a message
// counts as stored only once both files exist.
type dirStore struct {
	dir string
}

// sidecar is the JSON stored next to each .eml file.
type sidecar struct {
	ID      string    `json:"id"`
	From    string    `json:"from"`
	To      []string  `json:"to"`
	Subject string    `json:"subject"`
	Time    time.Time `json:"time"`
}

func newDirStore(dir string) (*dirStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mailcatcher: create mail directory: %w", err)
	}
	return &dirStore{dir: dir}, nil
}

func (s *dirStore) path(id, ext string) string {
	return filepath.Join(s.dir, id+ext)
}

// save writes m's files atomically (temporary file, then rename).
func (s *dirStore) save(m Message) error {
	meta, err := json.Marshal(sidecar{ID: m.ID, From: m.From, To: m.To, Subject: m.Subject, Time: m.Time})
	if err != nil {
		return fmt.Errorf("mailcatcher: encode sidecar of %s: %w", m.ID, err)
	}
	if err := writeFileAtomic(s.path(m.ID, ".eml"), m.Raw); err != nil {
		return err
	}
	return writeFileAtomic(s.path(m.ID, ".json"), meta)
}

// remove deletes the files of message id; missing files are not an error.
func (s *dirStore) remove(id string) error {
	var errs []error
	for _, ext := range []string{".json", ".eml"} {
		if err := os.Remove(s.path(id, ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("mailcatcher: remove stored message: %w", err))
		}
	}
	return errors.Join(errs...)
}

// load reads the stored messages, oldest first, keeping at most limit of
// them and deleting the files of older ones. Unreadable entries are
// reported through warn and skipped.
func (s *dirStore) load(limit int, warn func(error)) ([]Message, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("mailcatcher: read mail directory: %w", err)
	}
	var ids []string
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		if _, err := uuid.Parse(id); err != nil {
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids) // UUIDv7 strings sort by time
	if extra := len(ids) - limit; extra > 0 {
		for _, id := range ids[:extra] {
			if err := s.remove(id); err != nil {
				warn(err)
			}
		}
		ids = ids[extra:]
	}
	msgs := make([]Message, 0, len(ids))
	for _, id := range ids {
		m, err := s.read(id)
		if err != nil {
			warn(err)
			continue
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func (s *dirStore) read(id string) (Message, error) {
	b, err := os.ReadFile(s.path(id, ".json"))
	if err != nil {
		return Message{}, fmt.Errorf("mailcatcher: read sidecar: %w", err)
	}
	var meta sidecar
	if err := json.Unmarshal(b, &meta); err != nil {
		return Message{}, fmt.Errorf("mailcatcher: decode sidecar %s: %w", id, err)
	}
	raw, err := os.ReadFile(s.path(id, ".eml"))
	if err != nil {
		return Message{}, fmt.Errorf("mailcatcher: read message: %w", err)
	}
	return Message{
		ID:      id,
		From:    meta.From,
		To:      meta.To,
		Subject: meta.Subject,
		Time:    meta.Time,
		Size:    len(raw),
		Raw:     raw,
	}, nil
}

func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("mailcatcher: create temporary file: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("mailcatcher: write %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("mailcatcher: store %s: %w", filepath.Base(path), err)
	}
	return nil
}
