package grpcserver

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"
	"time"

	"buf.build/go/protovalidate"
	"go.uber.org/zap"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/cc4dr/coalition/services/kit/mongodb"
)

func recoverUnary(log *zap.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic in handler", zap.String("method", info.FullMethod), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
				err = status.Error(codes.Internal, "internal error")
			}
		}()
		return handler(ctx, req)
	}
}

func recoverStream(log *zap.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic in stream handler", zap.String("method", info.FullMethod), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
				err = status.Error(codes.Internal, "internal error")
			}
		}()
		return handler(srv, ss)
	}
}

// logUnary logs each call's method, code and duration — never its payload.
func logUnary(log *zap.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		code := status.Code(err)
		fields := []zap.Field{zap.String("method", info.FullMethod), zap.String("code", code.String()), zap.Duration("duration", time.Since(start))}
		switch code {
		case codes.OK, codes.InvalidArgument, codes.NotFound, codes.AlreadyExists, codes.FailedPrecondition,
			codes.Unauthenticated, codes.PermissionDenied, codes.ResourceExhausted, codes.Canceled:
			log.Debug("grpc call", fields...)
		default:
			log.Warn("grpc call failed", append(fields, zap.String("error", status.Convert(err).Message()))...)
		}
		return resp, err
	}
}

// validateUnary checks the request against its protovalidate rules and
// answers InvalidArgument with one BadRequest field violation per problem.
func validateUnary(v protovalidate.Validator) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		msg, ok := req.(proto.Message)
		if !ok {
			return handler(ctx, req)
		}
		if err := v.Validate(msg); err != nil {
			return nil, ValidationStatus(err).Err()
		}
		return handler(ctx, req)
	}
}

// ValidationStatus turns a protovalidate error into an InvalidArgument status
// with field violations.
func ValidationStatus(err error) *status.Status {
	var verr *protovalidate.ValidationError
	if !errors.As(err, &verr) {
		return status.New(codes.InvalidArgument, "invalid request: "+err.Error())
	}
	br := &errdetails.BadRequest{}
	for _, v := range verr.Violations {
		field := protovalidate.FieldPathString(v.Proto.GetField())
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{
			Field:       field,
			Description: v.Proto.GetMessage(),
			Reason:      v.Proto.GetRuleId(),
		})
	}
	return FieldViolations(br.FieldViolations...)
}

// FieldViolations builds an InvalidArgument status for domain checks that
// go beyond the proto rules, in the same shape as validation errors.
func FieldViolations(violations ...*errdetails.BadRequest_FieldViolation) *status.Status {
	msgs := make([]string, 0, len(violations))
	for _, v := range violations {
		msgs = append(msgs, v.GetField()+": "+v.GetDescription())
	}
	st := status.New(codes.InvalidArgument, "invalid request: "+strings.Join(msgs, "; "))
	if withDetails, err := st.WithDetails(&errdetails.BadRequest{FieldViolations: violations}); err == nil {
		return withDetails
	}
	return st
}

// mapErrorsUnary turns errors that are not already gRPC statuses into one:
// a store or broker outage is Unavailable (clients may retry), a deadline is
// DeadlineExceeded, anything else Internal with the detail logged, not sent.
func mapErrorsUnary(log *zap.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err == nil {
			return resp, nil
		}
		if _, ok := status.FromError(err); ok {
			return resp, err
		}
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			return nil, status.Error(codes.DeadlineExceeded, "deadline exceeded")
		case errors.Is(err, context.Canceled):
			return nil, status.Error(codes.Canceled, "canceled")
		case mongodb.IsUnavailable(err):
			log.Warn("store unavailable", zap.String("method", info.FullMethod), zap.Error(err))
			return nil, status.Error(codes.Unavailable, "the service's database is unavailable; try again shortly")
		default:
			log.Error("internal error", zap.String("method", info.FullMethod), zap.Error(err))
			return nil, status.Error(codes.Internal, "internal error")
		}
	}
}
