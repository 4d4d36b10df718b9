// Package calfeed serves the events service's iCalendar feeds over HTTP
// (text/calendar, RFC 5545): GET /assemblies.ics is the public calendar of
// public assemblies, for anyone to subscribe to; GET /calendars/<token>.ics
// is one person's private feed of the assemblies they are invited to.
package calfeed

import (
	"context"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
)

// CalendarSource is the part of the events service the feed uses.
type CalendarSource interface {
	GetPublicCalendar(ctx context.Context, in *eventsv1.GetPublicCalendarRequest, opts ...grpc.CallOption) (*eventsv1.GetPublicCalendarResponse, error)
	GetPersonalCalendar(ctx context.Context, in *eventsv1.GetPersonalCalendarRequest, opts ...grpc.CallOption) (*eventsv1.GetPersonalCalendarResponse, error)
}

// Public serves the public calendar.
func Public(events CalendarSource, log *zap.Logger) http.Handler {
	if log == nil {
		log = zap.NewNop()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
		defer cancel()
		resp, err := events.GetPublicCalendar(ctx, &eventsv1.GetPublicCalendarRequest{})
		if err != nil {
			log.Warn("calendar feed: events service", zap.Error(err))
			http.Error(w, "the calendar is unavailable right now; try again later", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Content-Disposition", `inline; filename="assemblies.ics"`)
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write([]byte(resp.GetIcs()))
	})
}

// Personal serves GET /calendars/{file} where file is "<token>.ics".
func Personal(events CalendarSource, log *zap.Logger) http.Handler {
	if log == nil {
		log = zap.NewNop()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok || len(token) < 20 || len(token) > 100 {
			http.NotFound(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
		defer cancel()
		resp, err := events.GetPersonalCalendar(ctx, &eventsv1.GetPersonalCalendarRequest{FeedToken: token})
		switch status.Code(err) {
		case codes.OK:
		case codes.NotFound, codes.InvalidArgument:
			http.NotFound(w, r)
			return
		default:
			log.Warn("personal calendar feed: events service", zap.Error(err))
			http.Error(w, "the calendar is unavailable right now; try again later", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Content-Disposition", `inline; filename="my-assemblies.ics"`)
		w.Header().Set("Cache-Control", "private, max-age=300")
		w.Header().Set("Referrer-Policy", "no-referrer")
		_, _ = w.Write([]byte(resp.GetIcs()))
	})
}
