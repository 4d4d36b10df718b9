#!/usr/bin/env bash
# `make test`: the whole suite, as CI runs it (CI=true).
#
#   1. the committed generated code matches a fresh generation (proto lint too)
#   2. gofmt and go vet over every module
#   3. unit, component and end-to-end tests of every module, against real
#      embedded NATS and the real embedded store (no mocks)
#
# It needs only Go; everything else comes from the Go module proxy, except
# what the browser tests use: Debian's chromium (installed with apt-get when
# missing) and axe-core (npm, pinned). On CI both are required; elsewhere the
# browser tests are skipped, with a warning, when they cannot be installed.
# --lint-only stops after step 2.
set -euo pipefail
cd "$(dirname "$0")/.."

modules=(proto services/kit services/membership services/petition services/events services/notification services/gateway services/devstack deploy/validate scripts/loadgen)

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

step "browser test dependencies (services/devstack/browser)"
# Debian's Chromium, and axe-core (the accessibility rules the browser tests
# inject into the pages) from the npm registry at a pinned version. Nothing
# else is downloaded: no browser from anywhere but the distribution.
axe_version=4.14.1
chromium=/usr/bin/chromium
if [[ ! -x $chromium ]]; then
  install=(apt-get install -y --no-install-recommends chromium fonts-dejavu-core)
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo -n); else sudo=(false); fi
  if command -v apt-get >/dev/null && [[ ${sudo[0]:-} != false ]]; then
    echo "installing Debian's chromium: ${sudo[*]:+${sudo[*]} }apt-get update && ${sudo[*]:+${sudo[*]} }${install[*]}"
    { "${sudo[@]}" apt-get update -q && "${sudo[@]}" "${install[@]}"; } || echo "test: installing chromium failed" >&2
  else
    echo "test: cannot install chromium here (needs apt-get, and root or sudo)" >&2
  fi
fi
if [[ -x $chromium ]]; then
  echo "chromium: $("$chromium" --version 2>/dev/null | head -1)"
  export COALITION_CHROMIUM=$chromium
elif [[ "${CI:-}" == "true" ]]; then
  echo "test: FAILED: $chromium is missing, and the browser tests must run on CI" >&2
  exit 1
else
  echo "test: WARNING: no $chromium, so the browser tests will be SKIPPED (install Debian's chromium to run them)" >&2
fi
axe_dir=${XDG_CACHE_HOME:-$HOME/.cache}/coalition/axe-core-$axe_version
axe_js=$axe_dir/node_modules/axe-core/axe.min.js
if [[ ! -f $axe_js ]]; then
  if command -v npm >/dev/null; then
    echo "installing axe-core@$axe_version into $axe_dir"
    mkdir -p "$axe_dir"
    npm install --prefix "$axe_dir" --no-audit --no-fund --ignore-scripts --loglevel=error "axe-core@$axe_version" \
      || echo "test: installing axe-core failed" >&2
  else
    echo "test: no npm, so axe-core cannot be installed" >&2
  fi
fi
if [[ -f $axe_js ]]; then
  echo "axe-core: $axe_js"
  export COALITION_AXE_JS=$axe_js
elif [[ "${CI:-}" == "true" ]]; then
  echo "test: FAILED: axe-core is missing, and the accessibility check must run on CI" >&2
  exit 1
else
  echo "test: WARNING: no axe-core, so the browser accessibility check will be SKIPPED" >&2
fi

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
