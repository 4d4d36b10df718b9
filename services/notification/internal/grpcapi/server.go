// Package grpcapi is the notification service's gRPC transport: for
// coordinators what was sent, to whom, what failed and which events could
// not be handled, with resend and replay; for everyone the email
// preferences their links open. It only maps requests and errors.
package grpcapi

import (
	"errors"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/kit/broker"
	"github.com/cc4dr/coalition/services/kit/grpcserver"
	"github.com/cc4dr/coalition/services/kit/inbox"
	"github.com/cc4dr/coalition/services/kit/paging"
	"github.com/cc4dr/coalition/services/notification/internal/preferences"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// Waker tells the sending pipeline's poller which deliveries are due.
type Waker interface{ Due(ids ...string) }

// Deps are what the transport serves.
type Deps struct {
	Store       *store.Store
	Inbox       *inbox.Store
	Preferences *preferences.Service
	// Handlers are the consumers' handlers by durable name (for replays).
	Handlers map[string]broker.Handler
	// Pipeline is woken when a delivery is resent.
	Pipeline Waker
}

// Server implements notificationv1.NotificationServiceServer.
type Server struct {
	notificationv1.UnimplementedNotificationServiceServer
	d Deps
}

// New returns the transport.
func New(d Deps) *Server { return &Server{d: d} }

// toStatus maps the errors of the layers below to gRPC statuses; others
// pass on to the server's interceptors (Unavailable, Internal).
func toStatus(err error) error {
	switch {
	case errors.Is(err, paging.ErrBadToken):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "page_token", Description: "not a page token from a previous response", Reason: "page_token.invalid",
		}).Err()
	case errors.Is(err, store.ErrNotFound):
		return status.Error(codes.NotFound, "delivery not found")
	case errors.Is(err, store.ErrNotResendable), errors.Is(err, store.ErrNoContent):
		return status.Error(codes.FailedPrecondition, err.Error())
	case errors.Is(err, inbox.ErrDeadLetterNotFound):
		return status.Error(codes.NotFound, "dead letter not found")
	case errors.Is(err, inbox.ErrUnreplayable), errors.Is(err, inbox.ErrReplayFailed):
		return status.Error(codes.FailedPrecondition, err.Error())
	case errors.Is(err, preferences.ErrBadToken):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "token", Description: "not a token from an email's link", Reason: "token.invalid",
		}).Err()
	case errors.Is(err, preferences.ErrUnknownToken):
		return status.Error(codes.NotFound, "this link is not valid")
	case errors.Is(err, preferences.ErrNotOptional):
		return grpcserver.FieldViolations(&errdetails.BadRequest_FieldViolation{
			Field: "category", Description: "not an optional email category", Reason: "category.not_optional",
		}).Err()
	case errors.Is(err, preferences.ErrNoCategory):
		return status.Error(codes.FailedPrecondition, err.Error())
	default:
		return err
	}
}
