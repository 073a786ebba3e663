"""Search finds what visitors type: a post's tags, a theme's current work and
the programme with its phases, on PostgreSQL (stored documents) and SQLite."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from taggit.models import Tag

from blog.models import Post
from heseltine.search import KINDS, search_vector
from institute.models import FocusArea, ResearchTheme
from partnerships.models import Phase, Programme
from tests.factories import PostFactory, ResearchThemeFactory

pytestmark = pytest.mark.django_db


def found(client, query, **filters):
    """[(kind label, url, title)] of the first page of results."""
    html = client.get("/search/", {"q": query, **filters}).content.decode()
    return re.findall(
        r'<span class="search-kind">([^<]+)</span>.*?'
        r'<h3><a href="([^"]+)">([^<]+)</a></h3>',
        html,
        re.S,
    )


@pytest.fixture
def demo():
    call_command("load_demo_content", verbosity=0)


def test_devolution_finds_the_post_tagged_devolution(client, demo):
    results = found(client, "devolution", kind="post")
    assert (
        "Blog post",
        "/blog/what-the-manifestos-say-about-combined-authorities/",
        "What the manifestos say about combined authorities",
    ) in results


def test_commoning_finds_the_theme_whose_current_work_it_is(client, demo):
    assert found(client, "commoning") == [
        (
            "Research theme",
            "/themes/future-of-cities-and-city-regions/",
            "Future of cities and city regions",
        )
    ]


def test_coordination_hub_finds_the_programme_page(client, demo):
    results = found(client, "coordination hub")
    assert results[0] == (
        "Programme",
        "/partnerships/",
        "Local Policy Innovation Partnerships",
    )


def test_a_phase_s_words_find_the_programme(client, demo):
    assert ("Programme", "/partnerships/") in [
        (label, url) for label, url, _ in found(client, "exploratory")
    ]


def test_the_institute_s_own_byline_is_not_found_as_a_person(client, demo):
    assert all(label != "Person" for label, _, _ in found(client, "Heseltine"))


def test_a_tag_added_later_finds_the_post_and_a_removed_one_no_longer(client):
    post = PostFactory(published=True, title="A post", standfirst="x", body="<p>y</p>")
    assert found(client, "zeppelins") == []
    post.tags.add("zeppelins")
    assert [title for _, _, title in found(client, "zeppelins")] == ["A post"]
    post.tags.remove("zeppelins")
    assert found(client, "zeppelins") == []


def test_a_renamed_tag_finds_its_posts_by_the_new_name(client):
    post = PostFactory(published=True, title="A post", standfirst="x", body="<p>y</p>")
    post.tags.add("trams")
    tag = Tag.objects.get(name="trams")
    tag.name = "zeppelins"
    tag.save()
    assert [title for _, _, title in found(client, "zeppelins")] == ["A post"]
    assert found(client, "trams") == []


def test_a_tag_ranks_a_post_above_a_mention_in_its_body(client):
    PostFactory(published=True, title="Mentioned", standfirst="x", body="<p>Trams.</p>")
    tagged = PostFactory(published=True, title="Tagged", standfirst="x", body="")
    tagged.tags.add("trams")
    assert [title for _, _, title in found(client, "trams")] == [
        "Tagged",
        "Mentioned",
    ]


def test_a_focus_area_added_changed_or_removed_changes_what_finds_the_theme(client):
    theme = ResearchThemeFactory(title="A theme", summary="x", question="y")
    area = FocusArea.objects.create(theme=theme, title="Zeppelins")
    assert [title for _, _, title in found(client, "zeppelins")] == ["A theme"]
    area.title = "Trams"
    area.save()
    assert found(client, "zeppelins") == []
    assert [title for _, _, title in found(client, "trams")] == ["A theme"]
    area.delete()
    assert found(client, "trams") == []


def test_a_retired_theme_is_not_found_by_its_current_work(client):
    theme = ResearchThemeFactory(title="A theme", retired=True)
    FocusArea.objects.create(theme=theme, title="Zeppelins")
    assert ResearchTheme.objects.filter(pk=theme.pk).exists()
    assert found(client, "zeppelins") == []


def test_a_phase_changed_later_changes_what_finds_the_programme(client):
    programme = Programme.objects.create(name="A programme", slug="a", summary="x")
    phase = Phase.objects.create(
        programme=programme,
        number=1,
        name="Scoping",
        purpose="Zeppelins.",
        partnerships_funded=1,
    )
    assert [title for _, _, title in found(client, "zeppelins")] == ["A programme"]
    phase.purpose = "Trams."
    phase.save()
    assert found(client, "zeppelins") == []
    assert [title for _, _, title in found(client, "trams")] == ["A programme"]


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL trigger"
)


def kept_and_computed(key, row):
    """The stored document and search_vector()'s, as text, for one row."""
    kind = next(kind for kind in KINDS if kind.key == key)
    rows = kind.with_related(kind.model.objects.filter(pk=row.pk))
    rows = rows.annotate(computed=Cast(search_vector(kind), TextField()))
    return rows.values_list("search_document", "computed").get()


@on_postgresql
def test_stored_documents_with_related_words_equal_search_vector_s(demo):
    for post in Post.objects.all():
        kept, computed = kept_and_computed("post", post)
        assert kept == computed
    for theme in ResearchTheme.objects.all():
        kept, computed = kept_and_computed("theme", theme)
        assert kept == computed
    kept, computed = kept_and_computed("programme", Programme.objects.get())
    assert kept == computed
    assert "'coordin'" in kept


@on_postgresql
def test_the_words_of_related_rows_weigh_as_a_standfirst_does(demo):
    post = Post.objects.get(slug="what-the-manifestos-say-about-combined-authorities")
    assert re.search(r"'devolut':[\d,]*\dB\b", kept_and_computed("post", post)[0])
    theme = ResearchTheme.objects.get(slug="future-of-cities-and-city-regions")
    assert re.search(r"'common':[\d,]*\dB\b", kept_and_computed("theme", theme)[0])
