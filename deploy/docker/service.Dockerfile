# One image per service: docker build --build-arg SERVICE=petition -f deploy/docker/service.Dockerfile .
# Static binary, distroless runtime, non-root.
FROM golang:1.26-bookworm AS build
ARG SERVICE
WORKDIR /src
COPY go.work go.work.sum ./
COPY proto/ proto/
COPY services/ services/
RUN --mount=type=cache,target=/root/go/pkg/mod \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/service ./services/${SERVICE}/cmd/${SERVICE}

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/service /service
USER nonroot:nonroot
ENTRYPOINT ["/service"]
