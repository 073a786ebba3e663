# The two front-door commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test serve lint format venv demo clean lock wheel vnu

# (Re)install whenever the lock changes: exactly the locked versions, each
# checked against its hash, then the project itself (built by the locked
# hatchling, so nothing unlocked is fetched). pip check fails if pyproject.toml
# asks for something the lock lacks: run `make lock`.
$(INSTALLED): requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(INSTALLED)

venv: $(INSTALLED)

# The W3C Nu HTML checker the markup tests run (it needs Java): the vnu-jar
# version and hash in tests/vnu/package-lock.json. Its install script, which
# would fetch a Java runtime, is not run.
VNU := tests/vnu/node_modules/.package-lock.json
$(VNU): tests/vnu/package-lock.json
	npm ci --prefix tests/vnu --ignore-scripts --no-audit --no-fund --silent

vnu: $(VNU)

# Resolve pyproject.toml's ranges into the locks, keeping every version already
# locked that still fits; `make lock UPGRADE=1` takes the newest that fit, and
# `make lock UPGRADE=django` upgrades one package. Run after any change to the
# dependencies in pyproject.toml, and commit the two files.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" \
	$(if $(filter 1,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE)))
$(BIN)/uv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt

lock: $(BIN)/uv
	$(LOCK) -o requirements.txt
	$(LOCK) --extra dev -c requirements.txt -o requirements-dev.txt

# The wheel a server installs (dist/), built by the locked hatchling.
wheel: $(INSTALLED)
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation -w dist .

# Development server on SQLite, with the demo content and an editor login.
run: export DJANGO_DEBUG ?= true
run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py ensure_editor
	$(BIN)/python manage.py runserver 127.0.0.1:8000

demo: export DJANGO_DEBUG ?= true
demo: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content

# The whole suite, on both cores; DATABASE_URL=postgres://... runs it on PostgreSQL.
PYTEST_ARGS ?= -n auto
test: $(INSTALLED)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Production-style: debug off, hashed and compressed static files, gunicorn,
# and the site's own log line (JSON) for each request.
serve: export DJANGO_DEBUG = false
serve: export DJANGO_SECRET_KEY ?= local-serve-$(shell hostname)-not-for-production
serve: export DJANGO_ALLOWED_HOSTS ?= localhost,127.0.0.1
serve: export DJANGO_SECURE_COOKIES ?= false
serve: $(INSTALLED)
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn heseltine.wsgi --bind $${BIND:-127.0.0.1:8000} \
		--workers $${WEB_CONCURRENCY:-2}

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles dist
