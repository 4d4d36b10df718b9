package auth

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
)

type claimsKey struct{}

// FromContext returns the caller's verified claims, if the call carried a token.
func FromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok
}

// WithClaims returns ctx carrying claims (tests and in-process callers).
func WithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// openService reports the infrastructure services that are not part of our
// contracts and are open to anyone who can reach the port (probes, tooling).
func openService(name string) bool {
	switch name {
	case "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection":
		return true
	}
	return false
}

// AccessOf returns the access a gRPC method ("/pkg.Service/Method") declares.
func AccessOf(fullMethod string) (optionsv1.Access, bool) {
	svc, method, ok := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	if !ok {
		return optionsv1.Access_ACCESS_UNSPECIFIED, false
	}
	if openService(svc) {
		return optionsv1.Access_ACCESS_PUBLIC, true
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc + "." + method))
	if err != nil {
		return optionsv1.Access_ACCESS_UNSPECIFIED, false
	}
	md, ok := d.(protoreflect.MethodDescriptor)
	if !ok {
		return optionsv1.Access_ACCESS_UNSPECIFIED, false
	}
	access, _ := proto.GetExtension(md.Options(), optionsv1.E_Access).(optionsv1.Access)
	return access, access != optionsv1.Access_ACCESS_UNSPECIFIED
}

// Allowed reports whether claims (nil for an anonymous caller) satisfy access.
func Allowed(access optionsv1.Access, c *Claims) bool {
	if access == optionsv1.Access_ACCESS_PUBLIC {
		return true
	}
	if c == nil {
		return false
	}
	switch access {
	case optionsv1.Access_ACCESS_COORDINATOR:
		return c.Role == optionsv1.Role_ROLE_COORDINATOR
	case optionsv1.Access_ACCESS_SERVICE:
		return c.Role == optionsv1.Role_ROLE_SERVICE || c.Role == optionsv1.Role_ROLE_COORDINATOR
	case optionsv1.Access_ACCESS_REPRESENTATIVE:
		return c.Role == optionsv1.Role_ROLE_REPRESENTATIVE || c.Role == optionsv1.Role_ROLE_COORDINATOR
	default:
		return false
	}
}

// UnaryInterceptor authenticates the bearer token (if any) and enforces the
// method's declared access. Verified claims are put in the context.
func UnaryInterceptor(v *Verifier) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, err := authorize(ctx, v, info.FullMethod)
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

// StreamInterceptor is UnaryInterceptor for streaming methods.
func StreamInterceptor(v *Verifier) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if _, err := authorize(ss.Context(), v, info.FullMethod); err != nil {
			return err
		}
		return handler(srv, ss)
	}
}

func authorize(ctx context.Context, v *Verifier, fullMethod string) (context.Context, error) {
	access, declared := AccessOf(fullMethod)
	if !declared {
		return ctx, status.Errorf(codes.PermissionDenied, "%s declares no access; refused", fullMethod)
	}
	claims, err := fromMetadata(ctx, v)
	if err != nil {
		return ctx, err
	}
	if !Allowed(access, claims) {
		if claims == nil {
			return ctx, status.Error(codes.Unauthenticated, "this method needs a bearer token")
		}
		return ctx, status.Errorf(codes.PermissionDenied, "role %s may not call %s", claims.Role, fullMethod)
	}
	if claims != nil {
		ctx = WithClaims(ctx, claims)
	}
	return ctx, nil
}

func fromMetadata(ctx context.Context, v *Verifier) (*Claims, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	values := md.Get("authorization")
	if len(values) == 0 {
		return nil, nil
	}
	token, ok := strings.CutPrefix(values[0], "Bearer ")
	if !ok {
		return nil, status.Error(codes.Unauthenticated, "authorization must be 'Bearer <token>'")
	}
	if v == nil {
		return nil, status.Error(codes.Unauthenticated, "this server accepts no tokens")
	}
	claims, err := v.Verify(token)
	if err != nil {
		return nil, status.Error(codes.Unauthenticated, "invalid or expired token")
	}
	return claims, nil
}

// BearerToken is gRPC per-call credentials carrying a fixed token, for
// service-to-service calls.
type BearerToken string

// GetRequestMetadata implements credentials.PerRPCCredentials.
func (t BearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	if t == "" {
		return nil, nil
	}
	return map[string]string{"authorization": "Bearer " + string(t)}, nil
}

// RequireTransportSecurity implements credentials.PerRPCCredentials; inside
// the cluster the mesh or network policy protects the hop.
func (BearerToken) RequireTransportSecurity() bool { return false }
