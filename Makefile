# The two front-door commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test serve lint format venv demo clean

# (Re)install whenever pyproject.toml changes.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

venv: $(INSTALLED)

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

# Production-style: debug off, hashed and compressed static files, gunicorn.
serve: export DJANGO_DEBUG = false
serve: export DJANGO_SECRET_KEY ?= local-serve-$(shell hostname)-not-for-production
serve: export DJANGO_ALLOWED_HOSTS ?= localhost,127.0.0.1
serve: export DJANGO_SECURE_COOKIES ?= false
serve: $(INSTALLED)
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn heseltine.wsgi --bind $${BIND:-127.0.0.1:8000} \
		--workers $${WEB_CONCURRENCY:-2} --access-logfile -

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles
