// Package opendata publishes the platform's public data in open formats
// (the coalition's transparency principle): petitions as CSV, built from the
// same public gRPC answers as the JSON API, so no personal data can appear.
package opendata

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"
	"google.golang.org/grpc"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// PetitionLister is the part of the petition service the export uses.
type PetitionLister interface {
	ListPetitions(ctx context.Context, in *petitionv1.ListPetitionsRequest, opts ...grpc.CallOption) (*petitionv1.ListPetitionsResponse, error)
}

// Header is the CSV's first row.
var Header = []string{"id", "city", "country", "region", "status", "goal", "confirmed_count", "created_at", "closes_at"}

const (
	pageSize = 200
	maxPages = 500 // 100 000 petitions: a bound, far above the coalition's size
)

// PetitionsCSV serves every public petition as CSV (RFC 4180), newest
// first: GET /open-data/petitions.csv.
func PetitionsCSV(petitions PetitionLister, log *zap.Logger) http.Handler {
	if log == nil {
		log = zap.NewNop()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		// Read everything first: an error then still gets a proper status.
		var rows [][]string
		token := ""
		for range maxPages {
			resp, err := petitions.ListPetitions(ctx, &petitionv1.ListPetitionsRequest{PageSize: pageSize, PageToken: token})
			if err != nil {
				log.Warn("open data: list petitions", zap.Error(err))
				http.Error(w, "petitions are unavailable right now; try again later", http.StatusServiceUnavailable)
				return
			}
			for _, p := range resp.GetPetitions() {
				rows = append(rows, Row(p))
			}
			if token = resp.GetNextPageToken(); token == "" {
				break
			}
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `inline; filename="petitions.csv"`)
		w.Header().Set("Cache-Control", "public, max-age=60")
		cw := csv.NewWriter(w)
		_ = cw.Write(Header)
		_ = cw.WriteAll(rows) // flushes
	})
}

// Row is one petition's CSV row: public fields only.
func Row(p *petitionv1.Petition) []string {
	closes := ""
	if p.GetClosesAt() != nil {
		closes = p.GetClosesAt().AsTime().UTC().Format(time.RFC3339)
	}
	created := ""
	if p.GetCreatedAt() != nil {
		created = p.GetCreatedAt().AsTime().UTC().Format(time.RFC3339)
	}
	return []string{
		p.GetId(), cell(p.GetCity()), cell(p.GetCountry()), cell(p.GetRegion()), status(p.GetStatus()),
		strconv.Itoa(int(p.GetGoal())), strconv.Itoa(int(p.GetConfirmedCount())), created, closes,
	}
}

func status(s petitionv1.PetitionStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "PETITION_STATUS_"))
}

// cell defuses spreadsheet formulas (CSV injection): a text cell starting
// with = + - @ or a control character is prefixed with an apostrophe.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
