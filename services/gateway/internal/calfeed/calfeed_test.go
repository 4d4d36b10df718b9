package calfeed

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

type source struct {
	ics string
	err error
}

func (s source) GetPublicCalendar(context.Context, *eventsv1.GetPublicCalendarRequest, ...grpc.CallOption) (*eventsv1.GetPublicCalendarResponse, error) {
	return &eventsv1.GetPublicCalendarResponse{Ics: s.ics}, s.err
}

func (s source) GetPersonalCalendar(_ context.Context, in *eventsv1.GetPersonalCalendarRequest, _ ...grpc.CallOption) (*eventsv1.GetPersonalCalendarResponse, error) {
	if in.GetFeedToken() != "abcdefghijklmnopqrstuvwxyz" {
		return nil, status.Error(codes.NotFound, "feed not found")
	}
	return &eventsv1.GetPersonalCalendarResponse{Ics: s.ics}, s.err
}

func TestPersonal(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /calendars/{file}", Personal(source{ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}, nil))
	for path, code := range map[string]int{
		"/calendars/abcdefghijklmnopqrstuvwxyz.ics": http.StatusOK,
		"/calendars/abcdefghijklmnopqrstuvwxyy.ics": http.StatusNotFound,
		"/calendars/abcdefghijklmnopqrstuvwxyz":     http.StatusNotFound,
		"/calendars/short.ics":                      http.StatusNotFound,
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != code {
			t.Errorf("%s: %d, want %d", path, rec.Code, code)
		}
		if code == http.StatusOK && rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Errorf("%s: %v", path, rec.Header())
		}
	}
}

func TestPublic(t *testing.T) {
	body := "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
	rec := httptest.NewRecorder()
	Public(source{ics: body}, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/assemblies.ics", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/calendar; charset=utf-8" || rec.Body.String() != body {
		t.Fatalf("%d %v %q", rec.Code, rec.Header(), rec.Body.String())
	}
	rec = httptest.NewRecorder()
	Public(source{err: errors.New("down")}, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/assemblies.ics", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("events down: %d", rec.Code)
	}
}
