# Groundwork: `make run` serves the app, `make test` runs every test.
# Both install what they need first (Python packages in .venv, and the Debian
# packages WeasyPrint, the browser tests and the PostgreSQL tests need).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
INSTANCE := instance
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_DEBS := $(RUN_DEBS) chromium postgresql redis-server poppler-utils

.PHONY: run test lint bench install install-dev system-deps system-deps-test clean

# `make run` prints only what a person needs: the address and the demo sign-in. Installs and
# migrations keep their output in .venv/*.log and show it only when they fail.
run: install system-deps $(INSTANCE)/secret_key
	@SECRET_KEY="$$(cat $(INSTANCE)/secret_key)" $(BIN)/groundwork db upgrade > $(VENV)/migrate.log 2>&1 \
		|| { cat $(VENV)/migrate.log; exit 1; }
	@SECRET_KEY="$$(cat $(INSTANCE)/secret_key)" $(BIN)/groundwork demo --if-empty
	@echo "Groundwork is starting on http://127.0.0.1:$(PORT), with one PDF worker (its log: $(INSTANCE)/worker.log)"
	@# The worker renders PDFs from the queue; it is stopped with the server (Ctrl-C, or the server exiting).
	@export SECRET_KEY="$$(cat $(INSTANCE)/secret_key)" PORT=$(PORT); \
	$(BIN)/groundwork worker >> $(INSTANCE)/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c python:app.gunicorn_conf --log-level warning 'app:create_app()'

test: install-dev system-deps-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -p no:cacheprovider
	$(BIN)/python -m pytest -p no:cacheprovider -m db --db=postgresql

lint: install-dev
	$(BIN)/ruff check .

bench: install-dev system-deps-test
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/team.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/scale.py

$(BIN)/python:
	@echo "Creating $(VENV) and installing Groundwork (first run only)..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }

# Reinstall when pyproject.toml changes; the stamp files remember the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/pip install --quiet -e . > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@$(BIN)/pip install --quiet -e '.[dev]' > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@ $(VENV)/.installed

# pip compiles the packages it installs, not the editable project: without this, every start of
# `groundwork` and of every server or worker process compiles app/ and assessments/ again wherever
# bytecode is not written back (PYTHONDONTWRITEBYTECODE, a read-only checkout). A file edited since
# is compiled in memory as before (the bytecode records its source's time and size).
COMPILE := $(BIN)/python -m compileall -q app assessments > /dev/null

install: $(VENV)/.installed
	@$(COMPILE)
install-dev: $(VENV)/.installed-dev
	@$(COMPILE)

system-deps:
	@missing=""; for p in $(RUN_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi

system-deps-test:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi
	@test -x /usr/bin/chromium || { echo "chromium is missing at /usr/bin/chromium" >&2; exit 1; }

$(INSTANCE)/secret_key:
	@mkdir -p $(INSTANCE)
	@umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
