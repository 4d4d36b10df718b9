#!/usr/bin/env bash
# Regenerates the Go code and the OpenAPI document from proto/.
#
# Tools come from the Go module proxy at the versions pinned below; the two
# third-party .proto inputs are read from the Go module cache. Nothing is
# fetched from a schema registry or a remote plugin.
#
#   scripts/proto.sh          lint and regenerate
#   scripts/proto.sh --check  regenerate into a scratch copy and fail if the
#                             committed code differs (used by `make test`)
set -euo pipefail

BUF_VERSION=v1.75.0
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
GRPC_GATEWAY_VERSION=v2.33.0
# Inputs read from the module cache.
PROTOVALIDATE_PROTO_VERSION=v1.2.2 # github.com/bufbuild/protovalidate
GOOGLEAPIS_PROTO_VERSION=v1.16.0   # github.com/grpc-ecosystem/grpc-gateway (third_party/googleapis)

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.bin"
mkdir -p "$bin"
export GOBIN="$bin" PATH="$bin:$PATH" GOFLAGS=-mod=mod GOWORK=off

install() { # install <binary> <package@version>
  local name=$1 pkg=$2 stamp="$bin/.$1.version"
  if [[ -x "$bin/$name" && "$(cat "$stamp" 2>/dev/null)" == "$pkg" ]]; then return; fi
  (cd /tmp && go install "$pkg")
  echo "$pkg" >"$stamp"
}
install buf github.com/bufbuild/buf/cmd/buf@$BUF_VERSION
install protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION
install protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION
install protoc-gen-grpc-gateway github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@$GRPC_GATEWAY_VERSION
install protoc-gen-openapiv2 github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@$GRPC_GATEWAY_VERSION

moddir() { # moddir <module@version>: its folder in the module cache, downloading it if needed
  (cd /tmp && go mod download -json "$1") | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# stage copies proto/ (sources only) and the third-party inputs into $1.
stage() {
  local dst=$1
  mkdir -p "$dst"
  [[ "$dst" == "$root/proto" ]] || (cd "$root/proto" && find . -name '*.proto' -not -path './.deps/*' -print0 | tar --null -T - -cf -) | tar -xf - -C "$dst"
  [[ "$dst" == "$root/proto" ]] || cp "$root/proto/buf.yaml" "$root/proto/buf.gen.yaml" "$dst/"
  local pv gw gw2
  pv=$(moddir github.com/bufbuild/protovalidate@$PROTOVALIDATE_PROTO_VERSION)
  gw=$(moddir github.com/grpc-ecosystem/grpc-gateway@$GOOGLEAPIS_PROTO_VERSION)
  gw2=$(moddir github.com/grpc-ecosystem/grpc-gateway/v2@$GRPC_GATEWAY_VERSION)
  mkdir -p "$dst/.deps/buf/validate" "$dst/.deps/google/api" "$dst/.deps/protoc-gen-openapiv2/options"
  cp "$gw2/protoc-gen-openapiv2/options/annotations.proto" "$gw2/protoc-gen-openapiv2/options/openapiv2.proto" "$dst/.deps/protoc-gen-openapiv2/options/"
  cp "$pv/proto/protovalidate/buf/validate/validate.proto" "$dst/.deps/buf/validate/"
  cp "$gw/third_party/googleapis/google/api/annotations.proto" "$gw/third_party/googleapis/google/api/http.proto" "$dst/.deps/google/api/"
  chmod -R u+w "$dst/.deps"
}

generate() { # generate <dir>
  (cd "$1" && buf lint && buf generate)
}

if [[ "${1:-}" == "--check" ]]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  stage "$scratch"
  generate "$scratch"
  # Compare every generated file both ways.
  status=0
  while IFS= read -r f; do
    if ! cmp -s "$scratch/$f" "$root/proto/$f"; then echo "proto: $f differs from a fresh generation"; status=1; fi
  done < <(cd "$scratch" && find . \( -name '*.pb.go' -o -name '*.pb.gw.go' -o -name '*.swagger.json' \) | sort)
  while IFS= read -r f; do
    [[ -e "$scratch/$f" ]] || { echo "proto: $f is committed but no longer generated"; status=1; }
  done < <(cd "$root/proto" && find . \( -name '*.pb.go' -o -name '*.pb.gw.go' -o -name '*.swagger.json' \) -not -path './.deps/*' | sort)
  if [[ $status -ne 0 ]]; then echo "run 'make proto' and commit the result"; exit 1; fi
  echo "proto: generated code is up to date"
  exit 0
fi

rm -rf "$root/proto/.deps"
stage "$root/proto"
find "$root/proto" \( -name '*.pb.go' -o -name '*.pb.gw.go' -o -name '*.swagger.json' \) -not -path '*/.deps/*' -delete
generate "$root/proto"
echo "proto: regenerated"
