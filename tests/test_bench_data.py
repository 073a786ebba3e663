"""The synthetic benchmark data set: counts, idempotence, and pages that work on it."""

from http import HTTPStatus

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from bench.management.commands.generate_bench_data import SIZES, Command, Size
from blog.models import Post, PostAuthor
from institute.models import Person
from partnerships.models import Partnership, PartnershipPhase

pytestmark = pytest.mark.django_db

BENCH = {"slug__startswith": "bench-"}


@pytest.fixture
def demo_content():
    call_command("load_demo_content", stdout=None)


def generate(size="small"):
    call_command(Command(), size=size, stdout=None)


def bench_rows():
    """Every bench row with its last-changed time, to see whether anything moved."""
    return {
        "posts": set(Post.objects.filter(**BENCH).values_list("pk", "updated_at")),
        "people": set(Person.objects.filter(**BENCH).values_list("pk", "updated_at")),
        "tags": set(Tag.objects.filter(**BENCH).values_list("pk", flat=True)),
        "partnerships": set(
            Partnership.objects.filter(**BENCH).values_list("pk", "updated_at")
        ),
        "bylines": set(PostAuthor.objects.values_list("pk", flat=True)),
    }


def test_the_small_size_makes_the_promised_rows(demo_content):
    generate()
    posts = Post.objects.filter(**BENCH)
    assert posts.public().count() == 20
    assert posts.filter(status=Post.Status.DRAFT).count() == 2
    assert sum(post.is_scheduled for post in posts) == 2
    assert Tag.objects.filter(**BENCH).count() == 50
    assert Person.objects.filter(**BENCH).count() == 200
    assert Partnership.objects.filter(**BENCH).count() == 4


def test_one_tag_is_on_two_posts_in_three(demo_content):
    """So the small set has a tag archive with a page of posts to compare."""
    generate()
    popular = Tag.objects.get(slug="bench-tag-001")
    published = Post.objects.filter(**BENCH).public()
    assert published.tagged(popular).count() == 13


def test_every_bench_post_has_authors_themes_and_tags(demo_content):
    generate()
    for post in Post.objects.filter(**BENCH).with_listing_data():
        assert 1 <= len(post.post_authors.all()) <= 3
        assert 1 <= len(post.themes.all()) <= 2
        # Read through taggit: the tagged items carry the post's content type.
        assert 2 <= len(post.tags.all()) <= 4
        assert all(byline.role for byline in post.post_authors.all())
        assert post.title.startswith(f"Benchmark post {int(post.slug[-5:])} on ")


def test_every_bench_partnership_is_in_the_programme_s_first_phase(demo_content):
    generate()
    for partnership in Partnership.objects.filter(**BENCH):
        numbers = [r.phase.number for r in partnership.records.order_by("phase")]
        assert numbers[0] == 1
        assert numbers == list(range(1, len(numbers) + 1))


def test_running_it_again_with_the_same_size_changes_nothing(demo_content):
    generate()
    before = bench_rows()
    generate()
    assert bench_rows() == before


def test_another_size_replaces_only_the_bench_rows(demo_content, monkeypatch):
    # A stand-in for the large size, which is too big for the test suite.
    monkeypatch.setitem(SIZES, "large", Size(30, 1, 1, 60, 25, 6))
    demo = {
        "posts": set(Post.objects.values_list("pk", flat=True)),
        "people": set(Person.objects.values_list("pk", flat=True)),
        "records": set(PartnershipPhase.objects.values_list("pk", flat=True)),
    }
    generate("small")
    generate("large")
    assert Post.objects.filter(**BENCH).count() == 32
    assert Partnership.objects.filter(**BENCH).count() == 6
    generate("small")
    assert Post.objects.filter(**BENCH).count() == 24
    assert Person.objects.filter(**BENCH).count() == 200
    assert (
        set(Post.objects.exclude(**BENCH).values_list("pk", flat=True)) == demo["posts"]
    )
    assert (
        set(Person.objects.exclude(**BENCH).values_list("pk", flat=True))
        == demo["people"]
    )
    assert demo["records"] <= set(PartnershipPhase.objects.values_list("pk", flat=True))


def test_it_refuses_to_run_without_the_demo_content():
    with pytest.raises(CommandError, match="load_demo_content"):
        generate()


def test_cached_pages_show_the_bench_posts_at_once(client, demo_content):
    assert b"Benchmark post" not in client.get("/blog/").content
    generate()
    response = client.get("/blog/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Benchmark post 1 on " in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/blog/",
        "/blog/bench-post-00001/",
        "/blog/?page=2",
        "/blog/tag/bench-tag-001/",
        "/people/bench-person-001/",
        "/partnerships/",
        "/partnerships/bench-partnership-001/",
        "/search/?q=housing",
    ],
)
def test_public_pages_answer_on_the_bench_data(client, demo_content, path):
    generate()
    assert client.get(path).status_code == HTTPStatus.OK
