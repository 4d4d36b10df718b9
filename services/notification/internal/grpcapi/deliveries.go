package grpcapi

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

func (s *Server) ListDeliveries(ctx context.Context, req *notificationv1.ListDeliveriesRequest) (*notificationv1.ListDeliveriesResponse, error) {
	list, next, err := s.d.Store.List(ctx, store.Filter{
		Status: statusFromProto(req.GetStatus()), EventID: req.GetEventId(), EventType: req.GetEventType(),
		Template: req.GetTemplate(), Recipient: req.GetRecipient(),
		PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken(),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &notificationv1.ListDeliveriesResponse{NextPageToken: next}
	for _, d := range list {
		resp.Deliveries = append(resp.Deliveries, deliveryToProto(d))
	}
	return resp, nil
}

func (s *Server) ResendDelivery(ctx context.Context, req *notificationv1.ResendDeliveryRequest) (*notificationv1.ResendDeliveryResponse, error) {
	d, err := s.d.Store.Resend(ctx, req.GetDeliveryId())
	if err != nil {
		return nil, toStatus(err)
	}
	s.d.Pipeline.Due(d.ID)
	return &notificationv1.ResendDeliveryResponse{Delivery: deliveryToProto(d)}, nil
}

func deliveryToProto(d store.Delivery) *notificationv1.Delivery {
	out := &notificationv1.Delivery{
		Id: d.ID, EventId: d.EventID, EventType: d.EventType, Template: d.Template, Recipient: d.Recipient,
		Language: d.Language, Status: statusToProto(d.Status), Attempts: d.Attempts, LastError: d.LastError,
		CreatedAt: timestamppb.New(d.CreatedAt), Category: d.Category,
	}
	if d.SentAt != nil {
		out.SentAt = timestamppb.New(*d.SentAt)
	}
	if d.Status == store.StatusPending && !d.NextAttemptAt.IsZero() {
		out.NextAttemptAt = timestamppb.New(d.NextAttemptAt)
	}
	return out
}

func statusFromProto(s notificationv1.DeliveryStatus) store.Status {
	switch s {
	case notificationv1.DeliveryStatus_DELIVERY_STATUS_PENDING:
		return store.StatusPending
	case notificationv1.DeliveryStatus_DELIVERY_STATUS_SENT:
		return store.StatusSent
	case notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED:
		return store.StatusFailed
	case notificationv1.DeliveryStatus_DELIVERY_STATUS_SUPPRESSED:
		return store.StatusSuppressed
	default:
		return ""
	}
}

func statusToProto(s store.Status) notificationv1.DeliveryStatus {
	switch s {
	case store.StatusPending:
		return notificationv1.DeliveryStatus_DELIVERY_STATUS_PENDING
	case store.StatusSent:
		return notificationv1.DeliveryStatus_DELIVERY_STATUS_SENT
	case store.StatusFailed:
		return notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED
	case store.StatusSuppressed:
		return notificationv1.DeliveryStatus_DELIVERY_STATUS_SUPPRESSED
	default:
		return notificationv1.DeliveryStatus_DELIVERY_STATUS_UNSPECIFIED
	}
}
