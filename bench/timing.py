"""Time each benchmark page in-process: a quick measure while changing code.

    DATABASE_URL=postgres://.../heseltine_bench_large .venv/bin/python bench/timing.py
    ... bench/timing.py --profile post       # pyinstrument's profile of one page

Renders the pages `bench/drive.py` measures with Django's test client, debug
off and the page cache off, in this one process: no server, no network, so
on a shared machine it varies less than `bench/run.sh`. Prints, for each page,
the best and the median time of several rounds (on a busy machine the best
is the steadier: other work only ever adds time), the CPU time this process
spent on it (which other processes hardly change, but which leaves out the
database's own work) and its queries. For a before/after
comparison run it on both, on the same database, one after the other.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup():
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_PAGE_CACHE="false",
        DJANGO_SECRET_KEY="benchmark-only-not-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage."
        "StaticFilesStorage",
        DJANGO_LOG_LEVEL="CRITICAL",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=20, help="in each round")
    parser.add_argument("--profile", metavar="PAGE", help="profile this page")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.drive import pages

    client = Client()
    urls = pages()
    if args.profile:
        from pyinstrument import Profiler

        url = urls[args.profile]
        client.get(url)
        with Profiler(interval=0.0001) as profiler:
            for _ in range(args.rounds * args.requests):
                client.get(url)
        profiler.print(show_all=False)
        return
    print(f"| page | best ms of {args.rounds} rounds | median ms | CPU ms | queries |")
    print("| --- | --- | --- | --- | --- |")
    total = []
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        count = len(queries)
        rounds, cpu = [], []
        for _ in range(args.rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                client.get(url)
            rounds.append((time.perf_counter() - start) * 1000 / args.requests)
            cpu.append((time.process_time() - start_cpu) * 1000 / args.requests)
        row = (min(rounds), statistics.median(rounds), statistics.median(cpu))
        total.append(row)
        print(f"| {name} | {row[0]:.2f} | {row[1]:.2f} | {row[2]:.2f} | {count} |")
    sums = [sum(column) for column in zip(*total, strict=True)]
    print(f"| all pages | {sums[0]:.2f} | {sums[1]:.2f} | {sums[2]:.2f} | |")


if __name__ == "__main__":
    main()
