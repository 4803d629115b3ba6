# Two commands do all set-up on a fresh machine:  make run  (the app with the 2564 demo data)  and  make test.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
# The demo runs on the contest clock of 20 July 2564, inside the 2564 intake window, so a visitor can submit.
# `make run LDAWARD_CLOCK=` runs on real time.
LDAWARD_CLOCK ?= 2021-07-20T10:00:00+07:00
PYTEST_ARGS ?= -n 2

.PHONY: install run test system-deps lint typecheck bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/ldaward demo
	LDAWARD_CLOCK=$(LDAWARD_CLOCK) $(VENV)/bin/streamlit run app.py --server.port $(PORT)

system-deps:
	bash .ci/system-deps

test: install system-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(VENV)/bin/mypy models services cli.py

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
