# Build, test and smoke-test the otelcol-aind OpenTelemetry Collector
# distribution (AIND JSON logs -> Grafana Loki).

GO          ?= go
OCB_VERSION ?= v0.165.0
OCB         ?= $(shell $(GO) env GOPATH)/bin/builder
# Flags for `go test` in the root module (`make test GOTEST_FLAGS=` drops
# -race). The race detector needs cgo, which Go turns off where it finds no C
# compiler: there the tests run without it and say so, except under
# AIND_TEST_STRICT=1 (CI), where that is a failure.
CGO_ON       := $(shell $(GO) env CGO_ENABLED 2>/dev/null)
GOTEST_FLAGS ?= $(if $(filter 1,$(CGO_ON)),-race)

DIST_DIR   := otelcol-dev
BUILD_DIR  := build
OTELCOL    := $(BUILD_DIR)/otelcol-aind
RUN_CONFIG ?= config/standalone.yaml

# Dummy values for the environment variables the configs require, so that
# `make test` can validate them without any external service.
VALIDATE_ENV := LOKI_OTLP_ENDPOINT=http://localhost:3100/otlp AIND_GATEWAY_TOKENS_FILE=aindauth/testdata/tokens.yaml

.DEFAULT_GOAL := build

# Grafana Loki for the integration tests, built from the tools module
# tools/loki. The binary is cached outside the work tree, keyed by the tools
# module's go.mod/go.sum and the Go version, so a fresh clone on the same
# machine reuses it; the first build takes about 11 minutes.
LOKI        := $(BUILD_DIR)/loki
LOKI_CACHE  ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/otelcol-aind/loki
LOKI_KEY     = $(shell cat tools/loki/go.mod tools/loki/go.sum | sha256sum | cut -c1-16)-$(shell $(GO) env GOVERSION)
PROMTAIL_PUSH     := $(BUILD_DIR)/promtail-push
PROMTAIL_PUSH_KEY  = $(shell cat tools/promtail/go.mod tools/promtail/go.sum tools/promtail/*.go | sha256sum | cut -c1-16)-$(shell $(GO) env GOVERSION)

.PHONY: ocb generate build run test test-go validate-configs check-generated \
	smoke fmt fmt-check vet clean loki promtail-push test-integration fuzz reliability reliability-short \
	build-windows vet-windows smoke-windows

## ocb: install the OpenTelemetry Collector Builder $(OCB_VERSION) if missing or another version
ocb:
	@if [ -x "$(OCB)" ] && [ "$$("$(OCB)" version 2>&1)" = "ocb version $(OCB_VERSION)" ]; then \
		echo "ocb $(OCB_VERSION) present at $(OCB)"; \
	else \
		echo "installing ocb $(OCB_VERSION) into $(dir $(OCB))"; \
		GOBIN="$(abspath $(dir $(OCB)))" $(GO) install go.opentelemetry.io/collector/cmd/builder@$(OCB_VERSION); \
	fi

## generate: (re)generate the committed sources in otelcol-dev/ from builder-config.yaml
# ocb generates the components; its main.go is replaced by aindcli/main.go.tmpl,
# which adds the run subcommand (aindcli/README.md), and the module is tidied
# for the new main.go's imports.
generate: ocb
	$(OCB) --config builder-config.yaml --skip-compilation
	sed 's/@VERSION@/$(VERSION)/' aindcli/main.go.tmpl > $(DIST_DIR)/main.go
	cd $(DIST_DIR) && $(GO) mod tidy
	gofmt -w $(DIST_DIR)

## build: generate, then compile build/otelcol-aind
build: generate
	@mkdir -p $(BUILD_DIR)
	cd $(DIST_DIR) && $(GO) build -trimpath -ldflags="-s -w" -o ../$(OTELCOL) .

## build-windows: generate, then cross-compile build/otelcol-aind.exe for windows/amd64 (pure Go, no cgo)
OTELCOL_EXE := $(BUILD_DIR)/otelcol-aind.exe

build-windows: generate
	@mkdir -p $(BUILD_DIR)
	cd $(DIST_DIR) && CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags="-s -w" -o ../$(OTELCOL_EXE) .

## vet-windows: go vet the root module as it compiles for windows/amd64
vet-windows:
	GOOS=windows GOARCH=amd64 $(GO) vet ./...

## smoke-windows: run build/otelcol-aind.exe under wine64 on Windows paths and CRLF logs and check its output (needs wine64 and mingw-w64: scripts/windows-smoke.sh)
smoke-windows: build-windows
	GO="$(GO)" OTELCOL_EXE="$(OTELCOL_EXE)" scripts/windows-smoke.sh

## run: build, then run the collector with config/standalone.yaml (needs no Loki)
run: build
	$(OTELCOL) --config $(RUN_CONFIG)

## test: unit tests of the root module and validation of every config/*.yaml
test: test-go validate-configs

test-go:
	@if [ "$(CGO_ON)" != 1 ]; then \
		msg="cgo is off (no C compiler): the tests run without -race; install Debian's gcc to run them with it"; \
		if [ "$$AIND_TEST_STRICT" = 1 ]; then echo "$$msg (AIND_TEST_STRICT=1: CI must race-test)" >&2; exit 1; fi; \
		echo "$$msg"; \
	fi
	$(GO) test $(GOTEST_FLAGS) ./...

validate-configs: build
	@set -e; for f in config/*.yaml; do \
		echo "validate $$f"; \
		env $(VALIDATE_ENV) $(OTELCOL) validate --config "$$f"; \
	done

## loki: build Grafana Loki (tools/loki) into build/loki, reusing the cached build while it is current
loki:
	@mkdir -p $(BUILD_DIR) $(LOKI_CACHE)
	@cached="$(LOKI_CACHE)/loki-$(LOKI_KEY)"; \
	if [ ! -x "$$cached" ]; then \
		echo "building Loki into $$cached (the first build takes about 11 minutes)"; \
		start=$$(date +%s); \
		(cd tools/loki && $(GO) build -trimpath -ldflags="-s -w" -o "$$cached.tmp" github.com/grafana/loki/v3/cmd/loki) && \
		mv "$$cached.tmp" "$$cached" && \
		echo "Loki built in $$(( $$(date +%s) - start )) s"; \
	else \
		echo "reusing cached Loki $$cached"; \
	fi; \
	cp "$$cached" $(LOKI)
	@$(LOKI) -version | head -1

## promtail-push: build Promtail's Loki client as a command (tools/promtail), cached like Loki
promtail-push:
	@mkdir -p $(BUILD_DIR) $(LOKI_CACHE)
	@cached="$(LOKI_CACHE)/promtail-push-$(PROMTAIL_PUSH_KEY)"; \
	if [ ! -x "$$cached" ]; then \
		echo "building promtail-push into $$cached"; \
		(cd tools/promtail && $(GO) build -trimpath -ldflags="-s -w" -o "$$cached.tmp" .) && mv "$$cached.tmp" "$$cached"; \
	else \
		echo "reusing cached promtail-push $$cached"; \
	fi; \
	cp "$$cached" $(PROMTAIL_PUSH)

## helm: build the Helm CLI (tools/helm) into build/helm, cached like Loki
HELM       := $(BUILD_DIR)/helm
HELM_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/otelcol-aind/helm
HELM_KEY    = $(shell cat tools/helm/go.mod tools/helm/go.sum | sha256sum | cut -c1-16)-$(shell $(GO) env GOVERSION)
HELM_CHART := deploy/helm/otelcol-aind

.PHONY: helm helm-check

helm:
	@mkdir -p $(BUILD_DIR) $(HELM_CACHE)
	@cached="$(HELM_CACHE)/helm-$(HELM_KEY)"; \
	if [ ! -x "$$cached" ]; then \
		echo "building helm into $$cached"; \
		start=$$(date +%s); \
		(cd tools/helm && $(GO) build -trimpath -ldflags="-s -w" -o "$$cached.tmp" helm.sh/helm/v3/cmd/helm) && \
		mv "$$cached.tmp" "$$cached" && \
		echo "helm built in $$(( $$(date +%s) - start )) s"; \
	else \
		echo "reusing cached helm $$cached"; \
	fi; \
	cp "$$cached" $(HELM)
	@$(HELM) version --short

## helm-check: lint the chart in both modes and decode its rendered manifests strictly (tools/helmcheck)
# Lint with the values each mode requires: lint treats a missing required
# value as information, which would leave templates unrendered.
HELM_LINT_SETS := --set lokiOtlpEndpoint=http://loki:3100/otlp --set gateway.auth.existingSecret=tokens

helm-check: helm build
	$(HELM) lint --strict $(HELM_CHART) --set mode=gateway $(HELM_LINT_SETS)
	$(HELM) lint --strict $(HELM_CHART) --set mode=agent $(HELM_LINT_SETS)
	cd tools/helmcheck && HELM_BIN=$(abspath $(HELM)) CHART_DIR=$(abspath $(HELM_CHART)) \
		OTELCOL_BIN=$(abspath $(OTELCOL)) CONFIG_DIR=$(abspath config) $(GO) test -count=1 ./...

## test-integration: run the collector against a real Loki on 127.0.0.1 (builds them first)
test-integration: build loki promtail-push
	LOKI_BIN=$(abspath $(LOKI)) OTELCOL_BIN=$(abspath $(OTELCOL)) PROMTAIL_PUSH_BIN=$(abspath $(PROMTAIL_PUSH)) \
		$(GO) test -tags integration -count=1 -timeout 20m -v ./integration/

## check-generated: fail if otelcol-dev/ differs from what builder-config.yaml generates
check-generated: generate check-version
	@git diff --exit-code -- $(DIST_DIR) || { \
		echo "otelcol-dev/ is out of date: run 'make generate' and commit the result" >&2; exit 1; }
	@untracked="$$(git status --porcelain --untracked-files=all -- $(DIST_DIR))"; \
	if [ -n "$$untracked" ]; then \
		echo "$$untracked"; \
		echo "otelcol-dev/ has uncommitted or untracked files: run 'make generate' and commit the result" >&2; \
		exit 1; \
	fi
	@echo "otelcol-dev/ is up to date"

## smoke: run the built collector on testdata/*.jsonl and check its output
smoke: build
	GO="$(GO)" OTELCOL="$(OTELCOL)" scripts/smoke.sh

## bench-peer: build build/otelcol-peer, the stock contrib pipeline of the end-to-end benchmark (bench/peer; its generated sources are not committed)
PEER_DIR := bench/peer/otelcol-peer
PEER     := $(BUILD_DIR)/otelcol-peer

.PHONY: bench-peer bench-samecheck

bench-peer: ocb
	cd bench/peer && $(OCB) --config builder-config.yaml --skip-compilation
	gofmt -w $(PEER_DIR)
	@mkdir -p $(BUILD_DIR)
	cd $(PEER_DIR) && $(GO) build -trimpath -ldflags="-s -w" -o $(abspath $(PEER)) .

## bench-samecheck: check that ours (bench/ours.yaml) and the peer produce the same records (SAMECHECK_INCLUDE=glob to use other input)
bench-samecheck: build bench-peer
	GO="$(GO)" OTELCOL="$(OTELCOL)" PEER="$(PEER)" bench/samecheck.sh

# End-to-end benchmark (bench/README.md): the harness tools of bench/harness,
# a generated corpus, and benchrun measuring ours, the peer and the physical
# reference. BENCHRUN_FLAGS passes more flags to benchrun (e.g. -strict).
BENCH_LINES    ?= 2000000
BENCH_RUNS     ?= 3
BENCH_DIR      := $(BUILD_DIR)/bench
BENCH_CORPUS   := $(BENCH_DIR)/corpus.jsonl
BENCHRUN_FLAGS ?=

.PHONY: bench bench-tools bench-corpus bench-scaling bench-smoke bench-run

bench-tools:
	@mkdir -p $(BENCH_DIR)
	cd bench/harness && $(GO) build -trimpath -o $(abspath $(BENCH_DIR))/ ./cmd/corpusgen ./cmd/physref ./cmd/benchrun ./cmd/printjob

# The corpus is regenerated when missing, when BENCH_LINES changed (the
# .lines stamp) or when older than a day: its timestamps must stay recent.
bench-corpus: bench-tools
	@if [ ! -f $(BENCH_CORPUS) ] || [ "$$(cat $(BENCH_CORPUS).lines 2>/dev/null)" != "$(BENCH_LINES)" ] || \
		[ -n "$$(find $(BENCH_CORPUS) -mmin +1440)" ]; then \
		rm -f $(BENCH_CORPUS).lines; \
		$(BENCH_DIR)/corpusgen -lines $(BENCH_LINES) -out $(BENCH_CORPUS) && echo $(BENCH_LINES) > $(BENCH_CORPUS).lines; \
	else echo "reusing $(BENCH_CORPUS) ($(BENCH_LINES) lines)"; fi

## bench: ours vs the stock contrib peer vs the physical reference on BENCH_LINES lines, BENCH_RUNS runs each (results also in build/bench/results.md)
bench: build bench-peer bench-corpus
	$(BENCH_DIR)/benchrun -corpus $(BENCH_CORPUS) -runs $(BENCH_RUNS) -ours $(OTELCOL) -checkpoints bench/checkpoints.yaml \
		-peer $(PEER) -require-peer -physref $(BENCH_DIR)/physref -md $(BENCH_DIR)/results.md $(BENCHRUN_FLAGS)

## bench-smoke: the benchmark tools' tests, the comparison modules' tests (their README verdicts) and benchmarks once, one short run of ours and the physical reference, one of the shipped configs, bench/export once, and the run mode once on 20k lines (CI: no peer build)
bench-smoke: build bench-tools
	cd bench/harness && $(GO) test ./...
	cd bench/pickle && $(GO) test -bench . -benchtime 1x ./...
	cd bench/redaction && $(GO) test -bench . -benchtime 1x ./...
	@mkdir -p $(BENCH_DIR)/smoke
	$(BENCH_DIR)/corpusgen -lines 20000 -out $(BENCH_DIR)/smoke/corpus.jsonl
	$(BENCH_DIR)/benchrun -corpus $(BENCH_DIR)/smoke/corpus.jsonl -runs 1 -ours $(OTELCOL) -checkpoints bench/checkpoints.yaml \
		-peer '' -physref $(BENCH_DIR)/physref -decoders goccy
	$(BENCH_DIR)/benchrun -mode shipped -shipped-targets agent,gateway -corpus $(BENCH_DIR)/smoke/corpus.jsonl -runs 1 -ours $(OTELCOL)
	cd bench/export && BENCH_CORPUS=$(abspath $(BENCH_DIR))/smoke/corpus.jsonl $(GO) test -run '^$$' -bench . -benchtime 1x ./...
	$(BENCH_DIR)/benchrun -mode run -runs 1 -run-lines 20000 -ours $(OTELCOL) -printjob $(BENCH_DIR)/printjob

## bench-shipped: config/capsule-agent.yaml, config/gateway.yaml and the stock contrib peer doing the agent's job, as users run them, exporting over otlp_http to a sink (results also in build/bench/shipped.md)
.PHONY: bench-shipped
bench-shipped: build bench-peer bench-corpus
	$(BENCH_DIR)/benchrun -mode shipped -corpus $(BENCH_CORPUS) -runs $(BENCH_RUNS) -ours $(OTELCOL) -peer $(PEER) \
		-md $(BENCH_DIR)/shipped.md $(BENCHRUN_FLAGS)

## bench-run: a job printing BENCH_RUN_LINES lines of 100 B under otelcol-aind run (backend up and down) against it redirected to a file, BENCH_RUNS rounds interleaved; medians, ratios (PASS/FAIL against 1.1x) and the collector's CPU per line, console path vs file path (results also in build/bench/run.md)
BENCH_RUN_LINES ?= 1000000
bench-run: build bench-tools
	$(BENCH_DIR)/benchrun -mode run -runs $(BENCH_RUNS) -run-lines $(BENCH_RUN_LINES) -ours $(OTELCOL) -printjob $(BENCH_DIR)/printjob \
		-md $(BENCH_DIR)/run.md $(BENCHRUN_FLAGS)

## bench-scaling: ours with 1/10/100 files tailed at once, a 2 GiB backlog and 1,000 idle files (results also in build/bench/scaling.md)
bench-scaling: build bench-corpus
	$(BENCH_DIR)/benchrun -mode scaling -corpus $(BENCH_CORPUS) -runs $(BENCH_RUNS) -scaling-lines $(BENCH_LINES) \
		-ours $(OTELCOL) -scaling-dir $(BENCH_DIR)/scaling -md $(BENCH_DIR)/scaling.md $(BENCHRUN_FLAGS)

## bench-curves: ours' cost against line size, fields per line and lines with a secret (into nop), and the gateway against 1/8/64 clients (results also in build/bench/curves.md)
.PHONY: bench-curves
bench-curves: build bench-tools
	$(BENCH_DIR)/benchrun -mode curves -runs $(BENCH_RUNS) -ours $(OTELCOL) -curves-dir $(BENCH_DIR)/curves \
		-md $(BENCH_DIR)/curves.md $(BENCHRUN_FLAGS)

## reliability: the reliability scenarios (crash, rotation, Loki outage, overload, hostile input, secrets) at full size, then their figures as one table
reliability: build loki
	GO="$(GO)" scripts/reliability.sh

## reliability-short: the same scenarios scaled down (CI)
reliability-short: build loki
	GO="$(GO)" RELIABILITY_SHORT=1 scripts/reliability.sh

## fuzz: run every fuzz target for FUZZTIME each (default 1m), one after the other; logs in build/fuzz
FUZZTIME ?= 1m
fuzz:
	GO="$(GO)" FUZZTIME="$(FUZZTIME)" scripts/fuzz.sh

## fmt: gofmt every Go file; fmt-check: fail if any is not gofmt-clean
fmt:
	gofmt -w .

fmt-check:
	@files="$$(gofmt -l .)"; if [ -n "$$files" ]; then \
		echo "not gofmt-clean (run 'make fmt'):" >&2; echo "$$files" >&2; exit 1; fi

vet:
	$(GO) vet ./...

clean:
	rm -rf $(BUILD_DIR) out dist $(DIST_DIR)/otelcol-aind $(PEER_DIR)

# Releases (docs/releases.md): VERSION is the version of the distribution;
# builder-config.yaml's dist.version, which ocb writes into otelcol-dev/main.go,
# must equal it. GoReleaser (.goreleaser.yaml) is built from the tools module
# tools/goreleaser and cached like Loki; the first build takes about 6 minutes.
VERSION          := $(shell cat VERSION)
GORELEASER       := $(BUILD_DIR)/goreleaser
GORELEASER_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/otelcol-aind/goreleaser
GORELEASER_KEY    = $(shell cat tools/goreleaser/go.mod tools/goreleaser/go.sum | sha256sum | cut -c1-16)-$(shell $(GO) env GOVERSION)
IMAGE            ?= localhost/otelcol-aind:$(VERSION)
IMAGE_ARCHIVE    := dist/otelcol-aind_$(VERSION)_linux_amd64.image.tar

.PHONY: check-version goreleaser release-snapshot image release-check

## check-version: fail if builder-config.yaml's dist.version or the chart's appVersion differs from VERSION
check-version:
	@dist="$$(sed -n 's/^  version: *//p' builder-config.yaml)"; \
	if [ "$$dist" != "$(VERSION)" ]; then \
		echo "builder-config.yaml has dist.version '$$dist' but VERSION says '$(VERSION)': make them equal, then 'make generate'" >&2; exit 1; fi
	@app="$$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$$/\1/p' $(HELM_CHART)/Chart.yaml)"; \
	if [ "$$app" != "$(VERSION)" ]; then \
		echo "$(HELM_CHART)/Chart.yaml has appVersion '$$app' but VERSION says '$(VERSION)': make them equal" >&2; exit 1; fi
	@echo "version $(VERSION)"

## goreleaser: build GoReleaser (tools/goreleaser) into build/goreleaser, reusing the cached build while it is current
goreleaser:
	@mkdir -p $(BUILD_DIR) $(GORELEASER_CACHE)
	@cached="$(GORELEASER_CACHE)/goreleaser-$(GORELEASER_KEY)"; \
	if [ ! -x "$$cached" ]; then \
		echo "building GoReleaser into $$cached (the first build takes about 6 minutes)"; \
		start=$$(date +%s); \
		(cd tools/goreleaser && $(GO) build -trimpath -ldflags="-s -w" -o "$$cached.tmp" github.com/goreleaser/goreleaser/v2) && \
		mv "$$cached.tmp" "$$cached" && \
		echo "GoReleaser built in $$(( $$(date +%s) - start )) s"; \
	else \
		echo "reusing cached GoReleaser $$cached"; \
	fi; \
	cp "$$cached" $(GORELEASER)

## release-snapshot: archives, deb, rpm and checksums of VERSION-SNAPSHOT into dist/ (no publishing), then the OCI image
release-snapshot: check-version goreleaser
	$(GORELEASER) release --snapshot --clean
	$(MAKE) image

## image: build the OCI image from dist/'s linux/amd64 binaries with podman and save it into dist/ (after release-snapshot)
IMAGE_CONTEXT := dist/image-context

image:
	rm -rf $(IMAGE_CONTEXT) && mkdir -p $(IMAGE_CONTEXT)/config $(IMAGE_CONTEXT)/state
	cp dist/otelcol-aind_linux_amd64*/otelcol-aind dist/healthprobe_linux_amd64*/healthprobe \
		packaging/image/passwd packaging/image/group /etc/ssl/certs/ca-certificates.crt $(IMAGE_CONTEXT)/
	cp config/*.yaml $(IMAGE_CONTEXT)/config/
	podman build --format docker -f packaging/Containerfile -t $(IMAGE) \
		--build-arg VERSION=$(VERSION) --build-arg REVISION=$$(git rev-parse HEAD) $(IMAGE_CONTEXT)
	rm -f $(IMAGE_ARCHIVE)
	podman save --format docker-archive -o $(IMAGE_ARCHIVE) $(IMAGE)

## release-check: list and check release-snapshot's archives, packages and checksums, then run and inspect the image
release-check:
	VERSION="$(VERSION)" IMAGE="$(IMAGE)" scripts/release-check.sh
	IMAGE="$(IMAGE)" scripts/image-check.sh
