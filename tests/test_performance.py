"""Every public page: a small, fixed query budget, no N+1, and a light weight.

Run over the demo content plus a batch of extra posts, people and
partnerships, so a query per row would show as a repeated query shape.
"""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

KB = 1024


def shape(sql):
    """A query with its values taken out, so one run per row looks the same."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?, )*\?\)", "(?)", sql)


def test_every_public_page_keeps_to_its_query_budget_with_no_repeated_query(
    client, public_pages
):
    for name, (url, budget) in public_pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK, name
        assert len(queries) <= budget, f"{name}: {len(queries)} queries"
        shapes = [shape(query["sql"]) for query in queries]
        repeated = {s for s in shapes if shapes.count(s) > 1}
        assert not repeated, f"{name} repeats a query: {repeated}"


def test_every_public_page_is_at_most_35_kb_of_html(client, public_pages):
    for name, (url, _) in public_pages.items():
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


def test_a_first_visit_to_home_blog_and_a_post_is_at_most_120_kb(client, public_pages):
    from django.contrib.staticfiles import finders
    from django.core.files.storage import default_storage

    for name in ("home", "blog", "post"):
        html = client.get(public_pages[name][0]).content.decode()
        total = len(html)
        for ref in re.findall(r'(?:href|src)="(/(?:static|media)/[^"]+)"', html):
            if ref.startswith("/static/"):
                found = finders.find(ref.removeprefix("/static/"))
                total += Path(found).stat().st_size
            else:
                total += default_storage.size(ref.removeprefix("/media/"))
        assert total <= 120 * KB, f"{name}: {total / KB:.1f} KB on a first visit"


def test_public_pages_load_nothing_from_other_origins(client, public_pages):
    for name, (url, _) in public_pages.items():
        if name in {"rss", "atom", "sitemap"}:
            continue  # their links are data, not resources
        html = client.get(url).content.decode()
        external = re.findall(
            r'<(?:script|link|img|source)[^>]+(?:src|href)="https?://', html
        )
        stylesheets_and_scripts = [tag for tag in external if "canonical" not in tag]
        assert not stylesheets_and_scripts, name
