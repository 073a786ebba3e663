"""Pagination links stay few and fixed, however many pages there are."""

import re

from django.core.paginator import Paginator
from django.template import engines


def links(count, number):
    page_obj = Paginator(range(count), 10).page(number)
    html = engines["jinja2"].from_string('{% include "includes/pagination.html" %}')
    html = html.render({"page_obj": page_obj, "query": "q=x"})
    return html, re.findall(
        r'page=(\d+)"(?: rel="\w+")?(?: aria-current="page")?>', html
    )


def test_a_long_run_of_pages_shows_the_ends_and_the_neighbours_only():
    html, numbers = links(10_000, 500)
    assert numbers == ["499", "1", "498", "499", "500", "501", "502", "1000", "501"]
    assert html.count("…") == 2
    assert 'href="?q=x&amp;page=500" aria-current="page"' in html
    assert "Page 500 of 1000" in html


def test_a_single_page_has_no_pagination():
    html, _ = links(5, 1)
    assert "Pagination" not in html
