# The README's commands. Everything runs from a fresh clone: tools come from
# the Go module proxy at pinned versions (see scripts/).

MODULES := proto services/kit services/membership services/petition services/events services/notification services/gateway services/devstack deploy/validate scripts/loadgen
SERVICES := membership petition events notification gateway
BIN := .bin

.PHONY: run reset test e2e proto proto-check lint fmt build deploy-check bench help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: ## build and start the whole platform on embedded defaults (Ctrl-C stops it)
	@go build -o $(BIN)/devstack ./services/devstack/cmd/devstack
	@exec $(BIN)/devstack $(ARGS)

reset: ## delete the local data of `make run` (store, JetStream, mail, dev keys)
	rm -rf $${COALITION_DATA_DIR:-.data}

test: ## every test: generated code check, vet, format, unit, component, end-to-end
	@scripts/test.sh

bench: ## load test the signing path (concurrency 8, 32, 128, then paced at 50 and 100 sig/s; 20 s each), then the email pipeline, into bench/results.{md,json}; flags via BENCH_ARGS, MAIL_BENCH_ARGS
	cd scripts/loadgen && go run . -out ../../bench $(BENCH_ARGS)
	cd scripts/loadgen && go run ./mailbench -out ../../bench $(MAIL_BENCH_ARGS)

e2e: ## only the end-to-end tests (whole platform in process)
	cd services/devstack && go test -count=1 ./e2e/

proto: ## regenerate Go code and the OpenAPI document from proto/
	@scripts/proto.sh

proto-check: ## fail if the committed generated code differs from a fresh generation
	@scripts/proto.sh --check

lint: ## gofmt and go vet over every module
	@scripts/test.sh --lint-only

fmt: ## format every Go file
	gofmt -w $$(git ls-files '*.go' | grep -v '\.pb\.go$$' | grep -v '\.pb\.gw\.go$$')

deploy-check: ## validate docker-compose.yml, the Dockerfiles and deploy/k8s without Docker or a cluster
	cd deploy/validate && go test -count=1 ./...

build: ## build every service binary into .bin/
	@for s in $(SERVICES); do go build -o $(BIN)/$$s ./services/$$s/cmd/$$s || exit 1; done
	@go build -o $(BIN)/devstack ./services/devstack/cmd/devstack
	@ls $(BIN)
