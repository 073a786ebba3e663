"""Busy queries are compiled once per process, and prepared once per connection."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from heseltine import db
from heseltine.db import Fixed, compiled, compiled_sql
from tests.blog.conftest import JULY_18
from tests.factories import PostFactory, ResearchThemeFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements"
)
SQL = "SELECT CAST(%s AS integer) + CAST(%s AS integer), '100%%'"


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def run(sql=SQL, params=(40, 2)):
    with connection.cursor() as cursor:
        db.execute(cursor, sql, params)
        return cursor.fetchall()


def test_placeholders_are_numbered_and_a_literal_percent_kept():
    numbered = "SELECT CAST($1 AS integer) + CAST($2 AS integer), '100%%'"
    assert db._numbered(SQL) == numbered


def test_the_results_are_those_of_the_plain_query():
    assert run() == [(42, "100%")]
    assert run(params=(1, 1)) == [(2, "100%")]


@on_postgresql
def test_a_statement_is_prepared_once_then_only_executed():
    sql = f"{SQL} -- once"  # a statement no other test has prepared
    before = prepared_statements()
    with CaptureQueriesContext(connection) as first:
        run(sql)
    with CaptureQueriesContext(connection) as second:
        run(sql, params=(1, 2))
    new = prepared_statements() - before
    assert len(new) == 1
    assert len(first) == len(second) == 1
    assert first[0]["sql"].startswith("PREPARE ")
    assert second[0]["sql"].startswith("EXECUTE ")
    assert run(sql) == [(42, "100%")]
    assert prepared_statements() - before == new


@on_postgresql
def test_a_prepared_statement_keeps_one_plan_for_all_values():
    """Left to choose, PostgreSQL may plan each run afresh: 0.3 ms a request."""
    sql = f"{SQL} -- one plan"
    for number in range(7):
        run(sql, params=(number, 1))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%-- one plan%"],
        )
        assert cursor.fetchall() == [(7, 0)]


@on_postgresql
def test_the_setting_turns_preparing_off(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    before = prepared_statements()
    with CaptureQueriesContext(connection) as queries:
        assert run("SELECT CAST(%s AS integer) * 2", (21,)) == [(42,)]
    assert queries[0]["sql"] == "SELECT CAST(21 AS integer) * 2"
    assert prepared_statements() == before


@on_postgresql
def test_after_a_failure_the_connection_runs_plain_queries():
    with pytest.raises(DatabaseError), transaction.atomic():
        run("SELECT CAST(%s AS integer) FROM no_such_table", (1,))
    with CaptureQueriesContext(connection) as queries:
        assert run("SELECT CAST(%s AS integer) * 3", (2,)) == [(6,)]
    assert queries[0]["sql"] == "SELECT CAST(2 AS integer) * 3"


# compiled(): the ORM builds and compiles a query once, then it only runs.


@compiled
def published_titles(now, theme_ids):
    posts = Post.objects.published(at=now).filter(themes__in=theme_ids)
    return posts.order_by("published_at").values("title", "published_at")


@compiled
def post_by_slug(slug):
    return Post.objects.defer("search_document").filter(slug=slug)[:1]


def post_on(when, theme):
    post = PostFactory(published=True, published_at=when)
    post.themes.add(theme)
    return post


def test_a_compiled_query_returns_what_the_orm_would():
    theme, other = ResearchThemeFactory(), ResearchThemeFactory()
    older = post_on(JULY_18 - timedelta(days=1), theme)
    newer = post_on(JULY_18, other)
    post_on(JULY_18 + timedelta(days=1), theme)
    now = JULY_18 + timedelta(hours=1)

    rows = published_titles(now, (theme.pk, other.pk))

    expected = Post.objects.published(at=now).filter(themes__in=[theme, other])
    expected = expected.order_by("published_at").values("title", "published_at")
    assert rows == list(expected)
    assert [row["title"] for row in rows] == [older.title, newer.title]
    assert rows[0]["published_at"] == older.published_at  # converted, aware
    with CaptureQueriesContext(connection) as queries:
        assert published_titles(now, ()) == []  # IN (): no query at all
    assert len(queries) == 0
    # New values, a new shape: the same answers as the ORM's.
    assert published_titles(now, (other.pk,)) == [
        {"title": newer.title, "published_at": newer.published_at}
    ]
    assert published_titles(now + timedelta(days=1), (theme.pk,))[-1]["title"] == (
        Post.objects.filter(themes=theme).latest("published_at").title
    )


def test_a_compiled_query_of_a_model_gives_instances():
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(featured_image_renditions={"width": 10})
    (found,) = post_by_slug(post.slug)
    assert found == post
    assert found.featured_image_renditions == {"width": 10}
    assert found.get_deferred_fields() == {"search_document"}
    assert post_by_slug("no-such-post") == []


def test_a_compiled_query_is_built_once_per_shape():
    built = []

    @compiled
    def titles(post_ids):
        built.append(post_ids)
        return Post.objects.filter(pk__in=post_ids).values("title")

    first, second, third = PostFactory(), PostFactory(), PostFactory()
    assert titles((first.pk,)) == [{"title": first.title}]
    with CaptureQueriesContext(connection) as queries:
        assert titles((second.pk,)) == [{"title": second.title}]
    assert len(queries) == 1
    assert len(built) == 1
    assert len(titles((second.pk, third.pk))) == 2  # a new shape
    assert len(built) == 2


def test_a_value_the_build_changes_fails_loudly():
    @compiled
    def shouted(slug):
        return Post.objects.filter(slug=slug.upper()).values("title")

    with pytest.raises(ValueError, match="changed a value"):
        shouted("quiet")


def test_values_a_compiled_query_cannot_take_are_refused():
    with pytest.raises(TypeError):
        post_by_slug(None)


def test_a_slices_bounds_are_fixed_and_each_makes_its_own_statement():
    @compiled
    def page(offset, now):
        posts = Post.objects.published(at=now).order_by("published_at")
        return posts.values("title")[offset : offset + 2]

    posts = [
        post_on(JULY_18 + timedelta(days=day), ResearchThemeFactory())
        for day in range(5)
    ]
    later = JULY_18 + timedelta(days=10)
    assert page(Fixed(0), later) == [{"title": post.title} for post in posts[:2]]
    assert page(Fixed(2), later) == [{"title": post.title} for post in posts[2:4]]
    assert page(Fixed(4), later) == [{"title": posts[4].title}]
    assert page(Fixed(0), JULY_18 - timedelta(days=1)) == []
    assert page(Fixed(5), later) == []


def test_a_value_written_into_the_sql_fails_loudly():
    @compiled
    def numbered(number):
        return Post.objects.annotate(n=RawSQL(f"{number}", ())).values("n")

    with pytest.raises(ValueError, match="wrote a value"):
        numbered(3)


def test_compiled_sql_is_built_once_and_filled_with_each_call_s_values():
    built = []

    @compiled_sql
    def titled(kind, title, now):
        built.append(kind)
        posts = Post.objects.published(at=now).filter(title=title).values("pk")
        return posts.query.sql_with_params()

    post = PostFactory(published=True, published_at=JULY_18)
    later = JULY_18 + timedelta(days=1)
    for title, found in ((post.title, [(post.pk,)]), ("Another", [])):
        sql, params = titled(Fixed("posts"), title, later)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert cursor.fetchall() == found
    assert built == ["posts"]


@on_postgresql
def test_a_query_compiled_not_to_be_prepared_runs_as_it_is():
    @compiled(prepare=False)
    def titles(slug):
        return Post.objects.filter(slug=slug).values("title")

    post = PostFactory()
    with CaptureQueriesContext(connection) as queries:
        assert titles(post.slug) == [{"title": post.title}]
        assert titles(post.slug) == [{"title": post.title}]
    assert [query["sql"].split()[0] for query in queries] == ["SELECT", "SELECT"]
