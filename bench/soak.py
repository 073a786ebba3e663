"""Soak the site: public traffic and two editors saving, with Redis killed midway.

    .venv/bin/python bench/soak.py                # 60 s steady, 60 s with an outage
    .venv/bin/python bench/soak.py --duration 10  # a quick run
    .venv/bin/python bench/soak.py --phases steady,kill,freeze

The site runs as in production: gunicorn (sync workers, debug off), PostgreSQL,
and REDIS_URL pointing to a redis-server this script starts on a free loopback
port (with an append-only file, so a restart brings back its old keys). The
database, named in --database-url, is dropped and made afresh with the demo
content and two editor accounts; its name must contain "soak".

In each phase, --concurrency readers fetch public pages at random (every page
in the sitemap, lists, feeds, search, robots.txt) while two editors, logged in
through the admin's login form, each change a post of their own once a second
through its change form as rendered (WebTest driving the real server). After
each save is accepted the post's public page is fetched: a page without the
new title is *stale*; a save accepted but missing from the next form opened is
*lost*. In the "kill" phase Redis is killed a third of the way through and
started again at two thirds; "freeze" stops it with SIGSTOP instead.
See bench/README.md ("Soak").
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import redis
from psycopg2 import sql
from webtest import TestApp

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "soak-only-not-secret"
EDITORS = ("editor", "editor2")
LISTS = [
    "/",
    "/about/",
    "/themes/",
    "/people/",
    "/blog/",
    "/blog/tag/devolution/",
    "/blog/feed/rss/",
    "/blog/feed/atom/",
    "/partnerships/",
    "/search/?q=housing",
    "/search/?q=devolution&kind=post",
    "/robots.txt",
    "/sitemap.xml",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    """(status, body) of an anonymous GET; status 0 if there was no answer."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


class Redis:
    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--dir", str(self.directory), "--save", "", "--appendonly", "yes",
             "--appendfsync", "no",
             "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return client.dbsize()
            except redis.RedisError:
                time.sleep(0.05)
        sys.exit("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.kill()


def recreate_database(url, drop_only=False):
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "soak" not in name:
        sys.exit(f"The database {name!r} would be dropped: its name must hold 'soak'.")
    server = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        if not drop_only:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


class Site:
    """The database, Redis and gunicorn, made afresh; stopped and dropped after."""

    def __init__(self, args):
        self.args = args
        self.directory = Path(tempfile.mkdtemp(prefix="heseltine-soak-"))
        self.redis = Redis(self.directory)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.directory / "gunicorn.log"
        self.server = None

    def __enter__(self):
        recreate_database(self.args.database_url)
        self.redis.start()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("DJANGO_") and key != "CACHE_URL"
        }
        env.update(
            DJANGO_SETTINGS_MODULE="heseltine.settings",
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="soak-only-not-secret",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_COOKIES="false",
            DJANGO_EDITOR_PASSWORD=PASSWORD,
            DATABASE_URL=self.args.database_url,
            REDIS_URL=self.redis.url,
            CACHE_KEY_PREFIX="heseltine-soak",
            SITE_URL=self.url,
            STATIC_ROOT=str(self.directory / "static"),
            MEDIA_ROOT=str(self.directory / "media"),
        )
        commands = [
            ["migrate", "--noinput"],
            ["collectstatic", "--noinput"],
            ["load_demo_content"],
            *(["ensure_editor", "--username", name] for name in EDITORS),
        ]
        for command in commands:
            subprocess.run(
                [sys.executable, "manage.py", *command, "--verbosity", "0"],
                env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        with self.log.open("w") as output:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "heseltine.wsgi",
                 "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(self.args.workers)],
                env=env, cwd=ROOT, stdout=output, stderr=output,
            )  # fmt: skip
        for _ in range(100):
            if get(f"{self.url}/healthz")[0] == 200:
                return self
            time.sleep(0.2)
        sys.exit(f"gunicorn did not start; see {self.log}")

    def __exit__(self, *exc_info):
        if self.server:
            self.server.terminate()
            self.server.wait()
        self.redis.stop()
        if not self.args.keep:
            recreate_database(self.args.database_url, drop_only=True)
            shutil.rmtree(self.directory, ignore_errors=True)

    def public_urls(self):
        _, sitemap = get(f"{self.url}/sitemap.xml")
        pages = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        return [f"{self.url}{path}" for path in LISTS] + pages


class Phase:
    """What happened in one phase: every request and save, and when."""

    def __init__(self, name):
        self.name = name
        self.requests = []  # (started, seconds, status)
        self.saves = []  # (started, seconds, accepted)
        self.failures = []  # (started, status, url) of each non-2xx answer
        self.lost = []
        self.stale = []
        self.outage = None  # (from, to), seconds since the phase began

    def during_outage(self, started, seconds):
        return self.outage is not None and (
            started + seconds >= self.outage[0] and started <= self.outage[1]
        )


def reader(urls, phase, began, stop, seed):
    choose = random.Random(seed).choice
    while not stop.is_set():
        url = choose(urls)
        started = time.monotonic()
        status, _ = get(url)
        phase.requests.append((started - began, time.monotonic() - started, status))
        if not 200 <= status < 300:
            phase.failures.append((started - began, status, url))


class Editor:
    """An editor logged in through the admin's login form, with a post of their own."""

    def __init__(self, site, username, number):
        self.app = TestApp(f"http://localhost:{site.port}")  # cookies kept by name
        login = self.app.get("/admin/login/").forms["login-form"]
        login["username"], login["password"] = username, PASSWORD
        login.submit()
        changelist = self.app.get("/admin/blog/post/")
        page = changelist.click(href=r"/admin/blog/post/\d+/change/", index=number)
        self.change_url = page.request.path
        form = page.forms["post_form"]
        self.original = form["title"].value
        self.public_url = f"{site.url}/blog/{form['slug'].value}/"
        self.username = username
        self.offset = number / len(EDITORS)

    def title(self):
        return self.app.get(self.change_url).forms["post_form"]["title"].value

    def save_every_second(self, phase, began, stop):
        """Save through the form as rendered; check each save is kept and shown."""
        saved = None
        next_save = time.monotonic() + self.offset
        for count in range(sys.maxsize):
            if stop.wait(max(0, next_save - time.monotonic())):
                break
            next_save += 1
            started = time.monotonic()
            page = self.app.get(self.change_url, expect_errors=True)
            if page.status_code != 200:  # the form could not even be opened
                phase.saves.append((started - began, time.monotonic() - started, False))
                continue
            form = page.forms["post_form"]
            if saved is not None and form["title"].value != saved:
                phase.lost.append(saved)
            title = f"{self.original} (soak {self.username} {count})"
            form["title"] = title
            started = time.monotonic()
            response = form.submit("_save", expect_errors=True)
            accepted = response.status_code == 302
            phase.saves.append((started - began, time.monotonic() - started, accepted))
            if accepted:
                saved = title
                status, body = get(self.public_url)
                if title not in body:
                    phase.stale.append(
                        (time.monotonic() - began, status, self.public_url)
                    )
        if saved is not None and self.title() != saved:
            phase.lost.append(saved)


def run_phase(site, editors, name, args):
    phase = Phase(name)
    urls = site.public_urls()
    stop = threading.Event()
    began = time.monotonic()
    threads = [
        threading.Thread(target=reader, args=(urls, phase, began, stop, n))
        for n in range(args.concurrency)
    ] + [
        threading.Thread(target=editor.save_every_second, args=(phase, began, stop))
        for editor in editors
    ]
    for thread in threads:
        thread.start()
    third = args.duration / 3
    if name == "steady":
        time.sleep(args.duration)
    else:
        time.sleep(third)
        outage_began = time.monotonic() - began
        if name == "kill":
            site.redis.kill()
        else:
            site.redis.freeze()
        time.sleep(third)
        if name == "kill":
            keys = site.redis.start()
            print(f"  Redis restarted with {keys} keys from before")
        else:
            site.redis.thaw()
        phase.outage = (outage_began, time.monotonic() - began)
        time.sleep(args.duration - 2 * third)
    stop.set()
    for thread in threads:
        thread.join()
    return phase


def percentile(values, share):
    values = sorted(values)
    return values[round(share * (len(values) - 1))] if values else 0.0


def report(phases, args):
    print(
        f"\n{args.concurrency} readers and {len(EDITORS)} editors, "
        f"{args.duration:g} s a phase, gunicorn with {args.workers} sync workers\n"
    )
    print(
        "| phase | requests | non-2xx | of which during the outage "
        "| p50 ms | p99 ms | p99 ms during the outage | max ms "
        "| saves attempted | accepted | lost | stale after a save | save p99 ms |"
    )
    print("| --- |" + " --- |" * 12)
    for phase in phases:
        during = [
            (seconds, status)
            for started, seconds, status in phase.requests
            if phase.during_outage(started, seconds)
        ]
        latencies = [seconds * 1000 for _, seconds, _ in phase.requests]
        outage_errors = outage_p99 = "-"
        if phase.outage:
            outage_errors = sum(1 for _, status in during if not 200 <= status < 300)
            outage_p99 = f"{percentile([s * 1000 for s, _ in during], 0.99):.1f}"
        accepted = sum(1 for *_, ok in phase.saves if ok)
        save_p99 = percentile([seconds * 1000 for _, seconds, _ in phase.saves], 0.99)
        print(
            f"| {phase.name} | {len(phase.requests)} | {len(phase.failures)} "
            f"| {outage_errors} "
            f"| {percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.99):.1f} "
            f"| {outage_p99} | {max(latencies, default=0):.1f} "
            f"| {len(phase.saves)} | {accepted} | {len(phase.lost)} "
            f"| {len(phase.stale)} | {save_p99:.0f} |"
        )
    for phase in phases:
        for when, status, url in phase.failures:
            print(f"{phase.name} at {when:.1f} s: {status or 'no answer'} from {url}")
        for when, status, url in phase.stale:
            print(f"stale in {phase.name} at {when:.1f} s ({status}): {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds a phase")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--phases", default="steady,kill", help="steady, kill and freeze, in order"
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/heseltine_soak",
        help="a PostgreSQL database to drop and make afresh (its name holds 'soak')",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the logs"
    )
    args = parser.parse_args()
    names = args.phases.split(",")
    if not set(names) <= {"steady", "kill", "freeze"}:
        parser.error("phases are steady, kill and freeze")
    with Site(args) as site:
        for url in site.public_urls():  # each page rendered once before timing
            get(url)
        editors = [Editor(site, name, n) for n, name in enumerate(EDITORS)]
        phases = []
        for name in names:
            print(f"{name}: {args.duration:g} s", flush=True)
            phases.append(run_phase(site, editors, name, args))
        report(phases, args)
        log = site.log.read_text()
        print(
            f"\nThe server logged {log.count('The cache is unavailable')} outage(s) "
            f"and {log.count('The cache answers again')} recovery(ies), one a worker; "
            f"{log.count('Traceback')} tracebacks."
        )


if __name__ == "__main__":
    main()
