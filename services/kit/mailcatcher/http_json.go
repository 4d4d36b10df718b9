package mailcatcher

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

const (
	defaultListLimit = 100
	maxListLimit     = 1000
)

// messageJSON is one entry of GET {prefix}/messages.
type messageJSON struct {
	ID      string    `json:"id"`
	From    string    `json:"from"`
	To      []string  `json:"to"`
	Subject string    `json:"subject"`
	Time    time.Time `json:"time"` // encoded as RFC 3339 with nanoseconds
	Size    int       `json:"size"`
}

func (c *Catcher) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := defaultListLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "invalid_argument", "limit must be a positive integer")
			return
		}
		limit = min(n, maxListLimit)
	}
	to := q.Get("to")
	out := make([]messageJSON, 0, min(limit, c.Count(nil)))
	for _, m := range c.Messages() {
		if len(out) == limit {
			break
		}
		if to != "" && !m.hasRecipient(to) {
			continue
		}
		rcpts := m.To
		if rcpts == nil {
			rcpts = []string{}
		}
		out = append(out, messageJSON{ID: m.ID, From: m.From, To: rcpts, Subject: m.Subject, Time: m.Time.UTC(), Size: m.Size})
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	type detail struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	writeJSON(w, status, struct {
		Error detail `json:"error"`
	}{detail{code, message}})
}
