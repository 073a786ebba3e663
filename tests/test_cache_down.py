"""Redis down or frozen, served as in production: gunicorn, debug off, REDIS_URL.

Two app servers share one Redis of the test's own (tests/redis_server.py), as
several would behind a load balancer. An editor logs in and saves through the
admin's forms as rendered, over HTTP (WebTest driving the real server).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from webtest import TestApp

from tests.redis_server import RedisServer, free_port, require_redis_server
from tests.test_database_down import get, site_environment, wait_until_answering

BOUND = 2.0  # seconds; Redis is given REDIS_TIMEOUT = 0.5 s
STAMP_KEY = "heseltine:1:content-stamp"
PASSWORD = "tests-only-editor-password"


class Server:
    """gunicorn serving the site, in a process group of its own."""

    def __init__(self, env, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "heseltine.wsgi",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
                env=env, cwd=settings.BASE_DIR, stdout=output, stderr=output,
                start_new_session=True,
            )  # fmt: skip
        wait_until_answering(f"{self.url}/healthz", self.process)

    def freeze(self):
        """Stop the master and its workers: they can do nothing, not even retry."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self):
        self.thaw()
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def site():
    """Servers A and B on one SQLite database and one Redis, with the demo content."""
    require_redis_server()
    directory = Path(tempfile.mkdtemp(prefix="heseltine-cache-down-"))
    redis_server = RedisServer(directory / "redis")
    servers = []
    try:
        redis_server.start()
        env = site_environment(directory, f"sqlite:///{directory / 'site.sqlite3'}")
        env.update(
            REDIS_URL=redis_server.url,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_EDITOR_PASSWORD=PASSWORD,
        )
        for command in (["migrate"], ["load_demo_content"], ["ensure_editor"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], env=env,
                cwd=settings.BASE_DIR, check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        for name in ("a", "b"):
            servers.append(Server(env, directory / f"gunicorn-{name}.log"))
        yield {"a": servers[0], "b": servers[1], "redis": redis_server}
    finally:
        for server in servers:
            server.stop()
        redis_server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def logged_in(server):
    """The editor, logged in through the admin's login form on `server`."""
    # By name: WebTest keeps cookies for "localhost", not for an address.
    app = TestApp(f"http://localhost:{server.port}")
    form = app.get("/admin/login/").forms["login-form"]
    form["username"] = "editor"
    form["password"] = PASSWORD
    assert form.submit().status_code == HTTPStatus.FOUND
    return app


def a_post(app, number):
    """The change form of the number-th post in the admin's list, and its address."""
    changelist = app.get("/admin/blog/post/")
    page = changelist.click(href=r"/admin/blog/post/\d+/change/", index=number)
    form = page.forms["post_form"]
    return form, f"/blog/{form['slug'].value}/"


def timed_get(url):
    started = time.monotonic()
    status, headers, body = get(url)
    return status, headers, body, time.monotonic() - started


def warm(url):
    """Request `url` until it is served from the cache.

    Not twice and done: another server paying a debt (a new connection to
    Redis, say) may renew the stamp between the two requests.
    """
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        status, headers, _ = get(url)
        assert status == HTTPStatus.OK
        if headers["X-Page-Cache"] == "hit":
            return
        time.sleep(0.1)
    pytest.fail(f"{url} was never served from the cache")


def wait_for_a_cache_hit(url, title):
    """Request `url` until it is served from the cache; every answer shows `title`."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        status, headers, body = get(url)
        assert status == HTTPStatus.OK
        assert title in body, "a page from before the save"
        if headers["X-Page-Cache"] == "hit":
            return
        time.sleep(0.1)
    pytest.fail(f"{url} was not served from the cache again")


def test_a_frozen_redis_costs_pages_and_saves_a_moment_and_loses_nothing(site):
    a, redis_server = site["a"], site["redis"]
    editor = logged_in(a)
    form, path = a_post(editor, 0)
    warm(a.url + path)

    redis_server.freeze()
    try:
        for page in ("/", "/robots.txt", "/blog/feed/rss/", "/blog/feed/atom/", path):
            status, _, _, seconds = timed_get(a.url + page)
            assert status == HTTPStatus.OK, page
            assert seconds < BOUND, f"{page} took {seconds:.1f} s"
        status, _, body, seconds = timed_get(f"{a.url}/healthz")
        assert status == HTTPStatus.OK
        assert '"status": "degraded"' in body
        assert seconds < BOUND

        form["title"] = "Saved while Redis was frozen"
        started = time.monotonic()
        assert form.submit("_save").status_code == HTTPStatus.FOUND
        assert time.monotonic() - started < BOUND
    finally:
        redis_server.thaw()

    wait_for_a_cache_hit(a.url + path, "Saved while Redis was frozen")


def test_after_a_restart_with_old_keys_no_server_shows_a_page_from_before_a_save(
    site,
):
    a, b, redis_server = site["a"], site["b"], site["redis"]
    editor = logged_in(a)
    form, path = a_post(editor, 1)
    warm(b.url + path)
    stamp = redis_server.client().get(STAMP_KEY)

    redis_server.kill()
    form["title"] = "Saved on A while Redis was down"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    status, _, body = get(f"{a.url}/healthz")
    assert (status, '"cache": "error"' in body) == (HTTPStatus.OK, True)

    # A owes a new stamp; frozen, it cannot pay it. B saw nothing of the outage.
    a.freeze()
    try:
        redis_server.start()
        assert redis_server.client().get(STAMP_KEY) == stamp  # its old keys
        status, headers, body = get(b.url + path)
        assert status == HTTPStatus.OK
        assert "Saved on A while Redis was down" in body
        assert headers["X-Page-Cache"] == "miss"  # from Redis, not around it
        wait_for_a_cache_hit(b.url + path, "Saved on A while Redis was down")
    finally:
        a.thaw()
    wait_for_a_cache_hit(a.url + path, "Saved on A while Redis was down")
    assert '"status": "ok"' in get(f"{a.url}/healthz")[2]
