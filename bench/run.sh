#!/usr/bin/env bash
# Benchmark the public pages against Django's own floor, production-style.
#
#   bench/run.sh                    # PostgreSQL and SQLite, large data set
#   DATABASES="sqlite" DURATION=3 bench/run.sh
#   DATABASES="sqlite" SIZES="large" bench/run.sh   # redo one run, keep the rest
#
# For each database it loads the large synthetic data set (and a small one,
# for the latency-at-size comparison), starts gunicorn (2 sync workers, debug
# off) twice, with the page cache on and off, and drives each page and the
# floor alternately with wrk. Results are printed and written to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASES=${DATABASES:-"postgresql sqlite"}
SIZES=${SIZES:-"small large"}
DURATION=${DURATION:-5}
WORKERS=${WORKERS:-2}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
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

serve() {  # port, page cache on/off
  DJANGO_PAGE_CACHE=$2 .venv/bin/gunicorn heseltine.wsgi --bind "127.0.0.1:$1" \
    --workers "$WORKERS" --log-level warning &
  pids+=($!)
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.2
  done
  echo "gunicorn on port $1 did not start" >&2
  return 1
}

for db in $DATABASES; do
  for size in $SIZES; do
    if [ "$db" = postgresql ]; then
      export DATABASE_URL="$PG/heseltine_bench_$size"
      psql "$PG/postgres" -qc "CREATE DATABASE heseltine_bench_$size" 2>/dev/null || true
    else
      export DATABASE_URL="sqlite:///$PWD/bench/results/bench_$size.sqlite3"
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
done
.venv/bin/python bench/drive.py --report
