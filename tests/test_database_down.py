"""With the database down, pages answer 503 with Retry-After; cached pages still serve.

The site runs as in production (gunicorn, debug off) on a PostgreSQL cluster of
its own, which the test then stops: the failure is a real refused connection.
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import missing_service

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster on a loopback port, trusting local logins."""

    def __init__(self, directory):
        self.data = directory / "data"
        self.log = directory / "postgres.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        # PostgreSQL refuses to run as root; the Debian package's user can.
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(directory, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *command):
        subprocess.run(
            [*self.as_user, *command], check=True, capture_output=True, timeout=60
        )

    def create(self):
        self.run(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--no-sync",
        )  # fmt: skip

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        )
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options,
                 "-w", "start")  # fmt: skip

    def stop(self):
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")


def site_environment(directory, database_url):
    """The environment of `make serve`, on the cluster, with a local-memory cache."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_")
        and key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="heseltine.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="tests-only-not-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        DATABASE_URL=database_url,
        # Its own content-stamp file (in the temporary directory), not the checkout's.
        TMPDIR=str(directory),
    )
    return env


def wait_until_answering(url, server):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped: {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the site did not answer at {url}")


def get(url):
    """(status, headers, body) of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture(scope="module")
def site():
    """The site served by gunicorn from its own PostgreSQL cluster."""
    missing = [name for name in ("initdb", "pg_ctl") if not (PG_BIN / name).exists()]
    if missing:
        missing_service(f"PostgreSQL's {', '.join(missing)} not found in {PG_BIN}")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing_service("running as root, and there is no postgres user to run as")
    directory = Path(tempfile.mkdtemp(prefix="heseltine-db-down-"))
    cluster = Cluster(directory)
    server = None
    try:
        cluster.create()
        cluster.start()
        env = site_environment(directory, cluster.url)
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "--noinput"], ["load_demo_content"]):
            subprocess.run(
                [*manage, *command], env=env, cwd=settings.BASE_DIR, check=True,
                capture_output=True, timeout=120,
            )  # fmt: skip
        port = free_port()
        log = directory / "gunicorn.log"
        with log.open("w") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "heseltine.wsgi",
                 "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                env=env, cwd=settings.BASE_DIR, stdout=output, stderr=output,
            )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/healthz", server)
        yield {"url": base, "cluster": cluster, "log": log, "directory": directory}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped already
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def test_with_the_database_down_pages_answer_503_and_cached_pages_still_serve(site):
    url = site["url"]
    status, headers, _ = get(f"{url}/")
    assert status == HTTPStatus.OK
    status, headers, home = get(f"{url}/")
    assert headers["X-Page-Cache"] == "hit"

    site["cluster"].stop()

    for _ in range(2):  # and the 503 is not kept
        status, headers, body = get(f"{url}/people/")
        assert status == HTTPStatus.SERVICE_UNAVAILABLE
        assert headers["Retry-After"] == "30"
        assert "no-store" in headers["Cache-Control"]
        assert "X-Page-Cache" not in headers
        assert "Sorry, the site is unavailable" in body
        assert "Please try again in a minute or two." in body
    status, headers, body = get(f"{url}/")
    assert status == HTTPStatus.OK
    assert headers["X-Page-Cache"] == "hit"
    assert body == home
    assert "The database is unavailable: answering /people/ with 503" in (
        site["log"].read_text()
    )

    # With no content stamp either (a new host, say), pages still answer 503.
    stamps = list(Path(site["directory"]).glob("heseltine-content-stamp-*"))
    assert stamps
    for stamp in stamps:
        stamp.unlink()
    status, headers, _ = get(f"{url}/about/")
    assert status == HTTPStatus.SERVICE_UNAVAILABLE
    assert headers["Retry-After"] == "30"

    site["cluster"].start()
    status, _, body = get(f"{url}/people/")
    assert status == HTTPStatus.OK
    assert "Sorry, the site is unavailable" not in body
