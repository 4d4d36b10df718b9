package grpcserver_test

import (
	"context"

	"google.golang.org/grpc/metadata"
)

func metadataCtx(authorization string) context.Context {
	return metadata.NewOutgoingContext(context.Background(), metadata.Pairs("authorization", authorization))
}
