#!/usr/bin/env bash
# `make test`: the whole suite, as CI runs it (CI=true).
#
#   1. the committed generated code matches a fresh generation (proto lint too)
#   2. gofmt and go vet over every module
#   3. unit, component and end-to-end tests of every module, against real
#      embedded NATS and the real embedded store (no mocks)
#
# It needs only Go; everything else comes from the Go module proxy.
# --lint-only stops after step 2.
set -euo pipefail
cd "$(dirname "$0")/.."

modules=(proto services/kit services/membership services/petition services/events services/notification services/gateway services/devstack)

command -v go >/dev/null || { echo "test: Go is required (https://go.dev/dl/)" >&2; exit 1; }
need=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.work)
have=$(go env GOVERSION | sed 's/^go//')
if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" != "$need" ]]; then
  echo "test: Go $need or newer is required, this is $have" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }

if [[ "${1:-}" != "--lint-only" ]]; then
  step "generated code is up to date"
  scripts/proto.sh --check
fi

step "gofmt"
unformatted=$(git ls-files -co --exclude-standard '*.go' | grep -v '\.pb\.go$' | grep -v '\.pb\.gw\.go$' | xargs -r gofmt -l)
if [[ -n "$unformatted" ]]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
for m in "${modules[@]}"; do (cd "$m" && go vet ./...); done
[[ "${1:-}" == "--lint-only" ]] && exit 0

step "tests"
# -race on everything: the kit is concurrent by nature (relay, consumers).
# One module after another; packages inside a module run in parallel.
status=0
for m in "${modules[@]}"; do
  (cd "$m" && go test -race -count=1 -timeout 10m ./...) || status=1
done
if [[ $status -ne 0 ]]; then
  echo; echo "test: FAILED"; exit 1
fi
echo; echo "test: all modules passed"
