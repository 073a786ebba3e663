"""Anonymous pages come from the cache, and every change shows at once."""

import contextlib
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import transaction
from django.utils import timezone

from heseltine import cache as page_cache
from tests import urls_cache
from tests.factories import InstituteProfileFactory, PageFactory, UserFactory
from tests.services import missing_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_urls(settings):
    settings.ROOT_URLCONF = "tests.urls_cache"
    urls_cache.calls["public"] = 0


def test_a_second_anonymous_visit_is_served_from_the_cache_with_no_queries(
    client, django_assert_num_queries
):
    InstituteProfileFactory()
    page = PageFactory(published=True, title="Privacy notice")
    first = client.get(page.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(page.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_editing_a_page_shows_on_the_very_next_request(client):
    page = PageFactory(published=True, title="Before")
    assert b"Before" in client.get(page.get_absolute_url()).content
    page.title = "After"
    page.save()
    response = client.get(page.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert b"After" in response.content


def test_unpublishing_or_deleting_a_page_hides_it_at_once(client):
    page = PageFactory(published=True)
    url = page.get_absolute_url()
    assert client.get(url).status_code == HTTPStatus.OK
    page.is_published = False
    page.save()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    page.is_published = True
    page.save()
    assert client.get(url).status_code == HTTPStatus.OK
    page.delete()
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_change_to_shared_content_refreshes_every_page(client):
    InstituteProfileFactory(email="old@example.org")
    page = PageFactory(published=True)
    assert b"old@example.org" in client.get(page.get_absolute_url()).content
    profile = InstituteProfileFactory()
    profile.email = "new@example.org"
    profile.save()
    assert b"new@example.org" in client.get(page.get_absolute_url()).content


def test_a_scheduled_change_refreshes_pages_when_its_time_arrives(
    client, counting_urls, monkeypatch, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    go_live = timezone.now() + timedelta(minutes=5)
    monkeypatch.setattr(page_cache, "_schedules", [lambda: go_live])
    page_cache.bump_content_stamp()
    client.get("/public/")
    assert client.get("/public/")["X-Page-Cache"] == "hit"

    time_machine.shift(timedelta(minutes=5))
    response = client.get("/public/")
    assert response["X-Page-Cache"] == "miss"
    assert response.content == b"rendered 2 times"


def test_responses_carry_an_etag_and_a_conditional_get_gets_304(client, counting_urls):
    first = client.get("/public/")
    assert first["ETag"]
    assert "must-revalidate" in first["Cache-Control"]
    assert "max-age=0" in first["Cache-Control"]
    again = client.get("/public/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    fresh = client.get("/public/")
    fresh_miss = client.get("/public/", headers={"If-None-Match": '"stale"'})
    assert fresh.status_code == fresh_miss.status_code == HTTPStatus.OK


def test_logged_in_visitors_are_never_served_or_stored_in_the_cache(
    client, counting_urls
):
    client.force_login(UserFactory(staff=True))
    first = client.get("/public/")
    second = client.get("/public/")
    assert "X-Page-Cache" not in second
    assert second.content == b"rendered 2 times"
    assert "private" in first["Cache-Control"]


def test_private_responses_are_never_cached(client, counting_urls):
    client.get("/private/")
    assert "X-Page-Cache" not in client.get("/private/")


def test_responses_that_set_cookies_are_never_cached(client, counting_urls):
    client.get("/cookie/")
    assert "X-Page-Cache" not in client.get("/cookie/")


def test_the_admin_is_never_cached(client):
    client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_the_stamp_lives_in_redis_when_the_cache_is_redis(
    settings, client, counting_urls
):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        missing_service("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "heseltine-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    assert client.get("/public/")["X-Page-Cache"] == "miss"
    assert client.get("/public/")["X-Page-Cache"] == "hit"
    page_cache.bump_content_stamp()
    assert cache.get(page_cache.STAMP_KEY)
    assert client.get("/public/")["X-Page-Cache"] == "miss"
    cache.clear()


@pytest.fixture
def stamp_reads(monkeypatch):
    reads = []
    read_state = page_cache._read_state

    def counting():
        reads.append(1)
        return read_state()

    monkeypatch.setattr(page_cache, "_read_state", counting)
    return reads


def test_a_page_reads_the_content_stamp_once(client, stamp_reads):
    """Not once per cached value: with Redis each read is a round trip."""
    InstituteProfileFactory()
    client.get("/blog/")  # the page cache, the post count, the archive, the footer
    assert len(stamp_reads) == 1
    client.get("/blog/")
    assert len(stamp_reads) == 2


def test_a_change_during_a_request_is_seen_by_the_rest_of_it(stamp_reads):
    # The handlers, not the signals: request_started also closes the test's
    # database connection.
    page_cache._begin_request()
    try:
        first = page_cache.content_state()
        assert page_cache.content_state() == first
        changed = page_cache.bump_content_stamp()
        assert changed != first
        assert page_cache.content_state() == changed
    finally:
        page_cache._end_request()
    assert len(stamp_reads) == 1
    assert page_cache.content_state() == changed  # read again, outside a request
    page_cache.content_state()
    assert len(stamp_reads) == 3


@pytest.fixture
def stamps_written(monkeypatch):
    written = []
    write_state = page_cache._write_state

    def recording(stamp, next_change):
        written.append(stamp)
        write_state(stamp, next_change)

    monkeypatch.setattr(page_cache, "_write_state", recording)
    return written


def test_a_change_stamps_again_once_when_its_transaction_commits(
    django_capture_on_commit_callbacks, stamps_written
):
    with django_capture_on_commit_callbacks(execute=True):
        page = PageFactory()
        page.title = "Changed"
        page.save()
        before_commit = len(stamps_written)
    assert len(stamps_written) == before_commit + 1
    assert page_cache.content_state()[0] == stamps_written[-1]


def test_a_savepoint_rolled_back_leaves_the_stamp_at_commit_to_later_changes(
    django_capture_on_commit_callbacks, stamps_written
):
    with django_capture_on_commit_callbacks(execute=True):
        with contextlib.suppress(RuntimeError), transaction.atomic():
            PageFactory()
            raise RuntimeError
        PageFactory()
        before_commit = len(stamps_written)
    assert len(stamps_written) == before_commit + 1


def test_the_next_scheduled_change_is_found_when_content_changes_not_per_request(
    client, counting_urls, django_assert_num_queries
):
    PageFactory()
    with django_assert_num_queries(0):
        client.get("/public/")


def test_a_scheduled_post_appears_on_cached_pages_when_its_time_comes(
    client, time_machine
):
    from tests.factories import PostFactory

    time_machine.move_to(timezone.now(), tick=False)
    PostFactory(
        published=True,
        title="Going live soon",
        published_at=timezone.now() + timedelta(minutes=30),
    )
    for _ in range(2):
        response = client.get("/blog/")
        assert b"Going live soon" not in response.content
    assert response["X-Page-Cache"] == "hit"

    time_machine.shift(timedelta(minutes=30))
    response = client.get("/blog/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Going live soon" in response.content


@pytest.mark.parametrize(
    "change",
    ["tag", "theme", "author", "partnership", "unpublish", "delete"],
)
def test_every_kind_of_change_shows_on_the_next_request(client, change):
    from blog.models import Post
    from tests.factories import (
        PartnershipFactory,
        PersonFactory,
        PostAuthorFactory,
        PostFactory,
        ResearchThemeFactory,
    )

    post = PostFactory(published=True, title="A cached post")
    partnership = PartnershipFactory(name="A cached partnership")
    url = (
        partnership.get_absolute_url()
        if change == "partnership"
        else post.get_absolute_url()
    )
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    if change == "tag":
        post.tags.add("freshly tagged")
        expected = b"freshly tagged"
    elif change == "theme":
        post.themes.add(ResearchThemeFactory(title="Freshly themed"))
        expected = b"Freshly themed"
    elif change == "author":
        PostAuthorFactory(post=post, person=PersonFactory(name="Fresh Author"))
        expected = b"Fresh Author"
    elif change == "partnership":
        partnership.focus = "Freshly focused"
        partnership.save()
        expected = b"Freshly focused"
    elif change == "unpublish":
        post.status = Post.Status.DRAFT
        post.save()
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        return
    else:
        post.delete()
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        return
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert expected in response.content
