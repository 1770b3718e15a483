# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= .jamkoll
DEMO_DATA ?= demo-data
DEMO_OUT ?= demo-output

.PHONY: install demo demo-data test lint typecheck pytest bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo-data: $(STAMP)
	$(BIN)/jamkoll demo-data $(DEMO_DATA)

demo: demo-data
	rm -rf $(STORE)
	$(BIN)/jamkoll import --store $(STORE) $(DEMO_DATA)/xlsx/demoforbund.xlsx
	$(BIN)/jamkoll analyze --store $(STORE) --json $(DEMO_OUT)/analysis.json
	$(BIN)/jamkoll report --store $(STORE) --out $(DEMO_OUT)

lint: $(STAMP)
	$(BIN)/ruff check jamkoll tests bench

typecheck: $(STAMP)
	$(BIN)/mypy jamkoll

# Two test workers on two cores: each must keep BLAS to one thread, or they fight over the cores.
pytest: $(STAMP)
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/pytest -n 2 -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(STORE) $(DEMO_DATA) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
