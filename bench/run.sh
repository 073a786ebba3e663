#!/usr/bin/env bash
# Benchmark the public pages against Django's own floor, production-style.
#
#   bench/run.sh                    # PostgreSQL and SQLite, both data sets
#   DATABASES="sqlite" DURATION=3 bench/run.sh
#   DATABASES="sqlite" SIZES="large" bench/run.sh   # redo one run, keep the rest
#   DATABASES="postgresql" SIZES= bench/run.sh      # only the paired growth runs
#
# For each database it loads the large synthetic data set (and a small one,
# for the latency-at-size comparison; manage.py generate_bench_data, a command
# of the bench app, which bench/settings.py installs), starts gunicorn (2 sync workers, debug
# off) twice, with the page cache on and off, and drives each page and the
# floor alternately with wrk. Then it serves both sizes at once and compares
# each page's latency on them in pairs. Results are printed and written to
# bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASES=${DATABASES:-"postgresql sqlite"}
SIZES=${SIZES-"small large"}
DURATION=${DURATION:-5}
WORKERS=${WORKERS:-2}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
# The PostgreSQL databases are named $PG_PREFIX_small and $PG_PREFIX_large.
PG_PREFIX=${PG_PREFIX:-heseltine_bench}
mkdir -p bench/results

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
make venv >/dev/null

export DJANGO_SETTINGS_MODULE=bench.settings
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=benchmark-only-not-secret
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_COOKIES=false
# Not a log line per 404 or request: the benchmark measures the pages.
export DJANGO_LOG_LEVEL=${DJANGO_LOG_LEVEL:-ERROR}
export STATIC_ROOT="$PWD/bench/results/static"
export MEDIA_ROOT="$PWD/bench/results/media"
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

pids=()
# Wait for each server to exit, so the next one can bind its port and the
# health check never reaches a server that is shutting down.
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

serve() {  # port, page cache on/off[, database URL]
  DATABASE_URL=${3:-$DATABASE_URL} DJANGO_PAGE_CACHE=$2 .venv/bin/gunicorn heseltine.wsgi --bind "127.0.0.1:$1" \
    --workers "$WORKERS" --log-level warning &
  pids+=($!)
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.2
  done
  echo "gunicorn on port $1 did not start" >&2
  return 1
}

database_url() {  # database, size
  if [ "$1" = postgresql ]; then
    echo "$PG/${PG_PREFIX}_$2"
  else
    echo "sqlite:///$PWD/bench/results/bench_$2.sqlite3"
  fi
}

for db in $DATABASES; do
  for size in $SIZES; do
    export DATABASE_URL=$(database_url "$db" "$size")
    if [ "$db" = postgresql ]; then
      psql "$PG/postgres" -qc "CREATE DATABASE ${PG_PREFIX}_$size" 2>/dev/null || true
    fi
    .venv/bin/python manage.py migrate --noinput --verbosity 0
    .venv/bin/python manage.py load_demo_content
    .venv/bin/python manage.py generate_bench_data --size "$size"
    serve 8101 true
    serve 8102 false
    .venv/bin/python bench/drive.py --database "$db" --size "$size" \
      --cached http://127.0.0.1:8101 --uncached http://127.0.0.1:8102 \
      --duration "$DURATION"
    cleanup
    pids=()
  done
  # Growth with the data: both sizes served at once, measured in pairs.
  if [ -e "bench/results/$db-small.json" ] && [ -e "bench/results/$db-large.json" ]; then
    serve 8103 false "$(database_url "$db" small)"
    serve 8104 false "$(database_url "$db" large)"
    .venv/bin/python bench/drive.py --growth --database "$db" \
      --small http://127.0.0.1:8103 --large http://127.0.0.1:8104 \
      --duration "$DURATION"
    cleanup
    pids=()
  fi
done
.venv/bin/python bench/drive.py --report
