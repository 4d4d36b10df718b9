// Package membership resolves invited bodies into people by asking the
// membership service over gRPC (ListBodyMembers, a service-only method:
// calls carry the events service's SERVICE token).
package membership

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/events/internal/domain"
	"github.com/cc4dr/coalition/services/kit/auth"
)

// Client asks the membership service who sits on a body.
type Client struct {
	conn    *grpc.ClientConn
	client  membershipv1.MembershipServiceClient
	timeout time.Duration
}

// Dial prepares a client for addr (connected lazily); token is a bearer
// token with the SERVICE role.
func Dial(addr, token string) (*Client, error) {
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if token != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(auth.BearerToken(token)))
	}
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("membership client %s: %w", addr, err)
	}
	return &Client{conn: conn, client: membershipv1.NewMembershipServiceClient(conn), timeout: 5 * time.Second}, nil
}

// Close releases the connection.
func (c *Client) Close() error { return c.conn.Close() }

// BodyMembers lists the people sitting on body id, as invitees of that body.
// An unknown body is domain.ErrBodyNotFound; no answer at all is
// domain.ErrMembershipDown (nobody is invited blindly).
func (c *Client) BodyMembers(ctx context.Context, bodyID string) ([]domain.Invitee, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.client.ListBodyMembers(ctx, &membershipv1.ListBodyMembersRequest{BodyId: bodyID})
	switch status.Code(err) {
	case codes.OK:
	case codes.NotFound, codes.InvalidArgument:
		return nil, fmt.Errorf("%w: %s", domain.ErrBodyNotFound, bodyID)
	default:
		return nil, fmt.Errorf("%w: %v", domain.ErrMembershipDown, err)
	}
	out := make([]domain.Invitee, 0, len(resp.GetPeople()))
	for _, p := range resp.GetPeople() {
		if p.GetEmail() == "" {
			continue // nobody to write to
		}
		out = append(out, domain.Invitee{Name: p.GetName(), Email: p.GetEmail(), Language: p.GetLanguage(),
			TimeZone: p.GetTimeZone(), BodyID: bodyID, RepresentativeID: p.GetRepresentativeId()})
	}
	return out, nil
}
