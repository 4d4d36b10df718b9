package opendata_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/internal/opendata"
)

// lister pages through n petitions whose texts mention an email (as a
// petition body might): the CSV must not carry it.
type lister struct {
	n    int
	fail bool
}

func (l *lister) ListPetitions(_ context.Context, in *petitionv1.ListPetitionsRequest, _ ...grpc.CallOption) (*petitionv1.ListPetitionsResponse, error) {
	if l.fail {
		return nil, status.Error(codes.Unavailable, "down")
	}
	start := 0
	if in.GetPageToken() != "" {
		fmt.Sscan(in.GetPageToken(), &start)
	}
	resp := &petitionv1.ListPetitionsResponse{}
	for i := start; i < l.n && i < start+int(in.GetPageSize()); i++ {
		resp.Petitions = append(resp.Petitions, &petitionv1.Petition{
			Id: fmt.Sprintf("id-%d", i), City: fmt.Sprintf("City %d", i), Country: "PT", Region: "=HYPERLINK(\"x\")",
			Goal: 1000, ConfirmedCount: int32(i), Status: petitionv1.PetitionStatus_PETITION_STATUS_GOAL_REACHED,
			CreatedAt: timestamppb.New(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)),
			Texts:     []*petitionv1.PetitionText{{Language: "en", Title: "Join", Body: "Write to ana@example.org"}},
		})
	}
	if start+int(in.GetPageSize()) < l.n {
		resp.NextPageToken = fmt.Sprint(start + int(in.GetPageSize()))
	}
	return resp, nil
}

func TestPetitionsCSV(t *testing.T) {
	rec := httptest.NewRecorder()
	opendata.PetitionsCSV(&lister{n: 450}, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/open-data/petitions.csv", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, content type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	if strings.Contains(body, "@") {
		t.Fatalf("the CSV contains an email or a formula:\n%.500s", body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 451 || strings.Join(rows[0], ",") != "id,city,country,region,status,goal,confirmed_count,created_at,closes_at" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	want := []string{"id-7", "City 7", "PT", "'=HYPERLINK(\"x\")", "goal_reached", "1000", "7", "2026-05-01T12:00:00Z", ""}
	if got := rows[8]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("row = %q, want %q", got, want)
	}
}

func TestPetitionsCSVUnavailable(t *testing.T) {
	rec := httptest.NewRecorder()
	opendata.PetitionsCSV(&lister{fail: true}, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/open-data/petitions.csv", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", rec.Code)
	}
}
