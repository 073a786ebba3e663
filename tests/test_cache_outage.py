"""The cache fails, the site does not.

The site's cache is a Redis of the test's own (tests/redis_server.py), configured
as settings.py configures REDIS_URL, which the test kills (connections refused)
or freezes with SIGSTOP (connections hang). Pages answer, quickly; an editor's
save through the admin form as rendered is kept; and when Redis comes back with
its old keys, no page from before the save is ever shown again.
"""

import logging
import runpy
import threading
import time
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from blog.models import Post
from blog.roles import EDITORS, ensure_roles
from tests.factories import member
from tests.redis_server import RedisServer, require_redis_server

pytestmark = pytest.mark.django_db(transaction=True)

# Redis answers within REDIS_TIMEOUT (0.5 s) or is left alone: no page or save
# waits longer than this for it.
BOUND = 2.0
STAMP_KEY = "heseltine-tests:1:content-stamp"


@pytest.fixture
def redis_server(tmp_path):
    require_redis_server()
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server, monkeypatch):
    """The site's cache on that server, as settings.py makes it for REDIS_URL."""
    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("CACHE_KEY_PREFIX", "heseltine-tests")
    original = settings.CACHES
    settings.CACHES = runpy.run_path(
        django_settings.BASE_DIR / "heseltine/settings.py"
    )["CACHES"]
    yield redis_server
    # Before the server stops: the autouse clear_cache fixture clears after us.
    settings.CACHES = original


@pytest.fixture
def demo(db):
    call_command("load_demo_content", verbosity=0)
    ensure_roles()
    return Post.objects.public().first()


@pytest.fixture
def editor(demo):
    return member(EDITORS, "edith")


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def change_form(django_app, post, editor):
    page = django_app.get(
        reverse("admin:blog_post_change", args=[post.pk]), user=editor
    )
    return page.forms["post_form"]


def wait_for_a_cache_hit(client, url, expected):
    """Request `url` until the cache serves it; every answer shows `expected`."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert expected in response.content.decode(), "a page from before the save"
        if response.get("X-Page-Cache") == "hit":
            return
        time.sleep(0.1)
    pytest.fail(f"{url} was not served from the cache again")


def public_urls(post):
    return [
        "/",
        "/robots.txt",
        "/blog/",
        "/blog/feed/rss/",
        "/blog/feed/atom/",
        "/sitemap.xml",
        post.get_absolute_url(),
    ]


@pytest.mark.parametrize("outage", ["killed", "frozen"])
def test_public_pages_answer_quickly_while_redis_is_down(
    client, redis_cache, demo, outage
):
    urls = public_urls(demo)
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    stop, start = {
        "killed": (redis_cache.kill, redis_cache.start),
        "frozen": (redis_cache.freeze, redis_cache.thaw),
    }[outage]
    stop()
    # A page that waited for ever would hold this test for ever: not so.
    safety = threading.Timer(BOUND * 5, redis_cache.thaw)
    safety.start()
    try:
        for url in urls:
            response, seconds = timed_get(client, url)
            assert response.status_code == HTTPStatus.OK, url
            assert seconds < BOUND, f"{url} took {seconds:.1f} s"
            assert "X-Page-Cache" not in response
    finally:
        safety.cancel()
    start()
    for url in urls:
        wait_for_a_cache_hit(client, url, "")


def test_an_editors_save_while_redis_is_down_is_kept_and_shown_when_it_returns(
    client, django_app, redis_cache, demo, editor
):
    url = demo.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    form = change_form(django_app, demo, editor)
    stamp_before = redis_cache.client().get(STAMP_KEY)

    redis_cache.kill()
    form["title"] = "Saved while the cache was down"
    response = form.submit("_save")

    assert response.status_code == HTTPStatus.FOUND
    assert Post.objects.get(pk=demo.pk).title == "Saved while the cache was down"
    response, seconds = timed_get(client, url)
    assert "Saved while the cache was down" in response.content.decode()
    assert seconds < BOUND

    redis_cache.start()
    # Back with its old keys: the stamp from before the save, and its pages.
    assert redis_cache.client().get(STAMP_KEY) == stamp_before
    wait_for_a_cache_hit(client, url, "Saved while the cache was down")


def test_an_editors_save_while_redis_is_frozen_is_quick_kept_and_shown_after(
    client, django_app, redis_cache, demo, editor
):
    url = demo.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    form = change_form(django_app, demo, editor)

    redis_cache.freeze()
    safety = threading.Timer(BOUND * 5, redis_cache.thaw)
    safety.start()
    try:
        # A reader finds it frozen first, so the save does not even try it.
        assert timed_get(client, url)[1] < BOUND
        form["title"] = "Saved while the cache was frozen"
        started = time.monotonic()
        response = form.submit("_save")
        seconds = time.monotonic() - started
    finally:
        safety.cancel()

    assert response.status_code == HTTPStatus.FOUND
    assert seconds < BOUND
    assert Post.objects.get(pk=demo.pk).title == "Saved while the cache was frozen"
    redis_cache.thaw()
    wait_for_a_cache_hit(client, url, "Saved while the cache was frozen")


def test_the_health_check_reports_the_cache_and_its_recovery(client, redis_cache):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}

    redis_cache.kill()
    response, seconds = timed_get(client, "/healthz")
    # Up, without its cache: a load balancer keeps the server in service.
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "error"}
    assert seconds < BOUND

    redis_cache.start()
    deadline = time.monotonic() + 15
    while client.get("/healthz").json()["cache"] != "ok":
        assert time.monotonic() < deadline, "the cache was not reported back"
        time.sleep(0.1)


def test_an_outage_is_logged_once_and_its_end_once(client, redis_cache, demo, caplog):
    caplog.set_level(logging.INFO, logger="heseltine.cache")
    url = demo.get_absolute_url()
    redis_cache.kill()
    for _ in range(20):
        assert client.get(url).status_code == HTTPStatus.OK
    redis_cache.start()
    wait_for_a_cache_hit(client, url, demo.title)

    records = [record for record in caplog.records if record.name == "heseltine.cache"]
    messages = [record.getMessage() for record in records]
    assert len(messages) == 2, messages
    assert records[0].levelno == logging.WARNING
    assert messages[0].startswith("The cache is unavailable")
    assert messages[1].startswith("The cache answers again")
