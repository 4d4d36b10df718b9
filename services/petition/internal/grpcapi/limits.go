package grpcapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/cc4dr/coalition/services/petition/internal/domain"
	"github.com/cc4dr/coalition/services/petition/internal/ratelimit"
)

// Limits bound what one network address and one email address may ask of
// the public write methods.
type Limits struct {
	PerIP    *ratelimit.Limiter
	PerEmail *ratelimit.Limiter
	// IPSalt salts the hash of network addresses stored with signatures.
	IPSalt []byte
}

// WithLimits sets the abuse limits.
func (s *Server) WithLimits(l Limits) *Server {
	s.limits = l
	return s
}

// clientIP is the caller's network address: the last x-forwarded-for entry
// (the gateway appends the address its client connected from; earlier
// entries are the client's word and could be anything), else the peer.
func clientIP(ctx context.Context) string {
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		if xff := md.Get("x-forwarded-for"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		if host, _, err := net.SplitHostPort(p.Addr.String()); err == nil {
			return host
		}
		return p.Addr.String()
	}
	return ""
}

// ipHash is the salted hash of a network address kept with a signature.
func (s *Server) ipHash(ip string) string {
	if ip == "" {
		return ""
	}
	h := sha256.New()
	h.Write(s.limits.IPSalt)
	h.Write([]byte(ip))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// limit takes one action for the caller's address and, if given, an email
// address; a refusal is ResourceExhausted (HTTP 429) saying when to retry.
func (s *Server) limit(ctx context.Context, email string) error {
	if ok, wait := s.limits.PerIP.Allow(clientIP(ctx)); !ok {
		return exhausted("too many requests from your network address", wait)
	}
	if email != "" {
		if ok, wait := s.limits.PerEmail.Allow(domain.NormalizeEmail(email)); !ok {
			return exhausted("too many requests for this email address", wait)
		}
	}
	return nil
}

func exhausted(what string, wait time.Duration) error {
	wait = wait.Round(time.Second)
	if wait < time.Second {
		wait = time.Second
	}
	st, err := status.New(codes.ResourceExhausted, fmt.Sprintf("%s; try again in %s (Retry-After: %d)", what, wait, int(wait.Seconds()))).
		WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(wait)})
	if err != nil {
		return status.Error(codes.ResourceExhausted, what)
	}
	return st.Err()
}
