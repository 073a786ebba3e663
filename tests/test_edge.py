"""Varnish in front of two app servers, told of every change (deploy/varnish/).

varnishd (Debian's) runs the shipped VCL with only its backends' ports
changed, in front of two gunicorn servers, A and B, which share one database
(SQLite, or a PostgreSQL database of the test's own when DATABASE_URL names a
PostgreSQL server) and one Redis of the test's own, and which are told its
address in FRONTEND_CACHE_URLS. An editor logs in and saves through the
admin's forms as rendered, over HTTP (WebTest driving the real servers),
through Varnish as they would in production, or straight at A or B.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg2
import pytest
from django.conf import settings
from webtest import TestApp

from heseltine.edge import FOLLOW_UP
from tests.redis_server import RedisServer, free_port, require_redis_server
from tests.services import missing_service
from tests.test_cache_down import Server
from tests.test_database_down import get, site_environment, wait_until_answering

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = Path(settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl"
PASSWORD = "tests-only-editor-password"
LONDON = ZoneInfo("Europe/London")


class Varnish:
    """varnishd in the foreground at `port`: the shipped VCL, in front of `backends`."""

    def __init__(self, directory, port, backends):
        self.directory = directory
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        vcl = VCL.read_text()
        for shipped, port in zip(
            ('.port = "8000";', '.port = "8001";'), backends, strict=True
        ):
            assert f'.host = "127.0.0.1"; {shipped}' in vcl, "the shipped backend"
            vcl = vcl.replace(shipped, f'.port = "{port}";')
        (directory / "default.vcl").write_text(vcl)
        self.process = None

    def start(self, ready="/healthz"):
        with (self.directory / "varnishd.log").open("w") as log:
            self.process = subprocess.Popen(
                [VARNISHD, "-F", "-j", "none", "-n", self.directory / "work",
                 "-a", f"127.0.0.1:{self.port}", "-T", "none",
                 "-f", self.directory / "default.vcl", "-s", "malloc,32m"],
                stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        if ready == "/healthz":
            wait_until_answering(f"{self.url}/healthz", self.process)
        else:  # any answer: the app servers may be down
            wait_until_listening(self.port, self.process)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def wait_until_listening(port, process):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"varnishd stopped: {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"varnishd did not listen on {port}")


def run_sql(url, statement):
    connection = psycopg2.connect(url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def own_database():
    """A database URL of the test's own: a new PostgreSQL database, or a SQLite file.

    None for SQLite; for PostgreSQL, (url, drop) where drop() removes it.
    """
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(given)
    name = f"heseltine_edge_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    run_sql(admin, f'CREATE DATABASE "{name}"')

    def drop():
        run_sql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.fixture(scope="module")
def site():
    """Varnish, in front of servers A and B, with the demo content."""
    require_redis_server()
    if not Path(VARNISHD).exists():
        missing_service("varnishd is not installed (apt-get install varnish)")
    directory = Path(tempfile.mkdtemp(prefix="heseltine-edge-"))
    redis_server = RedisServer(directory / "redis")
    servers, varnish, database = [], None, None
    try:
        redis_server.start()
        database = own_database()
        url = database[0] if database else f"sqlite:///{directory / 'site.sqlite3'}"
        env = site_environment(directory, url)
        varnish_port = free_port()
        env.update(
            REDIS_URL=redis_server.url,
            # www.example.ac.uk: the Host of the VCL's health checks.
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,www.example.ac.uk",
            DJANGO_EDITOR_PASSWORD=PASSWORD,
            FRONTEND_CACHE_URLS=f"http://127.0.0.1:{varnish_port}",
        )
        for command in (["migrate"], ["load_demo_content"], ["ensure_editor"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], env=env,
                cwd=settings.BASE_DIR, check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        for name in ("a", "b"):
            servers.append(Server(env, directory / f"gunicorn-{name}.log"))
        varnish = Varnish(directory, varnish_port, [s.port for s in servers])
        varnish.start()
        # Each server's first page takes a new stamp (a new connection to Redis
        # is a debt, heseltine.cache), so a BAN, and another a moment later.
        for server in servers:
            get(f"{server.url}/")
        time.sleep(FOLLOW_UP + 0.5)
        yield {"a": servers[0], "b": servers[1], "varnish": varnish}
    finally:
        if varnish is not None:
            varnish.stop()
        for server in servers:
            server.stop()
        redis_server.stop()
        if database:
            database[1]()
        shutil.rmtree(directory, ignore_errors=True)


def logged_in(port):
    """The editor, logged in through the admin's login form at `port`."""
    # By name: WebTest keeps cookies for "localhost", not for an address.
    app = TestApp(f"http://localhost:{port}")
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
    return page, form, f"/blog/{form['slug'].value}/"


def run_action(app, action, page):
    """Run an admin action on the post whose change page is `page`, from the list."""
    post_id = page.request.path.split("/")[-3]
    form = app.get("/admin/blog/post/").forms["changelist-form"]
    form["action"] = action
    form["_selected_action"] = [post_id]
    assert form.submit().status_code == HTTPStatus.FOUND


def cached(url):
    """GET `url` until Varnish answers from its cache; that answer's body."""
    for _ in range(3):
        status, headers, body = get(url)
        assert status == HTTPStatus.OK, url
        if headers["X-Cache"] == "HIT":
            return body
    pytest.fail(f"Varnish did not keep {url}")


def test_a_second_anonymous_get_is_a_hit(site):
    varnish, a = site["varnish"], site["a"]
    status, headers, first = get(f"{varnish.url}/about/")
    assert status == HTTPStatus.OK
    status, headers, second = get(f"{varnish.url}/about/")
    assert (status, headers["X-Cache"], second) == (HTTPStatus.OK, "HIT", first)
    # Only Varnish keeps it: browsers and caches beyond are told to ask again.
    assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "X-Page-Cache" not in headers
    # The app servers say how long it may keep the page.
    _, headers, _ = get(f"{a.url}/about/")
    assert "s-maxage=3600" in headers["Cache-Control"]
    # Nor do campaign tags, or the order of parameters.
    _, headers, body = get(f"{varnish.url}/about/?utm_source=newsletter&fbclid=1")
    assert (headers["X-Cache"], body) == ("HIT", first)
    # The id of this request, not of the one that filled the cache.
    app = TestApp(varnish.url)
    response = app.get("/about/", headers={"X-Request-ID": "f" * 32})
    assert response.headers["X-Cache"] == "HIT"
    assert response.headers["X-Request-ID"] == "f" * 32
    # Cookies an anonymous visitor sends do not make a second copy.
    app.set_cookie("csrftoken", "x" * 32)
    assert app.get("/about/").headers["X-Cache"] == "HIT"
    # A session's are passed to the site, whose answer nobody else gets.
    app.set_cookie("sessionid", "not-a-session")
    response = app.get("/about/")
    assert response.headers["X-Cache"] == "PASS"
    assert "private" in response.headers["Cache-Control"]


def test_an_edit_through_the_admin_shows_through_varnish_on_the_next_request(site):
    varnish = site["varnish"]
    editor = logged_in(varnish.port)
    _, form, path = a_post(editor, 0)
    cached(varnish.url + path)
    cached(f"{varnish.url}/blog/")

    form["title"] = "Edited behind Varnish"
    assert form.submit("_save").status_code == HTTPStatus.FOUND

    for page in (path, "/blog/"):
        status, headers, body = get(varnish.url + page)
        assert status == HTTPStatus.OK
        assert "Edited behind Varnish" in body, page
        assert headers["X-Cache"] == "MISS"
    assert "Edited behind Varnish" in cached(varnish.url + path)


def test_an_unpublish_and_a_publish_show_through_varnish_on_the_next_request(site):
    varnish = site["varnish"]
    editor = logged_in(varnish.port)
    page, form, path = a_post(editor, 1)
    title = form["title"].value
    assert title in cached(varnish.url + path)

    run_action(editor, "unpublish", page)
    assert get(varnish.url + path)[0] == HTTPStatus.NOT_FOUND
    assert title not in get(f"{varnish.url}/blog/")[2]

    run_action(editor, "publish_now", page)
    status, _, body = get(varnish.url + path)
    assert (status, title in body) == (HTTPStatus.OK, True)
    assert title in get(f"{varnish.url}/blog/")[2]


def test_a_scheduled_post_goes_live_through_varnish_and_on_both_servers(site):
    varnish, a, b = site["varnish"], site["a"], site["b"]
    editor = logged_in(varnish.port)
    _, form, path = a_post(editor, 2)
    # Due in a few seconds (the admin takes UK time, to the second).
    due = (datetime.now(LONDON) + timedelta(seconds=6)).replace(microsecond=0)
    form["status"] = "published"
    form["published_at_0"] = due.date().isoformat()
    form["published_at_1"] = due.strftime("%H:%M:%S")
    form["title"] = "Scheduled behind Varnish"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    # Past the BAN that follows the save, so nothing but time drops the list.
    time.sleep(FOLLOW_UP + 0.3)

    for base in (varnish.url, a.url, b.url):
        assert get(base + path)[0] == HTTPStatus.NOT_FOUND
    assert "Scheduled behind Varnish" not in cached(f"{varnish.url}/blog/")
    # Varnish keeps the list only until the post is due.
    _, headers, _ = get(f"{a.url}/blog/")
    s_maxage = int(headers["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 1 <= s_maxage <= 5
    assert "Scheduled behind Varnish" not in cached(f"{varnish.url}/blog/")

    time.sleep(max(0, (due - datetime.now(LONDON)).total_seconds()) + 0.1)
    status, _, body = get(f"{varnish.url}/blog/")
    assert (status, "Scheduled behind Varnish" in body) == (HTTPStatus.OK, True)
    for base in (varnish.url, a.url, b.url):
        status, _, body = get(base + path)
        assert status == HTTPStatus.OK, base
        assert "Scheduled behind Varnish" in body


def test_an_editors_pages_and_previews_are_never_served_to_anyone_else(site):
    varnish = site["varnish"]
    editor = logged_in(varnish.port)
    page, form, path = a_post(editor, 3)
    run_action(editor, "unpublish", page)
    # The editor sees the draft, as a preview, and the home page as staff.
    for _ in range(2):
        response = editor.get(path)
        assert "This post is draft and is not public" in response
        assert response.headers["X-Cache"] == "PASS"
        assert "public" not in response.headers["Cache-Control"]
        home = editor.get("/")
        assert home.headers["X-Cache"] == "PASS"
        assert "private" in home.headers["Cache-Control"]
    for _ in range(2):
        status, headers, _ = get(varnish.url + path)
        assert status == HTTPStatus.NOT_FOUND
        assert headers["X-Cache"] != "HIT"

    # A reviewer's link: theirs alone, kept by nobody.
    page = editor.get(page.request.path)
    link = page.html.find("input", attrs={"aria-label": "Reviewer preview link"})
    preview = urlsplit(link["value"]).path
    for _ in range(2):
        status, headers, body = get(varnish.url + preview)
        assert status == HTTPStatus.OK
        assert form["title"].value in body
        assert headers["X-Cache"] == "PASS"
        assert "no-store" in headers["Cache-Control"]
        assert "public" not in headers["Cache-Control"]


def test_an_edit_saved_on_one_server_shows_on_the_other_and_through_varnish(site):
    varnish, a, b = site["varnish"], site["a"], site["b"]
    on_a = logged_in(a.port)
    # The session made on A works on B (cookies are kept by host, not port).
    on_b = TestApp(b.url.replace("127.0.0.1", "localhost"), cookiejar=on_a.cookiejar)
    assert "Log out" in on_b.get("/admin/")
    page, form, path = a_post(on_a, 4)
    for base in (a.url, b.url):
        get(base + path)
        assert get(base + path)[1]["X-Page-Cache"] == "hit"
    cached(varnish.url + path)

    form["title"] = "Saved on A"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    for base in (b.url, varnish.url, a.url):
        assert "Saved on A" in get(base + path)[2], base

    form = on_b.get(page.request.path).forms["post_form"]
    form["title"] = "Saved on B"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    for base in (a.url, varnish.url, b.url):
        assert "Saved on B" in get(base + path)[2], base


def test_a_ban_from_outside_is_refused(site):
    varnish = site["varnish"]
    app = TestApp(varnish.url)
    cached(f"{varnish.url}/about/")
    # Through a proxy (nginx adds X-Forwarded-For): not an app server's BAN.
    response = app.request(
        "/", method="BAN", headers={"X-Forwarded-For": "203.0.113.9"}, status="*"
    )
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert get(f"{varnish.url}/about/")[1]["X-Cache"] == "HIT"


def test_the_shipped_vcl_compiles():
    if not Path(VARNISHD).exists():
        missing_service("varnishd is not installed (apt-get install varnish)")
    with tempfile.TemporaryDirectory() as directory:
        result = subprocess.run(
            [VARNISHD, "-C", "-j", "none", "-f", VCL, "-n", directory],
            capture_output=True, text=True, timeout=60, cwd=directory,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # Staff are known by the site's session cookie.
    assert f"(^|;\\s*){settings.SESSION_COOKIE_NAME}=" in VCL.read_text()


def test_with_no_app_server_answering_varnish_says_so_in_the_sites_words():
    if not Path(VARNISHD).exists():
        missing_service("varnishd is not installed (apt-get install varnish)")
    directory = Path(tempfile.mkdtemp(prefix="heseltine-edge-down-"))
    closed = free_port()  # nothing listens there
    varnish = Varnish(directory, free_port(), [closed, closed])
    try:
        varnish.start(ready="/")
        status, headers, body = get(f"{varnish.url}/about/")
        assert status == HTTPStatus.SERVICE_UNAVAILABLE
        assert headers["Retry-After"] == "30"
        assert headers["Cache-Control"] == "no-store"
        assert "Sorry, the site is unavailable" in body
    finally:
        varnish.stop()
        shutil.rmtree(directory, ignore_errors=True)
