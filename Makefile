# dsra-oauth2-server: the mock OAuth2 provider, the reference client and the
# conformance suite. `make conformance` and `make test` install what they need.

SHELL     := /bin/bash
GO        ?= go
TARGET    ?= mock
REPORTS   ?= reports
# Debian packages the browser scenarios and the Hydra target need.
APT_BROWSER := chromium
APT_DOCKER  := docker.io
APT_NODE    := nodejs npm

.PHONY: test conformance demo bench quirk-matrix provider-matrix hydra-image mock-image deps-browser deps-docker deps-node vet

## test: go vet and the race-enabled tests, browser scenarios, Hydra and oidc-provider included
## (Chromium is installed first, so a missing one fails; as root, who can always start the
## private dockerd, so does a missing Docker engine)
test: deps-browser deps-docker deps-node vet
	DSRA_REQUIRE_BROWSER=1 DSRA_REQUIRE_DOCKER=$$([ "$$(id -u)" = 0 ] && echo 1) \
		$(GO) test -race -count=1 -timeout 15m ./...

vet:
	$(GO) vet ./...

## conformance: the whole suite against the embedded mock (TARGET=hydra|oidc-provider|FILE for others)
conformance: deps-browser $(if $(filter hydra oidc-provider,$(TARGET)),deps-docker) $(if $(filter oidc-provider,$(TARGET)),deps-node)
	$(GO) run ./scenarios/cmd/conformance run --target $(TARGET) \
		--junit $(REPORTS)/junit.xml --json $(REPORTS)/report.json --html $(REPORTS)/html $(ARGS)

## demo: the mock provider on 127.0.0.1:9000 and the client on 127.0.0.1:8000 for your own browser
demo:
	@$(GO) build -o $(REPORTS)/bin/ ./mockprovider/cmd/mockprovider ./clientapp/cmd/clientapp
	@echo "mock provider: http://127.0.0.1:9000   sign in as alice / wonderland"
	@echo "sample client: open http://localhost:8000/ in your browser (Ctrl-C stops both)"
	@$(REPORTS)/bin/mockprovider --listen 127.0.0.1:9000 --clock real & mp=$$!; \
		$(REPORTS)/bin/clientapp --listen 127.0.0.1:8000 & ca=$$!; \
		trap 'kill $$mp $$ca 2>/dev/null; wait $$mp $$ca; exit 0' INT TERM; \
		wait -n $$mp $$ca; kill $$mp $$ca 2>/dev/null; wait $$mp $$ca; exit 1

## bench: wall time of the catalog against the mock, the Go benchmarks, and the mock as a service
## (RSS idle, after 100,000 token requests and 200 huge queries; token req/s next to a bare handler)
bench: deps-browser
	$(GO) run ./scenarios/cmd/conformance bench
	$(GO) test -run '^$$' -bench . -benchtime 200x ./mockprovider/
	$(GO) build -o $(REPORTS)/bin/ ./mockprovider/cmd/mockprovider
	$(GO) run ./mockprovider/cmd/mockbench --bin $(REPORTS)/bin/mockprovider

## quirk-matrix: the fast quirk matrix and the full one (the catalog once per quirk), checked identical and against testdata/quirk-matrix.golden
quirk-matrix: deps-browser
	DSRA_QUIRK_MATRIX=1 $(GO) test -count=1 -v -timeout 60m -run 'TestEveryQuirkIsCaught' ./scenarios/quirkmatrix
	@cat testdata/quirk-matrix.golden

## provider-matrix: each scenario's verdict on the mock, Hydra and oidc-provider, as Markdown
provider-matrix: deps-browser deps-docker deps-node
	$(GO) run ./scenarios/cmd/conformance matrix --targets mock,hydra,oidc-provider --out $(REPORTS)/provider-matrix.md
	@cat $(REPORTS)/provider-matrix.md

## hydra-image: build Hydra from its pinned Go module and a local image from it
hydra-image: deps-docker
	$(GO) run ./scenarios/cmd/conformance hydra-image

## mock-image: the mock provider's image (static binary on scratch, 0.0.0.0:9000 inside, GET /healthz),
## also saved to $(REPORTS)/mockprovider-image.tar for docker load
mock-image: deps-docker
	@mkdir -p $(REPORTS)
	$(GO) run ./scenarios/cmd/conformance mock-image --save $(REPORTS)/mockprovider-image.tar

deps-browser:
	@command -v chromium >/dev/null 2>&1 || $(MAKE) --no-print-directory apt PKG=$(APT_BROWSER) WHY="the browser scenarios"

# Node.js runs oidc-provider; npm installs it once from the committed lock.
deps-node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
		$(MAKE) --no-print-directory apt PKG="$(APT_NODE)" WHY="the oidc-provider target"

deps-docker:
	@command -v dockerd >/dev/null 2>&1 || \
		$(MAKE) --no-print-directory apt PKG=$(APT_DOCKER) WHY="Ory Hydra in a container" OPTIONAL=1

# apt installs PKG when running as root; otherwise it names the package.
apt:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "make: installing Debian package $(PKG) for $(WHY)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PKG) >/dev/null; \
	elif [ -n "$(OPTIONAL)" ]; then \
		echo "make: Debian package $(PKG) is missing and this is not root: $(WHY) is skipped (Hydra runs as a local process). Install it with: sudo apt-get install $(PKG)" >&2; \
	else \
		echo "make: Debian package $(PKG) is missing: $(WHY) need it. Install it with: sudo apt-get install $(PKG)" >&2; exit 1; \
	fi
