# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make run    create .venv, install, migrate a SQLite file, load demo data, serve on :8000
#   make test   the whole test suite (SQLite; set ZWT_TEST_DATABASE_URL / ZWT_TEST_REDIS_URL for PG/Redis)
# make run / make serve listen on HOST:PORT with WORKERS gunicorn workers: make run PORT=8080 WORKERS=4
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
TRANSCRIPT ?= instance/demo-transcript.txt
export ZWT_DATABASE_URL ?= sqlite:///instance/zwt.db

.PHONY: install run serve migrate demo-data test test-fast lint bench bench-load bench-load-short fuzz clean docs-config vendor-js

$(STAMP): setup.cfg pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/flask --app app db-upgrade

demo-data: migrate
	$(BIN)/flask --app app load-demo

# make run: the application worker (flask --app app worker) beside gunicorn, stopped with it
run: demo-data
	$(BIN)/flask --app app worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --config python:zwt.gunicorn_conf --workers $(WORKERS) --bind $(HOST):$(PORT) app:app

# Wallet walk-through: starts its own service (or uses ZWT_BASE_URL); the transcript goes to $(TRANSCRIPT)
# (untracked); refresh the sample in the repository with: make demo TRANSCRIPT=docs/demo-transcript.txt
.PHONY: demo
demo: install
	$(BIN)/python scripts/demo_walkthrough.py $(TRANSCRIPT)

# README's configuration table, generated from the settings declared in zwt/config.py
docs-config: install
	$(BIN)/python -m zwt.config_doc --write README.md

serve: install
	$(BIN)/gunicorn --config python:zwt.gunicorn_conf --workers $(WORKERS) --bind $(HOST):$(PORT) app:app

test: install
	$(BIN)/python -m pytest

# Everything but the tests marked slow (gunicorn processes, the demo catalog): a quicker loop while editing
test-fast: install
	$(BIN)/python -m pytest -m "not slow"

lint: install
	$(BIN)/flake8 zwt wallet services_catalog applications tests bench app.py
	$(BIN)/mypy wallet services_catalog applications

# The benchmarks, the load scenario (LOAD=bench-load-short by default, about a minute of load; LOAD=bench-load
# for the four full runs, ~50 min), then the 10-minute coverage-guided fuzz run (its corpus in
# bench/fuzz_corpus/qd1 grows)
LOAD ?= bench-load-short
bench: install
	@for f in bench/*.py; do case $$f in bench/fuzz_*) continue;; esac; echo "== $$f"; $(BIN)/python $$f || exit 1; done
	@$(MAKE) --no-print-directory $(LOAD)
	@$(MAKE) --no-print-directory fuzz

# The load harness (bench/load/, docs/BENCHMARKS.md "## Load"): two gunicorn nodes on a scratch PostgreSQL
# database (zwt_load) and Redis db 9, locust headless. LOAD_ARGS passes options: make bench-load LOAD_ARGS="--runs 1"
LOAD_ARGS ?=
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(BENCH_STAMP)

bench-load: $(BENCH_STAMP)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

bench-load-short: $(BENCH_STAMP)
	$(BIN)/python -m bench.load --short $(LOAD_ARGS)

# atheris (libFuzzer) on the QD1 decoder and verifier for FUZZ_SECONDS; fails on any uncaught exception, the
# input kept under instance/fuzz/. Replay one: .venv/bin/python bench/fuzz_qd1.py --reproduce instance/fuzz/crash-...
FUZZ_SECONDS ?= 600
FUZZ_STAMP := $(VENV)/.installed-fuzz
$(FUZZ_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,fuzz]'
	@touch $(FUZZ_STAMP)

fuzz: $(FUZZ_STAMP)
	@echo "== bench/fuzz_qd1.py ($(FUZZ_SECONDS) s)"
	$(BIN)/python bench/fuzz_qd1.py --seconds $(FUZZ_SECONDS)

# The npm packages the browser code uses, pinned in js/package-lock.json, copied with their licence into
# zwt/static/vendor/ (committed: make run and make test never need Node or the network): cborg for the QD1
# modules, zxing-wasm (the QR reader build: its ES module and WebAssembly) for the counter console's photos and
# camera, axe-core for the pages' accessibility tests, qrcode-generator (its ES module; the MIT licence is in
# its header, the package ships no LICENSE file) for the web wallet's QR codes
VENDOR := zwt/static/vendor
ZXING := js/node_modules/zxing-wasm
vendor-js:
	cd js && npm ci --ignore-scripts --no-audit --no-fund
	rm -rf $(VENDOR)/cborg $(VENDOR)/zxing-wasm $(VENDOR)/axe-core $(VENDOR)/qrcode-generator
	mkdir -p $(VENDOR)/cborg/lib $(VENDOR)/zxing-wasm/es/reader $(VENDOR)/zxing-wasm/reader $(VENDOR)/axe-core $(VENDOR)/qrcode-generator
	cp js/node_modules/cborg/cborg.js js/node_modules/cborg/LICENSE js/node_modules/cborg/package.json $(VENDOR)/cborg/
	cd js/node_modules/cborg/lib && cp $$(ls *.js | grep -v -e '^bin\.js$$' -e '_test\.js$$') ../../../../$(VENDOR)/cborg/lib/
	cp $(ZXING)/LICENSE $(ZXING)/package.json $(VENDOR)/zxing-wasm/
	cp $(ZXING)/dist/es/share.js $(VENDOR)/zxing-wasm/es/
	cp $(ZXING)/dist/es/reader/index.js $(VENDOR)/zxing-wasm/es/reader/
	cp $(ZXING)/dist/reader/zxing_reader.wasm $(VENDOR)/zxing-wasm/reader/
	cd js/node_modules/axe-core && cp axe.min.js LICENSE LICENSE-3RD-PARTY.txt package.json ../../../$(VENDOR)/axe-core/
	cp js/node_modules/qrcode-generator/dist/qrcode.mjs js/node_modules/qrcode-generator/package.json $(VENDOR)/qrcode-generator/

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .hypothesis *.egg-info
