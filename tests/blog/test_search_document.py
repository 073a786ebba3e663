"""A post's stored search document: the database keeps it equal to search_vector().

On PostgreSQL a trigger (blog migration 0005) writes it on every insert and
update, however made; search matches and ranks by it. SQLite leaves it NULL.
"""

import re

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.management import call_command
from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast

from bench.management.commands.generate_bench_data import Command
from blog.models import Post
from heseltine.search import CONFIG, KINDS, search, search_vector
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL trigger"
)
POST = next(kind for kind in KINDS if kind.key == "post")
WEIGHTS = {"title": "A", "standfirst": "B", "body": "C"}


def documents(posts=None):
    """{pk: (stored document, search_vector()'s document)}, both as text."""
    rows = Post.objects.all() if posts is None else Post.objects.filter(pk__in=posts)
    expected = Cast(search_vector(POST), TextField())
    rows = POST.with_related(rows)  # the tags' words
    return {
        pk: (kept, computed)
        for pk, kept, computed in rows.annotate(computed=expected).values_list(
            "pk", "search_document", "computed"
        )
    }


def assert_in_sync(*posts):
    found = documents([post.pk for post in posts])
    assert len(found) == len(posts)
    for kept, computed in found.values():
        assert kept == computed


def stored(post):
    return Post.objects.values_list("search_document", flat=True).get(pk=post.pk)


def has(document, word, weight):
    return re.search(rf"'{word}':[\d,A-D]*\d{weight}\b", document) is not None


@on_postgresql
def test_a_new_post_gets_its_weighted_document():
    post = PostFactory(
        title="Housing", standfirst="Devolution", body="<p>Transport matters.</p>"
    )
    assert_in_sync(post)
    document = stored(post)
    assert has(document, "hous", "A")
    assert has(document, "devolut", "B")
    assert has(document, "transport", "C")
    assert "'p'" not in document  # tags are not words


@on_postgresql
@pytest.mark.parametrize("field", ["title", "standfirst", "body"])
def test_saving_a_change_to_any_source_field_rewrites_it(field):
    post = PostFactory()
    assert not has(stored(post), "zeppelin", WEIGHTS[field])
    setattr(post, field, "Zeppelins")
    post.save()
    assert has(stored(post), "zeppelin", WEIGHTS[field])
    assert_in_sync(post)


@on_postgresql
def test_bulk_create_and_queryset_update_keep_it_in_sync():
    posts = Post.objects.bulk_create(
        PostFactory.build(title=f"Bulk housing {n}") for n in range(3)
    )
    assert all(has(stored(post), "hous", "A") for post in posts)
    assert_in_sync(*posts)
    Post.objects.filter(pk__in=[post.pk for post in posts]).update(
        standfirst="Zeppelins"
    )
    assert all(has(stored(post), "zeppelin", "B") for post in posts)
    assert_in_sync(*posts)


@on_postgresql
def test_raw_writes_and_writes_to_the_document_itself_are_overruled():
    post = PostFactory(title="Housing")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE blog_post SET body = 'Zeppelins' WHERE id = %s", [post.pk]
        )
    assert has(stored(post), "zeppelin", "C")
    Post.objects.filter(pk=post.pk).update(search_document=None)
    assert has(stored(post), "hous", "A")
    assert_in_sync(post)


@on_postgresql
def test_updating_only_other_fields_keeps_it():
    post = PostFactory(title="Housing")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    assert has(stored(post), "hous", "A")
    assert_in_sync(post)


@on_postgresql
def test_ranking_by_it_gives_the_very_ranks_of_the_expression():
    texts = [
        ("Housing", "Housing and housing", "<p>Housing.</p>"),
        ("Transport", "Housing", "<p>Buses.</p>"),
        ("Transport", "Buses", "<p>Housing, houses and <em>more</em> housing.</p>"),
        ("Housing transport", "", ""),
    ]
    for title, standfirst, body in texts:
        PostFactory(published=True, title=title, standfirst=standfirst, body=body)
    query = SearchQuery("housing", search_type="websearch", config=CONFIG)
    ranks = {}
    for pk, kept, computed in (
        POST.with_related(Post.objects.all())
        .annotate(
            kept=SearchRank(F("search_document"), query),
            computed=SearchRank(search_vector(POST), query),
        )
        .values_list("pk", "kept", "computed")
    ):
        assert kept == computed
        ranks[pk] = computed
    assert len(set(ranks.values())) == len(texts)  # they tell the posts apart
    # and search() ranks by the stored document, as the expression would
    rows = search("housing", kind="post")[0:10]
    assert {row["r_id"]: row["r_rank"] for row in rows} == ranks
    assert [row["r_id"] for row in rows] == sorted(ranks, key=ranks.get, reverse=True)


@on_postgresql
def test_the_bench_data_s_bulk_created_posts_are_all_in_sync():
    call_command("load_demo_content", stdout=None)
    call_command(Command(), size="small", stdout=None)
    found = documents()
    assert len(found) > 20
    assert all(kept == computed for kept, computed in found.values())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no trigger")
def test_on_sqlite_it_is_an_unused_null_column():
    post = PostFactory(title="Housing")
    Post.objects.filter(pk=post.pk).update(body="Transport")
    assert stored(post) is None
