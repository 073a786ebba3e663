"""Every public page: a small, fixed query budget, no N+1, and a light weight.

Run over the demo content plus a batch of extra posts, people and
partnerships, so a query per row would show as a repeated query shape.
"""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from institute.models import Page, Person, ResearchTheme
from partnerships.models import Partnership
from tests.factories import PartnershipFactory, PostAuthorFactory, PostFactory

pytestmark = pytest.mark.django_db

DETAIL, LIST, SEARCH = 8, 10, 12
KB = 1024


@pytest.fixture
def site():
    """The demo content, with enough extra rows that any N+1 would repeat."""
    call_command("load_demo_content", verbosity=0)
    theme = ResearchTheme.objects.active().first()
    person = Person.objects.get(slug="tom-arnold")
    for n in range(15):
        post = PostFactory(published=True, title=f"Extra post {n} on housing")
        PostAuthorFactory(post=post, person=person)
        post.themes.add(theme)
        post.tags.add("housing", f"extra {n}")
        PartnershipFactory(name=f"Extra partnership {n}").themes.add(theme)
    post = Post.objects.published().filter(tags__name="devolution").first()
    return {
        "home": ("/", LIST),
        "about": ("/about/", LIST),
        "themes": ("/themes/", LIST),
        "theme": (theme.get_absolute_url(), LIST),
        "people": ("/people/", LIST),
        "person": (person.get_absolute_url(), DETAIL),
        "page": (Page.objects.published().first().get_absolute_url(), DETAIL),
        "blog": ("/blog/", LIST),
        "blog page 2": ("/blog/?page=2", LIST),
        "post": (post.get_absolute_url(), DETAIL),
        "tag archive": ("/blog/tag/devolution/", LIST),
        "theme archive": (f"/blog/theme/{theme.slug}/", LIST),
        "author archive": ("/blog/author/tom-arnold/", LIST),
        "month archive": ("/blog/archive/2024/7/", LIST),
        "rss": ("/blog/feed/rss/", LIST),
        "atom": ("/blog/feed/atom/", LIST),
        "partnerships": ("/partnerships/", LIST),
        "partnership": (Partnership.objects.first().get_absolute_url(), DETAIL),
        "search": ("/search/?q=housing", SEARCH),
        # One count and one select per section of the sitemap, whatever its size.
        "sitemap": ("/sitemap.xml", 20),
    }


def shape(sql):
    """A query with its values taken out, so one run per row looks the same."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?, )*\?\)", "(?)", sql)


def test_every_public_page_keeps_to_its_query_budget_with_no_repeated_query(
    client, site
):
    for name, (url, budget) in site.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK, name
        assert len(queries) <= budget, f"{name}: {len(queries)} queries"
        shapes = [shape(query["sql"]) for query in queries]
        repeated = {s for s in shapes if shapes.count(s) > 1}
        assert not repeated, f"{name} repeats a query: {repeated}"


def test_every_public_page_is_at_most_35_kb_of_html(client, site):
    for name, (url, _) in site.items():
        if name in {"rss", "atom", "sitemap"}:
            continue
        size = len(client.get(url).content)
        assert size <= 35 * KB, f"{name} is {size / KB:.1f} KB"


def test_the_stylesheet_and_scripts_are_within_their_budgets(settings):
    static = settings.BASE_DIR / "static"
    css = sum(path.stat().st_size for path in static.rglob("*.css"))
    js = sum(path.stat().st_size for path in static.rglob("*.js"))
    assert css <= 50 * KB
    assert js <= 20 * KB


def test_a_first_visit_to_home_blog_and_a_post_is_at_most_120_kb(client, site):
    from django.contrib.staticfiles import finders
    from django.core.files.storage import default_storage

    for name in ("home", "blog", "post"):
        html = client.get(site[name][0]).content.decode()
        total = len(html)
        for ref in re.findall(r'(?:href|src)="(/(?:static|media)/[^"]+)"', html):
            if ref.startswith("/static/"):
                found = finders.find(ref.removeprefix("/static/"))
                total += Path(found).stat().st_size
            else:
                total += default_storage.size(ref.removeprefix("/media/"))
        assert total <= 120 * KB, f"{name}: {total / KB:.1f} KB on a first visit"


def test_public_pages_load_nothing_from_other_origins(client, site):
    for name, (url, _) in site.items():
        if name in {"rss", "atom", "sitemap"}:
            continue  # their links are data, not resources
        html = client.get(url).content.decode()
        external = re.findall(
            r'<(?:script|link|img|source)[^>]+(?:src|href)="https?://', html
        )
        stylesheets_and_scripts = [tag for tag in external if "canonical" not in tag]
        assert not stylesheets_and_scripts, name
