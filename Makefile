# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3

.PHONY: install run test lint format messages makemessages static migrate seed bench resilience check-deploy mutation clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: install
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l nl -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-obsolete

static: install
	$(PY) manage.py collectstatic --noinput -v 0

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: install messages static seed
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Tests run on PostgreSQL and Redis when they answer (with CI=true they must).
test: install messages static
	eval "$$($(PY) tests/services.py)" && $(PY) -m pytest $(PYTEST_ARGS)

# Mutation testing of the rules, by hand, not in CI: mutmut changes one thing at a time in the
# rule modules ([tool.mutmut] in pyproject.toml) and runs the tests that reach the change. It
# works in a copy (mutants/, git-ignored) and starts afresh each time; `.venv/bin/mutmut
# browse` shows the survivors afterwards. Its own test database (_mutation), kept between
# mutants, so it does not clash with `make test`. About an hour on two cores.
mutation: install messages
	rm -rf mutants && mkdir mutants
	eval "$$($(PY) tests/services.py)" && export DATABASE_URL="$${DATABASE_URL}_mutation" && \
	$(VENV)/bin/mutmut run --max-children 1 > mutants/run.log 2>&1 || (tail -n 40 mutants/run.log; false)
	$(PY) tests/mutation_score.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: install
	DJANGO_ENV=production DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -d '/+=') \
	DJANGO_ALLOWED_HOSTS=samen.example.org DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
	REDIS_URL=redis://127.0.0.1:6379/0 $(PY) manage.py check --deploy --fail-level WARNING

bench: install static
	eval "$$($(PY) tests/services.py)" && $(PY) bench/dashboard.py $(BENCH_ARGS)

# Faults survived (issue 8), by hand, not in CI: its own PostgreSQL cluster, Redis, gunicorn and
# Celery worker on their own ports (never the shared 5432 and 6379); load, then Redis stopped,
# PostgreSQL restarted and the worker killed mid-task. Prints one table. RESILIENCE_ARGS, e.g.
# --duration 10.
resilience: install
	$(PY) bench/resilience.py $(RESILIENCE_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 *.egg-info
