# tapir — quick start: `make demo`, `make test`.
SWIFT   ?= swift
DEMO_WS ?= demo-workspace
SEED    ?= demo/seed.jsonl
TAPIR   := .build/debug/tapir

.PHONY: setup build test demo bench clean

## Install missing system packages, then fetch the default student model when the script exists.
setup:
	@bash scripts/setup-system.sh
	@if [ -f scripts/fetch-model.sh ]; then bash scripts/fetch-model.sh >/dev/null; fi

## Debug build of every target.
build:
	$(SWIFT) build

## Setup, build, run every test suite.
test: setup
	$(SWIFT) build
	$(SWIFT) test

## Setup, build, create ./demo-workspace from the demo seed set (once), print its status.
demo: setup build
	@if [ ! -f "$(SEED)" ]; then echo "make demo: $(SEED) is missing" >&2; exit 1; fi
	@if [ ! -f "$(DEMO_WS)/tapir.yaml" ]; then \
		$(TAPIR) init "$(DEMO_WS)" && \
		$(TAPIR) import --workspace "$(DEMO_WS)" "$(SEED)"; \
	fi
	$(TAPIR) status --workspace "$(DEMO_WS)"

## Release build, then every benchmark script.
bench: setup
	$(SWIFT) build -c release
	@for script in scripts/bench/*.sh; do echo "== $$script"; bash "$$script" || exit 1; done

clean:
	rm -rf .build "$(DEMO_WS)"
