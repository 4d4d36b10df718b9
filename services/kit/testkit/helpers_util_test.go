package testkit_test

import (
	"context"

	"google.golang.org/grpc"
)

type serveFunc func(ctx context.Context) error

func (f serveFunc) Run(ctx context.Context) error { return f(ctx) }

func waitForReady() grpc.CallOption { return grpc.WaitForReady(true) }
