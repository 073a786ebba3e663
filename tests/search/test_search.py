"""Site-wide search: ranked, labelled, safe with any input, never leaking drafts."""

import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heseltine import search as site_search
from heseltine.search import results, search
from tests.factories import (
    InstituteProfileFactory,
    PageFactory,
    PersonFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def result_titles(response):
    html = response.content.decode()
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_an_empty_search_shows_the_form_with_guidance(client):
    response = client.get("/search/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Type a word or two above" in html
    assert 'name="q"' in html
    assert 'id="results-heading"' not in html


def test_results_are_labelled_with_their_kind_and_link_to_them(client):
    theme = ResearchThemeFactory(title="Regional inequalities", slug="regional")
    person = PersonFactory(name="Ada Regional", role="Researcher")
    page = PageFactory(published=True, title="Regional policy notes")
    html = client.get("/search/", {"q": "regional"}).content.decode()
    assert "3 results for “regional”" in html
    for label, obj in (
        ("Research theme", theme),
        ("Person", person),
        ("Page", page),
    ):
        assert label in html
        assert f'href="{obj.get_absolute_url()}"' in html


def test_a_title_match_ranks_above_a_body_match(client):
    PageFactory(published=True, title="Notes", body="<p>All about devolution.</p>")
    PageFactory(published=True, title="Devolution deals", body="<p>Other.</p>")
    titles = result_titles(client.get("/search/", {"q": "devolution"}))
    assert titles == ["Devolution deals", "Notes"]


def test_a_standfirst_match_ranks_between_title_and_body(client):
    PageFactory(published=True, title="C", body="<p>housing</p>", standfirst="x")
    PageFactory(published=True, title="B", standfirst="About housing.")
    PageFactory(published=True, title="A housing page", standfirst="x")
    titles = result_titles(client.get("/search/", {"q": "housing"}))
    assert titles == ["A housing page", "B", "C"]


def test_nothing_unpublished_or_retired_is_ever_found(client):
    PageFactory(published=False, title="Secret draft on devolution")
    ResearchThemeFactory(retired=True, title="Retired devolution theme")
    PageFactory(published=True, title="Public devolution page")
    titles = result_titles(client.get("/search/", {"q": "devolution"}))
    assert titles == ["Public devolution page"]


def test_matches_are_highlighted_in_an_escaped_snippet(client):
    PageFactory(
        published=True,
        title="Skills",
        standfirst="Tackling <skills> gaps & more",
        body="<p>The <b>skills</b> agenda.</p>",
    )
    html = client.get("/search/", {"q": "skills"}).content.decode()
    assert "&lt;<mark>skills</mark>&gt; gaps &amp; more" in html
    assert "The <mark>skills</mark> agenda" in html


def test_a_snippet_drops_tags_and_decodes_entities_once(client):
    PageFactory(
        published=True,
        title="Food",
        standfirst="",
        body='<p>Fish &amp; <em>chips</em>, <a href="/x">&lt;b&gt;</a> peas.</p>',
    )
    html = client.get("/search/", {"q": "chips"}).content.decode()
    assert "Fish &amp; <mark>chips</mark>, &lt;b&gt; peas." in html


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE institute_page; --",
        '<script>alert("x")</script>',
        '"unbalanced quote',
        "a & b | !c :* ( )",
        "-",
        "%_%",
        "\x00\x1f",
        "😀 emoji",
    ],
)
def test_hostile_queries_are_just_text(client, query):
    PageFactory(published=True, title="Ordinary page")
    response = client.get("/search/", {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert "<script>alert" not in response.content.decode()


def test_a_huge_query_is_cut_to_a_sane_length_and_says_so(client):
    PageFactory(published=True, title="Devolution")
    response = client.get("/search/", {"q": "devolution " * 100})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "we used its first 200 characters" in html
    assert 'maxlength="200"' in html


def test_filtering_by_kind_keeps_only_that_kind(client):
    PersonFactory(name="Jo Housing")
    PageFactory(published=True, title="Housing page")
    titles = result_titles(client.get("/search/", {"q": "housing", "kind": "person"}))
    assert titles == ["Jo Housing"]


def test_an_unknown_kind_or_theme_is_explained_and_ignored(client):
    PageFactory(published=True, title="Housing page")
    response = client.get("/search/", {"q": "housing", "kind": "bogus", "theme": "x"})
    html = response.content.decode()
    assert "not one we search" in html
    assert "not one we have" in html
    assert result_titles(response) == ["Housing page"]


def test_filtering_by_theme_keeps_only_content_in_that_theme(client):
    theme = ResearchThemeFactory(title="Cities and housing", slug="cities")
    ResearchThemeFactory(title="Housing elsewhere", slug="elsewhere")
    PageFactory(published=True, title="Housing page")
    titles = result_titles(client.get("/search/", {"q": "housing", "theme": "cities"}))
    assert titles == [theme.title]


def test_results_are_paginated_keeping_the_query_and_filters(client):
    for n in range(25):
        PageFactory(published=True, title=f"Housing page {n:02}")
    response = client.get("/search/", {"q": "housing", "kind": "page", "page": 2})
    html = response.content.decode()
    assert len(result_titles(response)) == 10
    assert "Page 2 of 3" in html
    assert 'href="?q=housing&amp;kind=page&amp;page=3"' in html


@pytest.mark.parametrize("extra", [0, 30])
def test_a_search_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, extra
):
    InstituteProfileFactory()
    ResearchThemeFactory(title="Housing theme")
    PersonFactory(name="Housing person")
    for _ in range(extra):
        PageFactory(published=True, title="Housing page")
        PersonFactory(name="Housing person")
    # themes for the filter, the count of the results and their page,
    # profile, footer pages
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "housing"})
    assert response.status_code == HTTPStatus.OK


def test_kinds_with_no_match_are_left_out_of_the_page_s_query(client):
    PageFactory(published=True, title="Housing page")
    PersonFactory(name="Ada Lovelace")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "housing"})
    assert result_titles(response) == ["Housing page"]
    [page_query] = [q["sql"] for q in queries if "r_title" in q["sql"]]
    assert "institute_page" in page_query
    assert "institute_person" not in page_query


def test_results_of_several_kinds_are_counted_and_paged_as_one_list(client):
    pages = [
        PageFactory(published=True, title=f"Housing page {n}").title for n in range(8)
    ]
    themes = [
        ResearchThemeFactory(title=f"Housing theme {n}", slug=f"housing-{n}").title
        for n in range(4)
    ]
    PersonFactory(name="Ada Lovelace")
    first = client.get("/search/", {"q": "housing"})
    second = client.get("/search/", {"q": "housing", "page": 2})
    assert "12 results for" in first.content.decode()
    assert len(result_titles(first)) == 10
    assert sorted(result_titles(first) + result_titles(second)) == sorted(
        pages + themes
    )


def test_a_search_seen_before_reads_nothing_from_the_database(
    client, no_page_cache, django_assert_num_queries
):
    for n in range(25):
        PageFactory(published=True, title=f"Housing page {n:02}")
    client.get("/search/", {"q": "housing"})
    # Its counts and first results are kept by content stamp, as lists are.
    with django_assert_num_queries(0):
        response = client.get("/search/", {"q": "housing", "page": 3})
    assert result_titles(response) == [f"Housing page {n}" for n in range(20, 25)]
    assert "Page 3 of 3" in response.content.decode()


def test_pages_past_the_results_kept_are_read_from_the_database(
    client, no_page_cache, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(site_search, "KEPT", 10)
    for n in range(25):
        PageFactory(published=True, title=f"Housing page {n:02}")
    first = client.get("/search/", {"q": "housing"})
    with django_assert_num_queries(1):  # this page's rows
        second = client.get("/search/", {"q": "housing", "page": 2})
    last = client.get("/search/", {"q": "housing", "page": 3})
    assert [result_titles(r) for r in (first, second, last)] == [
        [f"Housing page {n:02}" for n in range(start, min(start + 10, 25))]
        for start in (0, 10, 20)
    ]
    assert "Page 3 of 3" in last.content.decode()


def test_a_search_seen_before_finds_what_is_published_or_unpublished_since(
    client, no_page_cache
):
    PageFactory(published=True, title="Housing page 1")
    assert result_titles(client.get("/search/", {"q": "housing"})) == ["Housing page 1"]
    second = PageFactory(published=True, title="Housing page 2")
    response = client.get("/search/", {"q": "housing"})
    assert result_titles(response) == ["Housing page 1", "Housing page 2"]
    assert "2 results for" in response.content.decode()
    second.is_published = False
    second.save()
    assert result_titles(client.get("/search/", {"q": "housing"})) == ["Housing page 1"]


def page_of(query, number, **filters):
    return Paginator(search(query, **filters), 10).get_page(number)


def test_each_page_of_results_is_two_queries_the_count_and_the_page(
    client, django_assert_num_queries
):
    for n in range(25):
        PageFactory(published=True, title=f"Housing page {n:02}")
    with django_assert_num_queries(2):
        page = page_of("housing", "2", kind="page")
        titles = [row["r_title"] for row in page.object_list]
        assert page.paginator.count == 25
    assert titles == [f"Housing page {n:02}" for n in range(10, 20)]
    with django_assert_num_queries(2):
        last = page_of("housing", "3", kind="page")
        assert [row["r_title"] for row in last.object_list][-1] == "Housing page 24"
        assert len(last.object_list) == 5


@pytest.mark.parametrize("asked", ["9", "0", "-1", "x", None, "2.0", "3"])
def test_a_page_out_of_range_or_not_a_number_is_the_page_get_page_gives(asked):
    for n in range(25):
        PageFactory(published=True, title=f"Housing page {n:02}")
    expected = Paginator(range(25), 10).get_page(asked)
    page = page_of("housing", asked, kind="page")
    assert page.number == expected.number
    assert page.paginator.count == 25
    assert [row["r_title"] for row in page.object_list] == [
        f"Housing page {n:02}" for n in expected.object_list
    ]


def test_no_matches_is_an_empty_first_page(django_assert_num_queries):
    PageFactory(published=True, title="Housing page")
    with django_assert_num_queries(1):
        page = page_of("nothing", "1", kind="page")
        assert (page.number, page.paginator.count, list(page.object_list)) == (
            1,
            0,
            [],
        )
    with django_assert_num_queries(0):
        page = page_of("", "1", kind="page")
    assert (page.number, page.paginator.count) == (1, 0)


def test_past_the_last_page_is_the_last_page(django_assert_num_queries):
    for n in range(25):
        PageFactory(published=True, title=f"Housing page {n:02}")
    with django_assert_num_queries(2):
        page = page_of("housing", "40", kind="page")
        titles = [row["r_title"] for row in page.object_list]
    assert (page.number, page.paginator.count) == (3, 25)
    assert titles == [f"Housing page {n}" for n in range(20, 25)]


def test_result_dates_are_datetimes_on_every_database(client):
    from tests.factories import PostFactory

    published_at = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    PostFactory(published=True, title="Devolution dated", published_at=published_at)
    html = client.get("/search/", {"q": "devolution"}).content.decode()
    # The day shown, in UK time: a result claims no time of day.
    assert '<time datetime="2024-05-06">6 May 2024</time>' in html
    [row] = search("devolution")
    assert row["r_date"] == published_at


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        (datetime(2024, 1, 2, 23, 30, tzinfo=UTC), "2 January 2024"),
        (datetime(2024, 6, 30, 23, 30, tzinfo=UTC), "1 July 2024"),
    ],
)
def test_result_dates_are_shown_in_uk_time(client, when, shown):
    from django.template.defaultfilters import date

    from tests.factories import PostFactory

    PostFactory(published=True, title="Devolution dated", published_at=when)
    html = client.get("/search/", {"q": "devolution"}).content.decode()
    iso = date(timezone.localtime(when), "Y-m-d")
    assert f'<time datetime="{iso}">{shown}</time>' in html


def test_undated_results_show_no_date():
    row = dict.fromkeys(("r_title", "r_slug", "r_summary", "r_body"), "x")
    [undated] = results([{**row, "r_kind": "person", "r_date": None}], "x")
    assert undated.date is None


@on_postgresql
def test_postgresql_search_understands_plurals_and_singulars(client):
    PageFactory(published=True, title="Regional inequalities")
    PageFactory(published=True, title="An inequality index")
    assert len(result_titles(client.get("/search/", {"q": "inequality"}))) == 2
    assert len(result_titles(client.get("/search/", {"q": "inequalities"}))) == 2


def test_partnerships_are_found_and_filtered_by_theme(client):
    from tests.factories import PartnershipFactory

    theme = ResearchThemeFactory(slug="regional")
    themed = PartnershipFactory(name="Rural Wales LPIP", focus="Rural economy")
    themed.themes.add(theme)
    PartnershipFactory(name="Another rural partnership", focus="Rural skills")
    response = client.get("/search/", {"q": "rural"})
    assert "Partnership" in response.content.decode()
    assert len(result_titles(response)) == 2
    filtered = client.get("/search/", {"q": "rural", "theme": "regional"})
    assert result_titles(filtered) == ["Rural Wales LPIP"]


# Posts', themes', pages' and the programme's indexes are over their stored
# documents (blog migration 0005, institute 0005, partnerships 0006); the
# other kinds' over search_vector().
GIN_INDEXES = {
    "post": "post_search_document_idx",
    "theme": "theme_search_document_idx",
    "person": "person_search_idx",
    "page": "page_search_document_idx",
    "partnership": "partnership_search_idx",
    "programme": "programme_search_document_idx",
}
STORED = {"post", "theme", "page", "programme"}


@on_postgresql
@pytest.mark.parametrize("kind", GIN_INDEXES)
def test_the_search_query_itself_is_answered_from_each_gin_index(kind):
    from heseltine.search import KINDS

    matches = search("housing", kind=kind)
    table = next(k for k in KINDS if k.key == kind).model._meta.db_table
    with connection.cursor() as cursor:
        # A test table is tiny, and the planner may prefer any index at all.
        # Leave it only the GIN index (and those of constraints, which this
        # query cannot use); the test's transaction puts them back.
        cursor.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        for (index,) in cursor.fetchall():
            if index != GIN_INDEXES[kind]:
                cursor.execute(f"DROP INDEX {index}")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matches.explain(verbose=True)
    assert f"Bitmap Index Scan on {GIN_INDEXES[kind]}" in plan
    # Stored documents are read, to match and to rank, not rebuilt.
    assert ("to_tsvector" in plan) == (kind not in STORED)
    assert ("search_document" in plan) == (kind in STORED)


@on_postgresql
@pytest.mark.parametrize("kind", GIN_INDEXES)
def test_postgresql_answers_each_kind_from_its_gin_index(kind):
    from django.contrib.postgres.search import SearchQuery
    from django.db.models import F

    from heseltine.search import KINDS, search_vector

    kind = next(k for k in KINDS if k.key == kind)
    query = SearchQuery("housing", search_type="websearch", config="english")
    document = F(kind.document) if kind.document else search_vector(kind)
    rows = kind.model.objects.order_by().annotate(document=document)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.filter(document=query).explain()
    assert GIN_INDEXES[kind.key] in plan


def test_only_published_posts_whose_time_has_come_are_found(client):
    from tests.factories import PostFactory

    PostFactory(published=True, title="Devolution now")
    PostFactory(title="Devolution draft")
    PostFactory(in_review=True, title="Devolution in review")
    PostFactory(
        published=True,
        title="Devolution later",
        published_at=timezone.now() + timedelta(hours=1),
    )
    response = client.get("/search/", {"q": "devolution"})
    assert result_titles(response) == ["Devolution now"]
    assert "Blog post" in response.content.decode()


def test_posts_are_filtered_by_theme_and_kind(client):
    from tests.factories import PostFactory

    theme = ResearchThemeFactory(slug="regional", title="Regional")
    PostFactory(published=True, title="Skills in the north").themes.add(theme)
    PostFactory(published=True, title="Skills in general")
    PageFactory(published=True, title="Skills page")
    by_theme = client.get("/search/", {"q": "skills", "theme": "regional"})
    assert result_titles(by_theme) == ["Skills in the north"]
    by_kind = client.get("/search/", {"q": "skills", "kind": "post"})
    assert sorted(result_titles(by_kind)) == [
        "Skills in general",
        "Skills in the north",
    ]
