package app

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/membership/internal/domain"
)

// HistoryFor maps a member's status history as the caller may see it:
// coordinators see who made each change and why; anyone else only what
// changed and when, because who is a token subject (possibly a person's
// address) and the reason is a coordinator's free text.
func HistoryFor(ctx context.Context, h []domain.StatusChange) []*membershipv1.MemberStatusChange {
	full := isCoordinator(ctx)
	out := make([]*membershipv1.MemberStatusChange, 0, len(h))
	for _, c := range h {
		sc := &membershipv1.MemberStatusChange{From: StatusToProto(c.From), To: StatusToProto(c.To), At: timestamppb.New(c.At)}
		if full {
			sc.By, sc.Reason = c.By, c.Reason
		}
		out = append(out, sc)
	}
	return out
}
