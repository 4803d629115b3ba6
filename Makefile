# Two commands do all set-up on a fresh machine:  make run  (the app with the 2564 demo data)  and  make test.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
# The demo runs on the contest clock of 20 July 2564, inside the 2564 intake window, so a visitor can submit.
# `make run LDAWARD_CLOCK=` runs on real time.
LDAWARD_CLOCK ?= 2021-07-20T10:00:00+07:00
PYTEST_ARGS ?= -n 2

.PHONY: install lock run test system-deps lint typecheck bench clean

# requirements.lock pins every dependency (`make lock` rewrites it from the virtual env after a deliberate upgrade).
$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v "^pip==" > requirements.lock

install: $(STAMP)

run: install
	$(VENV)/bin/ldaward demo
	LDAWARD_CLOCK=$(LDAWARD_CLOCK) $(VENV)/bin/streamlit run asgi.py --server.port $(PORT)

system-deps:
	bash .ci/system-deps

# The parallel run leaves out pg_restart and load (pyproject addopts); the serial step runs them alone, because one
# restarts the PostgreSQL cluster the parallel tests use and the other measures response times.
test: install system-deps
	$(VENV)/bin/ruff check .
	bash .ci/audit
	$(PY) -m pytest $(PYTEST_ARGS)
	$(PY) -m pytest -p no:xdist -m "pg_restart or load"

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(VENV)/bin/mypy models services cli.py

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
