# tapir — quick start: `make demo`, `make test`.
SWIFT   ?= swift
DEMO_WS ?= demo-workspace
SEED    ?= demo/seed.jsonl
TAPIR   := .build/debug/tapir
# The demo runs the native model for real: a release build (in a debug build its generic
# kernels are not specialised across files and run about ten times slower).
DEMO_TAPIR := .build/release/tapir

.PHONY: setup build test demo bench clean

## Install missing system packages, then fetch the default student model when the script exists.
setup:
	@bash scripts/setup-system.sh
	@bash scripts/fetch-model.sh >/dev/null
	@bash scripts/reference/fetch-vocabs.sh >/dev/null

## Debug build of every target.
build:
	$(SWIFT) build

## Setup, build, run every test suite, then drive the real dashboard in tmux.
## Swift Testing runs a process's tests on the cooperative pool (2 threads here): the
## CPU-heavy inference suites, the timing-sensitive LLM client suites and the engine runs
## (EngineRun…: `tapir run` subprocesses, over the native student too) each run in a
## process of their own so none starves the others.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip TapirLLMTests --skip TapirInferenceTests --skip tapirTests.EngineRun
	$(SWIFT) test --skip-build --filter TapirLLMTests
	$(SWIFT) test --skip-build --filter TapirInferenceTests
	$(SWIFT) test --skip-build --filter tapirTests.EngineRun
	bash scripts/tui-smoke.sh

## Setup, build, create ./demo-workspace from the demo seed set with the offline demo
## configuration (demo/tapir.yaml: native SmolLM2 as student, teacher and classifier), print its status, then
## run the engine: on a terminal inside the dashboard process, otherwise headless.
demo: setup
	$(SWIFT) build -c release --product tapir
	@if [ ! -f "$(SEED)" ]; then echo "make demo: $(SEED) is missing" >&2; exit 1; fi
	@if [ ! -f "$(DEMO_WS)/tapir.yaml" ]; then \
		$(DEMO_TAPIR) init "$(DEMO_WS)" && cp demo/tapir.yaml "$(DEMO_WS)/tapir.yaml" && \
		$(DEMO_TAPIR) import --workspace "$(DEMO_WS)" "$(SEED)"; \
	fi
	$(DEMO_TAPIR) status --workspace "$(DEMO_WS)"
	@if [ -t 0 ] && [ -t 1 ]; then \
		$(DEMO_TAPIR) dashboard --workspace "$(DEMO_WS)"; \
	else \
		$(DEMO_TAPIR) run --workspace "$(DEMO_WS)" || [ $$? -eq 3 ]; \
	fi

## Release build, then every benchmark script.
bench: setup
	$(SWIFT) build -c release
	@for script in scripts/bench/*.sh; do echo "== $$script"; bash "$$script" || exit 1; done

clean:
	rm -rf .build "$(DEMO_WS)"
