"""Valid markup on every page of the demo content, by the W3C Nu HTML checker.

Every page a visitor can reach from the home page, the navigation and the
sitemap is fetched, written to a folder and checked in one run of vnu.jar (one
JVM start). The feeds are checked as XML. vnu.jar comes from npm's vnu-jar,
pinned in tests/vnu/package-lock.json: `npm ci --prefix tests/vnu`.
"""

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import deque
from datetime import datetime
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse

from heseltine.jinja2 import NAVIGATION
from tests.factories import InstituteProfileFactory, PageFactory
from tests.services import missing_service

pytestmark = pytest.mark.django_db

VNU_JAR = (
    Path(__file__).parent / "vnu/node_modules/vnu-jar/build/dist/vnu.jar"
).resolve()
# Enough for the demo content many times over; a crawl past it is a loop.
MOST_PAGES = 400
NOT_PAGES = ("/admin/", "/static/", "/media/", "/ckeditor/", "/sitemap")
FEED_TYPES = {"application/rss+xml", "application/atom+xml"}
# HTML allows at most three digits of a fraction of a second.
VALID_DATETIME = re.compile(
    r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?)?"
)


class Links(HTMLParser):
    """The <a href>s and feed <link>s of a page."""

    def __init__(self):
        super().__init__()
        self.pages, self.feeds, self.datetimes = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.pages.append(attrs["href"])
        elif tag == "link" and attrs.get("rel") == "alternate":
            if attrs.get("type") in FEED_TYPES:
                self.feeds.append(attrs["href"])
        elif tag == "time" and "datetime" in attrs:
            self.datetimes.append(attrs["datetime"])


def local_path(href, base, site_url):
    """The path and query of a link to this site, or None for anywhere else."""
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in {"", "http", "https"}:
        return None  # mailto:, tel:
    if parts.netloc and parts.netloc not in {"testserver", urlsplit(site_url).netloc}:
        return None
    path = parts.path or "/"
    if path.startswith(NOT_PAGES) or "/feed/" in path or path.endswith(".ics"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(client, settings):
    """Every page reachable from the home page, the navigation and the sitemap.

    Returns {path: html}, the feed URLs the pages link, and the broken links.
    """
    start = ["/", *(reverse(name) for name, _ in NAVIGATION)]
    for location in ET.fromstring(client.get("/sitemap.xml").content).iter():
        if location.tag.endswith("loc"):
            for loc in ET.fromstring(client.get(location.text).content).iter():
                if loc.tag.endswith("loc"):
                    start.append(local_path(loc.text, "/", settings.SITE_URL))
    pages, feeds, broken = {}, set(), []
    queue, seen = deque(start), set(start)
    while queue:
        path = queue.popleft()
        assert len(pages) < MOST_PAGES, "the crawl does not end: a loop of links?"
        response = client.get(path)
        if response.status_code != HTTPStatus.OK:
            broken.append(f"{path}: {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages[path] = html
        links = Links()
        links.feed(html)
        feeds.update(urljoin(path, href) for href in links.feeds)
        for href in links.pages:
            target = local_path(href, path, settings.SITE_URL)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages, feeds, broken


def vnu(folder):
    """The Nu checker's errors for every .html file in folder, by file name."""
    java = shutil.which("java")
    if not java:
        missing_service("Java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing_service("vnu.jar is not installed (npm ci --prefix tests/vnu)")
    files = sorted(str(path) for path in folder.glob("*.html"))
    # The checker's schema is deep: it needs more stack than Java's default.
    command = [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only"]
    command += ["--format", "json", "--exit-zero-always", *files]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"vnu.jar failed:\n{result.stderr}"
    return json.loads(result.stderr)["messages"]


@pytest.fixture
def demo_site(client, settings):
    call_command("load_demo_content", verbosity=0)
    return crawl(client, settings)


def test_every_page_of_the_demo_content_is_valid_html(demo_site, tmp_path):
    pages, _, broken = demo_site
    # The lists, the themes, the posts, people and partnerships at least.
    assert len(pages) >= 40, sorted(pages)
    names = {}
    for number, (path, html) in enumerate(sorted(pages.items())):
        name = f"page-{number:03}.html"
        names[name] = path
        (tmp_path / name).write_text(html)
    errors = [
        f"{names[Path(urlsplit(m['url']).path).name]}:{m.get('lastLine', '?')}: "
        f"{m['message']}"
        + (f"\n    {m['extract'].strip()}" if m.get("extract") else "")
        for m in vnu(tmp_path)
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    if errors:
        pytest.fail(
            f"{len(errors)} errors in {len(pages)} pages:\n" + "\n".join(errors),
            pytrace=False,
        )
    assert not broken, "Links to missing pages:\n" + "\n".join(broken)


def test_every_feed_the_pages_link_is_well_formed(demo_site, client):
    _, feeds, _ = demo_site
    assert {reverse("blog:feed_rss"), reverse("blog:feed_atom")} <= feeds
    for feed in sorted(feeds):
        response = client.get(feed)
        assert response.status_code == HTTPStatus.OK, feed
        ET.fromstring(response.content)  # raises on XML that is not well formed
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, f"{feed}: {parsed.get('bozo_exception')}"
        assert parsed.entries, feed


def test_the_home_page_links_the_blog_feeds(client):
    html = client.get("/").content.decode()
    links = Links()
    links.feed(html)
    assert links.feeds == [reverse("blog:feed_rss"), reverse("blog:feed_atom")]
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Heseltine Institute blog (RSS)" href="/blog/feed/rss/">'
    ) in html


def test_times_give_at_most_three_digits_of_a_second(client):
    updated = datetime(2024, 7, 18, 9, 30, 15, 123456, tzinfo=ZoneInfo("UTC"))
    InstituteProfileFactory()
    page = PageFactory(published=True)
    type(page).objects.filter(pk=page.pk).update(updated_at=updated)
    for path in ("/about/", page.get_absolute_url()):
        links = Links()
        links.feed(client.get(path).content.decode())
        assert links.datetimes, path
        for value in links.datetimes:
            assert VALID_DATETIME.fullmatch(value), f"{path}: {value}"
    assert "2024-07-18T10:30:15+01:00" in links.datetimes
