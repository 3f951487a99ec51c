# xenia: the two commands that matter are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STATE_DIR ?= ./var
LISTEN ?= 127.0.0.1:8080
TLS_LISTEN ?= 127.0.0.1:8443
DRIVER ?= sim
ANSIBLE_VERSION = 12.3.0
# third-party suites run against xenia (tests/thirdparty); kept across clones and venvs, fetched once
THIRDPARTY ?= $(HOME)/.cache/xenia/thirdparty
export XENIA_THIRDPARTY_DIR = $(THIRDPARTY)

.PHONY: run run-pool web test lint typecheck unit bench bench-check fuzz mutation soak system-deps schema generate clients clean dist dist-check cbinding cbinding-install

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

## community.general's xenserver code and its unit tests (from the ansible sdist on PyPI), for tests/thirdparty
$(THIRDPARTY)/.ansible-$(ANSIBLE_VERSION): scripts/fetch-ansible-xenserver | $(BIN)/.installed
	PIP=$(BIN)/pip bash scripts/fetch-ansible-xenserver $(ANSIBLE_VERSION) $(THIRDPARTY)

## clients: the real clients tests/clients runs, each in its own cache (reinstalled only when its pins change);
## --no-compile: byte-compiling Ansible's 40 000 files took 3 of the install's 5 minutes, imports compile what they use
ANSIBLE_VENV = .venv-ansible
XO_DIR = tests/clients/xo
clients: $(ANSIBLE_VENV)/bin/.installed $(XO_DIR)/node_modules/.installed

$(ANSIBLE_VENV)/bin/.installed: tests/clients/ansible/requirements.txt
	$(PYTHON) -m venv $(ANSIBLE_VENV)
	$(ANSIBLE_VENV)/bin/pip install -q --no-compile -r tests/clients/ansible/requirements.txt
	touch $@

$(XO_DIR)/node_modules/.installed: $(XO_DIR)/package.json $(XO_DIR)/package-lock.json
	cd $(XO_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## web: the web console (issue 17), built from web/ by esbuild into build/web, which the daemon serves at /
WEB_SRC = $(wildcard web/src/*) web/build.mjs
web: build/web/index.html
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@
build/web/index.html: web/node_modules/.installed $(WEB_SRC)
	cd web && node build.mjs

## run: start the daemon on the simulator with embedded state under ./var (HTTP on LISTEN, HTTPS on TLS_LISTEN)
run: $(BIN)/.installed web
	$(BIN)/xenia serve --listen $(LISTEN) --tls-listen $(TLS_LISTEN) --state-dir $(STATE_DIR) --driver $(DRIVER)

## run-pool: a local etcd and three pool members on 127.0.0.1-3:8080 (simulator), state under ./var/pool
run-pool: $(BIN)/.installed
	$(BIN)/xenia pool-up --state-dir var/pool --hosts 3 --port 8080 --driver $(DRIVER)

## system-deps: Debian packages the tests use (idempotent)
system-deps:
	bash scripts/system-deps

## cbinding: the C binding (libxenserver) from the datamodel, into build/c (tests build it too)
cbinding: $(BIN)/.installed
	$(MAKE) -C bindings/c PYTHON=$(abspath $(BIN)/python)

## cbinding-install: install libxenserver, its headers and xenserver.pc under PREFIX (/usr/local)
cbinding-install: cbinding
	$(MAKE) -C bindings/c install PYTHON=$(abspath $(BIN)/python)

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench examples

typecheck: $(BIN)/.installed
	$(BIN)/mypy

unit: $(BIN)/.installed $(THIRDPARTY)/.ansible-$(ANSIBLE_VERSION)
	$(BIN)/pytest -q --durations=40

## test: install everything, then ruff, mypy and pytest
test: system-deps $(BIN)/.installed $(THIRDPARTY)/.ansible-$(ANSIBLE_VERSION) clients web
	$(BIN)/ruff check src tests bench examples
	$(BIN)/mypy
	$(MAKE) cbinding
	$(BIN)/pytest -q --durations=40

## fuzz: the fuzzers (tests/fuzz) and the store's model tests with a longer budget than under `make test`
fuzz: $(BIN)/.installed
	XENIA_FUZZ_SECONDS=$${XENIA_FUZZ_SECONDS:-60} $(BIN)/pytest -q -p no:cacheprovider tests/fuzz
	XENIA_MODEL_EXAMPLES=$${XENIA_MODEL_EXAMPLES:-3000} $(BIN)/pytest -q -p no:cacheprovider tests/store/test_model.py

## mutation: cosmic-ray over the core modules, one at a time, MUTATION_SECONDS each (figures in docs/testing.md)
mutation: $(BIN)/.installed
	$(BIN)/pip install -q -e '.[dev,mutation]'
	nice -n 19 $(BIN)/python tools/mutation.py --seconds $${MUTATION_SECONDS:-1800} $(MUTATION_ARGS) $(MUTATION_MODULES)

## bench: every benchmark, printing figures and ratios against its peer
bench: $(BIN)/.installed
	bash scripts/system-deps bench
	for b in bench/[!_]*.py; do [ $$b = bench/soak.py ] || $(BIN)/python $$b || exit 1; done

## soak: SIGKILL loop and hostile clients (issue 9's goals); SOAK_ARGS=--quick for a short run
soak: $(BIN)/.installed
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

## generate: write what comes from the datamodel (the typed client, docs/api/) after changing it
generate: $(BIN)/.installed
	$(BIN)/python -m xenia.bindings.python_client
	$(BIN)/python -m xenia.bindings.apidoc docs/api
	$(BIN)/python -m xenia.datamodel.coverage
	$(BIN)/python -m xenia.datamodel.liveconfig docs/liveconfig.md

## schema: record the datamodel's schema after changing it (db migrations start from recorded schemas)
schema: $(BIN)/.installed
	$(BIN)/python -c "from xenia.db.migrate import record_current; print(record_current())"

## bench-check: run each benchmark the README quotes; fail if a quoted figure moved more than 2x
bench-check: $(BIN)/.installed
	bash scripts/system-deps bench
	$(BIN)/python bench/_readme.py check README.md

## dist: the wheel and sdist, in dist/
dist: $(BIN)/.installed
	rm -rf dist
	$(BIN)/python -m build --outdir dist

## dist-check: the wheel in a fresh venv (no dev extras) gives a working `xenia sim` and pytest plugin
dist-check: $(BIN)/.installed
	$(BIN)/pytest -q -p no:cacheprovider tests/plugin/test_wheel.py

clean:
	rm -rf $(VENV) $(ANSIBLE_VENV) $(XO_DIR)/node_modules web/node_modules var dist build .mypy_cache .pytest_cache .ruff_cache
