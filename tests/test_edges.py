"""What a client chooses beyond the page cannot shape the page others are served.

The Host is validated before the page cache answers; absolute links come from
SITE_URL whatever the Host; only the query parameters a page reads key it.
"""

import os
import re
import xml.etree.ElementTree as ET
from http import HTTPStatus

import feedparser
import pytest
from django.core.cache import caches

from heseltine import cache as page_cache
from tests.factories import (
    InstituteProfileFactory,
    PageFactory,
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
)
from tests.services import missing_service

pytestmark = pytest.mark.django_db
SITE_URL = "https://www.heseltine.example"
OTHER_HOST = "127.0.0.1:6666"  # allowed (the port is not checked), not the site's
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE_URL
    InstituteProfileFactory()
    theme = ResearchThemeFactory(slug="housing")
    person = PersonFactory()
    post = PostFactory(published=True, slug="a-post")
    post.themes.add(theme)
    post.tags.add("devolution")
    PostAuthorFactory(post=post, person=person)
    PageFactory(published=True)
    return theme


def absolute_urls(content):
    # Leaving out the names of XML vocabularies, which are not links.
    text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", content.decode())
    return set(re.findall(r"[a-z]+://[^\s\"'<>]+", text))


def feed_links(content):
    feed = feedparser.parse(content)
    assert not feed.bozo
    links = [feed.feed.link, *(link.href for link in feed.feed.links)]
    for entry in feed.entries:
        links += [entry.link, entry.id]
    return links


def sitemap_links(content):
    root = ET.fromstring(content)
    return [loc.text for loc in root.iterfind(".//s:loc", SITEMAP)]


FEEDS = [
    "/blog/feed/rss/",
    "/blog/feed/atom/",
    "/blog/theme/housing/feed/rss/",
    "/blog/theme/housing/feed/atom/",
]
SITEMAPS = ["/sitemap.xml", "/sitemap-posts.xml", "/sitemap-sections.xml"]


@pytest.mark.parametrize("url", FEEDS + SITEMAPS)
def test_links_are_on_site_url_whatever_the_host_and_stay_so_in_the_cache(
    client, site, url
):
    links = feed_links if "feed" in url else sitemap_links
    odd = client.get(url, headers={"Host": OTHER_HOST})
    assert odd.status_code == HTTPStatus.OK
    assert odd["X-Page-Cache"] == "miss"
    normal = client.get(url)
    assert normal["X-Page-Cache"] == "hit"
    for response in (odd, normal):
        found = links(response.content)
        assert found
        assert all(link.startswith(f"{SITE_URL}/") for link in found), found
        assert all(
            link.startswith(f"{SITE_URL}/") for link in absolute_urls(response.content)
        ), absolute_urls(response.content)


def test_a_disallowed_host_gets_400_even_for_a_cached_page(client, site):
    assert client.get("/blog/").status_code == HTTPStatus.OK
    assert client.get("/blog/")["X-Page-Cache"] == "hit"
    for method in (client.get, client.head):
        response = method("/blog/", headers={"Host": "evil.example"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "X-Page-Cache" not in response
        assert b"a-post" not in response.content


# --- Query strings --------------------------------------------------------------


@pytest.fixture(params=["locmem", "redis"])
def cache_keys(request, settings):
    """A function counting the entries in the page cache, local or Redis."""
    if request.param == "locmem":
        yield lambda: len(caches["default"]._cache)
        return
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url("redis://127.0.0.1:6379/13")
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        missing_service("no Redis server on 127.0.0.1:6379")
    prefix = f"heseltine-edges-tests-{os.getpid()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": prefix,
        }
    }

    def count():
        return sum(1 for _ in server.scan_iter(match=f"{prefix}:*"))

    yield count
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)


@pytest.fixture
def two_pages_of_posts():
    InstituteProfileFactory()
    for n in range(13):  # the blog lists 12 a page
        PostFactory(published=True, title=f"Post number {n}")


def test_junk_query_parameters_add_nothing_to_the_cache(
    client, two_pages_of_posts, cache_keys
):
    client.get("/blog/")
    assert client.get("/blog/")["X-Page-Cache"] == "hit"
    before = cache_keys()
    assert before
    for n in range(50):
        response = client.get(f"/blog/?junk={n}")
        assert response.status_code == HTTPStatus.OK
        assert "X-Page-Cache" not in response
    assert cache_keys() == before


@pytest.mark.parametrize(
    "url",
    [
        "/blog/?page=2&utm_source=newsletter",  # a parameter the page does not read
        "/blog/?page=2&page=2",  # given twice
        "/blog/?page=02",  # page 2 written another way
        "/about/?page=2",  # the about page has no pages
        "/partnerships/?nation=atlantis",  # not a choice
        "/partnerships/?phase=100",
        "/search/?q=housing&kind=posts",
    ],
)
def test_other_query_strings_are_answered_but_not_stored(
    client, two_pages_of_posts, cache_keys, url
):
    client.get(url.partition("?")[0])  # what the page itself caches
    client.get("/blog/?page=2")
    before = cache_keys()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert "X-Page-Cache" not in response
    assert cache_keys() == before


def test_each_page_of_a_list_is_cached_on_its_own(client, two_pages_of_posts):
    first = client.get("/blog/")
    second = client.get("/blog/?page=2")
    assert second["X-Page-Cache"] == "miss"
    assert b"Post number 0" in second.content
    assert b"Post number 0" not in first.content
    again = client.get("/blog/?page=2")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == second.content
    assert client.get("/blog/")["X-Page-Cache"] == "hit"


def test_the_parameters_a_page_reads_key_it_in_any_order(client, site):
    response = client.get("/search/?q=housing&kind=post&theme=")
    assert response["X-Page-Cache"] == "miss"
    again = client.get("/search/?theme=&kind=post&q=housing")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == response.content
    other = client.get("/search/?q=devolution&kind=post&theme=")
    assert other["X-Page-Cache"] == "miss"
    filtered = client.get("/partnerships/?phase=&nation=england")
    assert filtered["X-Page-Cache"] == "miss"
    assert client.get("/partnerships/?nation=england&phase=")["X-Page-Cache"] == "hit"


def test_every_choice_a_page_offers_may_key_it():
    from heseltine import search
    from partnerships.models import Partnership

    for name, choices in [
        ("nation", Partnership.Nation.values),
        ("kind", [key for key, _ in search.KIND_CHOICES]),
    ]:
        for value in choices:
            assert page_cache.PARAMETER_VALUES[name].fullmatch(value), (name, value)
