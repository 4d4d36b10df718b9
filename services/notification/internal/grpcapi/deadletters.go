package grpcapi

import (
	"context"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
)

// replayTimeout bounds the handler a replay runs.
const replayTimeout = 30 * time.Second

func (s *Server) ListDeadLetters(ctx context.Context, req *notificationv1.ListDeadLettersRequest) (*notificationv1.ListDeadLettersResponse, error) {
	list, next, err := s.d.Inbox.ListDeadLetters(ctx, req.GetConsumer(), int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &notificationv1.ListDeadLettersResponse{NextPageToken: next}
	for _, d := range list {
		out := &notificationv1.DeadLetter{
			Id: d.ID, Consumer: d.Consumer, EventId: d.Event.ID, EventType: d.Event.Type, Subject: d.Event.Subject,
			Source: d.Event.Source, Deliveries: d.Deliveries, Error: d.Error, FailedAt: timestamppb.New(d.FailedAt),
		}
		if !d.Event.Time.IsZero() {
			out.EventTime = timestamppb.New(d.Event.Time)
		}
		resp.DeadLetters = append(resp.DeadLetters, out)
	}
	return resp, nil
}

func (s *Server) ReplayDeadLetter(ctx context.Context, req *notificationv1.ReplayDeadLetterRequest) (*notificationv1.ReplayDeadLetterResponse, error) {
	h, ok := s.d.Handlers[req.GetConsumer()]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "no consumer %q in this service", req.GetConsumer())
	}
	// The replay finishes even if the caller stops waiting (a console call
	// has a shorter deadline than a large assembly's emails take to record):
	// cut short it would leave the dead letter, half applied, to replay again.
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replayTimeout)
	defer cancel()
	already, err := s.d.Inbox.Replay(hctx, req.GetConsumer(), req.GetEventId(), h)
	if err != nil {
		return nil, toStatus(err)
	}
	return &notificationv1.ReplayDeadLetterResponse{AlreadyApplied: already}, nil
}
