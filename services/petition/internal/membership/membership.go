// Package membership asks the membership service, over gRPC, whether a city
// is already a member (LookupCity, a service-only method: calls carry the
// petition service's token).
package membership

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	"github.com/cc4dr/coalition/services/kit/auth"
	"github.com/cc4dr/coalition/services/petition/internal/domain"
)

// Client looks cities up in the membership register.
type Client struct {
	conn    *grpc.ClientConn
	client  membershipv1.MembershipServiceClient
	timeout time.Duration
}

// Dial prepares a client for addr (the connection is made lazily); token is
// a bearer token with the SERVICE role.
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

// CityJoined reports whether city (in country) is a member of the coalition.
// Any failure to get an answer is domain.ErrMembershipDown: a petition is
// never opened blindly.
func (c *Client) CityJoined(ctx context.Context, city, country string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.client.LookupCity(ctx, &membershipv1.LookupCityRequest{City: city, Country: country})
	if err != nil {
		return false, fmt.Errorf("%w: %v", domain.ErrMembershipDown, err)
	}
	m := resp.GetMember()
	if m == nil {
		return false, nil
	}
	isCity := m.GetKind() == membershipv1.MemberKind_MEMBER_KIND_CITY || m.GetKind() == membershipv1.MemberKind_MEMBER_KIND_CITY_NETWORK
	return isCity && m.GetStatus() == membershipv1.MemberStatus_MEMBER_STATUS_MEMBER, nil
}
