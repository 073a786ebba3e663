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


def test_the_pagination_markup_is_exactly_this():
    html, _ = links(100, 3)
    assert html.strip() == (
        '<nav class="pagination" aria-label="Pagination">\n'
        '    <ul class="pagination__list">'
        '<li><a href="?q=x&amp;page=2" rel="prev">Previous'
        '<span class="visually-hidden"> page</span></a></li>'
        '<li><a href="?q=x&amp;page=1"><span class="visually-hidden">Page </span>1'
        "</a></li>"
        '<li><a href="?q=x&amp;page=2"><span class="visually-hidden">Page </span>2'
        "</a></li>"
        '<li><a href="?q=x&amp;page=3" aria-current="page">'
        '<span class="visually-hidden">Page </span>3</a></li>'
        '<li><a href="?q=x&amp;page=4"><span class="visually-hidden">Page </span>4'
        "</a></li>"
        '<li><a href="?q=x&amp;page=5"><span class="visually-hidden">Page </span>5'
        "</a></li>"
        '<li class="pagination__gap" aria-hidden="true">…</li>'
        '<li><a href="?q=x&amp;page=10"><span class="visually-hidden">Page </span>'
        "10</a></li>"
        '<li><a href="?q=x&amp;page=4" rel="next">Next'
        '<span class="visually-hidden"> page</span></a></li></ul>\n'
        '    <p class="pagination__status">Page 3 of 10</p>\n'
        "  </nav>"
    )
