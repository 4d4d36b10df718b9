// Package api is the gateway's JSON API: grpc-gateway routes generated from
// the proto's google.api.http annotations, snake_case JSON as in the OpenAPI
// document, one error shape for every failure, and the document itself.
package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/proto/openapi"
	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
)

// Prefix is where the API lives.
const Prefix = "/api/v1/"

// Clients are the downstream services the API forwards to.
type Clients struct {
	Membership   membershipv1.MembershipServiceClient
	Petition     petitionv1.PetitionServiceClient
	Events       eventsv1.EventsServiceClient
	Notification notificationv1.NotificationServiceClient
}

// Marshaler is the API's JSON: proto field names (as in the OpenAPI
// document), every field present, unknown request fields refused.
func Marshaler() runtime.Marshaler {
	return &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}
}

// NewMux returns the grpc-gateway handler for every service's routes. The
// Authorization header is forwarded as "authorization" metadata and the
// client address as "x-forwarded-for" (grpc-gateway's defaults).
func NewMux(ctx context.Context, c Clients) (http.Handler, error) {
	mux := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, Marshaler()),
		runtime.WithErrorHandler(ErrorHandler),
		runtime.WithMiddlewares(recordPattern),
		runtime.WithDisableHTTPMethodOverride(),
		// The services' response metadata is internal: none of it becomes
		// an HTTP header (grpc-gateway would add Grpc-Metadata-* ones).
		runtime.WithOutgoingHeaderMatcher(func(string) (string, bool) { return "", false }),
		runtime.WithOutgoingTrailerMatcher(func(string) (string, bool) { return "", false }),
	)
	if err := membershipv1.RegisterMembershipServiceHandlerClient(ctx, mux, c.Membership); err != nil {
		return nil, fmt.Errorf("register membership routes: %w", err)
	}
	if err := petitionv1.RegisterPetitionServiceHandlerClient(ctx, mux, c.Petition); err != nil {
		return nil, fmt.Errorf("register petition routes: %w", err)
	}
	if err := eventsv1.RegisterEventsServiceHandlerClient(ctx, mux, c.Events); err != nil {
		return nil, fmt.Errorf("register events routes: %w", err)
	}
	if err := notificationv1.RegisterNotificationServiceHandlerClient(ctx, mux, c.Notification); err != nil {
		return nil, fmt.Errorf("register notification routes: %w", err)
	}
	return mux, nil
}

// recordPattern tells the access log which API route served the request
// (e.g. /api/v1/petitions/{petition_id=*}) rather than the raw path.
func recordPattern(next runtime.HandlerFunc) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		if p, ok := runtime.HTTPPattern(r.Context()); ok {
			httpx.InfoFrom(r.Context()).SetPattern(r.Method + " " + p.String())
		}
		next(w, r, params)
	}
}

// OpenAPI serves the OpenAPI (Swagger 2.0) document.
func OpenAPI(w http.ResponseWriter, _ *http.Request) {
	doc := openapi.Document()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Content-Length", fmt.Sprint(len(doc)))
	_, _ = w.Write(doc)
}
