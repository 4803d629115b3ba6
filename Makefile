# Two commands do all set-up on a fresh machine:  make run  (the app with the 2564 demo data)  and  make test.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-installed-stamp
PORT ?= 8501
# The demo runs on the contest clock of 1 September 2564 (a day: the time of day is real), in the judging its edition
# is in (services/contest/demo.py DEMO_DAY); `make run-intake` on 20 July 2564, the intake open so that a visitor can
# submit. `make run LDAWARD_CLOCK=` runs on real time.
LDAWARD_CLOCK ?= 2021-09-01
INTAKE_CLOCK := 2021-07-20
# CI must finish in 15 min on this 2-core machine (docs/ci-time.md has the figures and what was cut): the last full
# run here, a fresh clone on a slow day, took 14:46: ~12:25 for the parallel step, ~1:45 for the serial one (9:28 on
# a quicker day two sessions before). The official runs of the two trees before took 9:37 and 13:49.
# --durations lists the slowest tests, to see what a new one costs.
PYTEST_ARGS ?= -n 2 --dist worksteal --durations=30
# What mypy checks, strict (pyproject [tool.mypy]): all of the app's own code; `make test` fails on a type error.
TYPED := models services pages cli.py web_routes.py asgi.py
# Coverage of the app's own code (`make coverage`): the parallel run with coverage printed after it, a figure to read,
# no threshold to game. Files at 100 % are left out of the table; its TOTAL line is the figure. Not part of
# `make test`: tracing costs about +50 % CPU on the in-process tests (Python 3.11), which would take CI past its
# 15 minutes on two cores.
COV_ARGS ?= --cov=services --cov=models --cov=pages --cov-report=term:skip-covered

.PHONY: install install-dev lock run run-intake test coverage system-deps lint typecheck bench clean

# Two lock files pin every dependency: requirements.lock what the app runs on (pyproject's dependencies and the sso
# extra), requirements-dev.lock what only tests and checks need. `make run` installs the first alone; `make test`
# both. `make lock` rewrites both from the virtual env after a deliberate upgrade (.ci/lock.py splits them).
# uv installs from the same lock files as pip would, ~15 s sooner on a fresh clone (CI's 15 minutes); pip installs it.
# --compile-bytecode as pip does: this machine sets PYTHONDONTWRITEBYTECODE, so without it every Python start (each
# server, CLI and worker of the tests) would compile the app's imports anew (3.0 -> 7.5 s).
UV_PIN := uv==0.13.9
UV := $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY)

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet $(UV_PIN)
	$(UV) -c requirements.lock -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(UV) -c requirements.lock -c requirements-dev.lock -e ".[dev,sso]"
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

lock: install-dev
	$(PY) .ci/lock.py

run: install
	$(VENV)/bin/ldaward demo
	LDAWARD_CLOCK=$(LDAWARD_CLOCK) $(VENV)/bin/streamlit run asgi.py --server.port $(PORT)

run-intake:
	$(MAKE) run LDAWARD_CLOCK=$(INTAKE_CLOCK)

system-deps:
	bash .ci/system-deps

# The parallel run leaves out pg_restart and load (pyproject addopts); the serial step (.ci/serial) runs them after it,
# because one restarts the PostgreSQL cluster the parallel tests use and the other loads the machine: the restart
# test with mypy beside it (it mostly waits; `make typecheck` runs mypy alone, first), then the two load runs.
test: install-dev system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	bash .ci/audit
	$(PY) -m pytest $(PYTEST_ARGS)
	VENV=$(VENV) bash .ci/serial $(TYPED)

coverage: install-dev system-deps
	$(PY) -m pytest $(PYTEST_ARGS) $(COV_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	$(VENV)/bin/mypy $(TYPED)

bench: install-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
