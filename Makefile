# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := jamkoll/web/static/vendor
ASSETS := $(VENDOR)/.built
CHROMIUM := /usr/bin/chromium
PDFTOTEXT := /usr/bin/pdftotext
JAVA := /usr/bin/java
# Debian packages the tests use; apt-get needs root, so others go through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STORE ?= .jamkoll
DEMO_DATA ?= demo-data
DEMO_OUT ?= demo-output
WEB_DATA ?= .jamkoll-web
PG_URL ?= postgres://postgres@127.0.0.1:5432/jamkoll
# Two test workers on two cores: each keeps BLAS to one thread, or they fight over the cores.
TEST_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

.PHONY: install assets system-packages demo demo-data test lint typecheck pytest pytest-postgres bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Front-end assets come from the npm registry through this build step, never from a CDN.
$(ASSETS): package.json package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
	   node_modules/vega-embed/build/vega-embed.min.js node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	# d3's Swedish number and date locales, so charts on Swedish pages read "1 234,5" and "−20".
	cp node_modules/d3-format/locale/sv-SE.json $(VENDOR)/d3-format-sv-SE.json
	cp node_modules/d3-time-format/locale/sv-SE.json $(VENDOR)/d3-time-format-sv-SE.json
	touch $(ASSETS)

assets: $(ASSETS)

# Browser tests drive Debian's Chromium, never a browser downloaded by a test tool; the report
# tests read the PDF with poppler's pdftotext; the Spark backend test needs Java.
$(CHROMIUM) $(PDFTOTEXT) $(JAVA):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils default-jre-headless >/dev/null

system-packages: $(CHROMIUM) $(PDFTOTEXT) $(JAVA)

demo-data: $(STAMP)
	$(BIN)/jamkoll demo-data $(DEMO_DATA)

demo: demo-data $(ASSETS)
	rm -rf $(STORE)
	$(BIN)/jamkoll import --store $(STORE) $(DEMO_DATA)/xlsx/demoforbund.xlsx
	$(BIN)/jamkoll analyze --store $(STORE) --json $(DEMO_OUT)/analysis.json
	$(BIN)/jamkoll report --store $(STORE) --out $(DEMO_OUT)
	JAMKOLL_DATA_DIR=$(WEB_DATA) $(BIN)/python -m jamkoll.web migrate --verbosity 0
	JAMKOLL_DATA_DIR=$(WEB_DATA) $(BIN)/python -m jamkoll.web load_demo
	JAMKOLL_DATA_DIR=$(WEB_DATA) $(BIN)/jamkoll serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check jamkoll tests bench

typecheck: $(STAMP)
	$(BIN)/mypy jamkoll

pytest: $(STAMP) $(ASSETS) $(CHROMIUM) $(PDFTOTEXT) $(JAVA)
	$(TEST_ENV) $(BIN)/pytest -n 2 -q

# The web suite again on PostgreSQL whenever a server answers; CI requires one (JAMKOLL_CI=1).
# The browser tests are not repeated there: they test pages, not the database.
pytest-postgres: $(STAMP)
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), timeout=3).close()" 2>/dev/null; then \
	  JAMKOLL_TEST_DATABASE_URL=$${JAMKOLL_TEST_DATABASE_URL:-$(PG_URL)} $(TEST_ENV) $(BIN)/pytest -n 2 -q -m "not browser" tests/web; \
	elif [ -n "$$JAMKOLL_CI" ]; then \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432 but this run requires it." >&2; exit 1; \
	else \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432: the PostgreSQL suite was SKIPPED."; \
	fi

test: lint typecheck pytest pytest-postgres

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(STORE) $(DEMO_DATA) $(DEMO_OUT) $(WEB_DATA) node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache
