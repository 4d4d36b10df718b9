// Package grpcapi is the notification service's gRPC transport for
// coordinators: what was sent, to whom, and what failed.
package grpcapi

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	"github.com/cc4dr/coalition/services/notification/internal/store"
)

// Server implements notificationv1.NotificationServiceServer.
type Server struct {
	notificationv1.UnimplementedNotificationServiceServer
	store *store.Store
}

// New returns the transport over st.
func New(st *store.Store) *Server { return &Server{store: st} }

func (s *Server) ListDeliveries(ctx context.Context, req *notificationv1.ListDeliveriesRequest) (*notificationv1.ListDeliveriesResponse, error) {
	list, err := s.store.List(ctx, store.Filter{
		Status: statusFromProto(req.GetStatus()), EventID: req.GetEventId(), Limit: int64(req.GetPageSize()),
	})
	if err != nil {
		return nil, err
	}
	resp := &notificationv1.ListDeliveriesResponse{}
	for _, d := range list {
		out := &notificationv1.Delivery{
			Id: d.ID, EventId: d.EventID, EventType: d.EventType, Template: d.Template, Recipient: d.Recipient,
			Language: d.Language, Status: statusToProto(d.Status), Attempts: d.Attempts, LastError: d.LastError,
			CreatedAt: timestamppb.New(d.CreatedAt),
		}
		if d.SentAt != nil {
			out.SentAt = timestamppb.New(*d.SentAt)
		}
		resp.Deliveries = append(resp.Deliveries, out)
	}
	return resp, nil
}

func statusFromProto(s notificationv1.DeliveryStatus) store.Status {
	switch s {
	case notificationv1.DeliveryStatus_DELIVERY_STATUS_PENDING:
		return store.StatusPending
	case notificationv1.DeliveryStatus_DELIVERY_STATUS_SENT:
		return store.StatusSent
	case notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED:
		return store.StatusFailed
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
	default:
		return notificationv1.DeliveryStatus_DELIVERY_STATUS_UNSPECIFIED
	}
}
