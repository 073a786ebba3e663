"""Post cards: the data every list of posts shows, loaded in two queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import engines
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from blog.cards import CARD_FIELDS, post_cards, post_relations
from blog.models import Post
from tests.blog.conftest import JULY_18, published_post
from tests.factories import (
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_a_card_holds_links_dates_bylines_themes_and_tags_in_order():
    post = PostFactory(
        title="Devolution deals",
        slug="devolution-deals",
        standfirst="What the deals do.",
        published=True,
        published_at=JULY_18,
    )
    tom = PersonFactory(name="Tom Arnold", honorific="Dr", slug="tom-arnold")
    PostAuthorFactory(post=post, person=tom, order=0)
    PostAuthorFactory(post=post, person=PersonFactory(name="Cleo Hachem"), order=2)
    PostAuthorFactory(post=post, person=PersonFactory(name="Ann Other"), order=1)
    second = ResearchThemeFactory(title="Regional inequalities", order=2)
    first = ResearchThemeFactory(title="Future of cities", slug="future", order=1)
    post.themes.add(second, first)
    post.tags.add("planning", "devolution")

    [card] = post_cards(Post.objects.filter(pk=post.pk).values(*CARD_FIELDS))

    assert card["url"] == "/blog/devolution-deals/"
    assert card["title"] == "Devolution deals"
    assert card["standfirst"] == "What the deals do."
    assert card["published_at"] == JULY_18
    assert [author["name"] for author in card["authors"]] == [
        "Dr Tom Arnold",
        "Ann Other",
        "Cleo Hachem",
    ]
    assert card["authors"][0]["url"] == "/people/tom-arnold/"
    assert card["themes"] == [
        {"pk": first.pk, "title": "Future of cities", "url": "/blog/theme/future/"},
        {
            "pk": second.pk,
            "title": "Regional inequalities",
            "url": reverse("blog:theme_archive", kwargs={"slug": second.slug}),
        },
    ]
    assert [(tag["name"], tag["url"]) for tag in card["tags"]] == [
        ("devolution", "/blog/tag/devolution/"),
        ("planning", "/blog/tag/planning/"),
    ]


def test_a_card_gives_its_day_of_publication_in_uk_time():
    # 23:30 on 17 July in UTC is 00:30 on the 18th in London (summer time).
    post = published_post(published_at=datetime(2024, 7, 17, 23, 30, tzinfo=UTC))
    [card] = post_cards(Post.objects.filter(pk=post.pk).values(*CARD_FIELDS))
    assert card["published_on"] == date(2024, 7, 18)
    assert '<time datetime="2024-07-18">18 July 2024</time>' in post_card(card)


def test_a_byline_role_is_the_published_one_or_else_the_persons_own():
    post = PostFactory()
    PostAuthorFactory(post=post, person=PersonFactory(role="Now"), role="Then")
    PostAuthorFactory(post=post, person=PersonFactory(role="Current"), role="")
    relations = post_relations([post.pk])[post.pk]
    assert [author["role"] for author in relations["authors"]] == ["Then", "Current"]


def test_cards_keep_the_querysets_order_and_each_posts_own_relations():
    older = published_post(title="Older", published_at=JULY_18 - timedelta(days=1))
    newer = published_post(title="Newer", published_at=JULY_18)
    older.tags.add("only-older")
    newer.themes.add(ResearchThemeFactory(title="Only newer"))

    cards = post_cards(Post.objects.order_by("-published_at").values(*CARD_FIELDS))

    assert [card["title"] for card in cards] == ["Newer", "Older"]
    assert [tag["name"] for tag in cards[1]["tags"]] == ["only-older"]
    assert cards[0]["tags"] == []
    assert [theme["title"] for theme in cards[0]["themes"]] == ["Only newer"]
    assert cards[1]["themes"] == []


def test_a_retired_theme_is_left_off_a_card():
    post = published_post()
    post.themes.add(ResearchThemeFactory(title="Gone", is_retired=True))
    [card] = post_cards(Post.objects.filter(pk=post.pk).values(*CARD_FIELDS))
    assert card["themes"] == []


def test_a_tag_on_another_kind_of_object_is_not_a_posts_tag():
    """taggit's items are generic: an object of another model may share the id."""
    post = published_post()
    theme = ResearchThemeFactory(pk=post.pk)
    TaggedItem.objects.create(content_object=theme, tag=Tag.objects.create(name="x"))
    [card] = post_cards(Post.objects.filter(pk=post.pk).values(*CARD_FIELDS))
    assert card["tags"] == []


def test_cards_cost_two_queries_however_many_posts(django_assert_num_queries):
    for _ in range(5):
        post = published_post()
        PostAuthorFactory(post=post)
        post.themes.add(ResearchThemeFactory())
        post.tags.add("devolution", f"tag {post.pk}")
    # The posts, then their authors, themes and tags together.
    with django_assert_num_queries(2):
        cards = post_cards(Post.objects.values(*CARD_FIELDS))
    assert len(cards) == 5
    assert all(len(card["authors"]) == 2 for card in cards)
    with django_assert_num_queries(1):
        assert post_cards(Post.objects.filter(title="No").values(*CARD_FIELDS)) == []


def post_card(card, heading_level=2):
    template = engines["jinja2"].from_string(
        '{% from "blog/includes/post_card.html" import post_card %}'
        "{{ post_card(card, heading_level) }}"
    )
    return template.render({"card": card, "heading_level": heading_level})


def byline(authors):
    template = engines["jinja2"].from_string(
        '{% from "blog/includes/post_card.html" import byline %}'
        "{{ byline(authors, roles=True) }}"
    )
    return template.render({"authors": authors})


def card(**overrides):
    return {
        "url": "/blog/a/",
        "title": "A",
        "standfirst": "S",
        "published_at": JULY_18,
        "published_on": JULY_18.date(),
        "authors": [],
        "themes": [],
        "tags": [],
        **overrides,
    }


def person(name):
    return {"name": name, "url": f"/people/{name.lower()}/", "role": ""}


@pytest.mark.parametrize(
    ("names", "byline"),
    [
        ([], ""),
        (["Ann"], ' · By <a href="/people/ann/">Ann</a>'),
        (
            ["Ann", "Bo"],
            ' · By <a href="/people/ann/">Ann</a> and <a href="/people/bo/">Bo</a>',
        ),
        (
            ["Ann", "Bo", "Cy"],
            ' · By <a href="/people/ann/">Ann</a>, <a href="/people/bo/">Bo</a>'
            ' and <a href="/people/cy/">Cy</a>',
        ),
    ],
)
def test_a_card_names_its_authors_as_a_byline(names, byline):
    html = post_card(card(authors=[person(name) for name in names]))
    assert f"18 July 2024</time>{byline}</p>" in html


def test_a_card_escapes_what_editors_typed_and_takes_its_heading_level():
    html = post_card(
        card(
            title="<script>x</script>",
            standfirst="Fish & chips",
            tags=[{"name": "a<b", "url": "/blog/tag/ab/"}],
        ),
        heading_level=3,
    )
    assert '<h3><a href="/blog/a/">&lt;script&gt;x&lt;/script&gt;</a></h3>' in html
    assert "<p>Fish &amp; chips</p>" in html
    assert '<span class="visually-hidden">Tag: </span>#a&lt;b</a>' in html
    assert "<h2>" in post_card(card())
    assert "<ul" not in post_card(card())


def test_a_card_is_exactly_this_markup():
    html = post_card(
        card(
            authors=[person("Ann")],
            themes=[{"title": "Cities", "url": "/blog/theme/cities/"}],
            tags=[{"name": "housing", "url": "/blog/tag/housing/"}],
        )
    )
    assert html == (
        '<article class="card post-card"><h2><a href="/blog/a/">A</a></h2>'
        '<p class="meta"><time datetime="2024-07-18">18 July 2024'
        '</time> · By <a href="/people/ann/">Ann</a></p><p>S</p>'
        '<ul class="tags" aria-label="Themes and tags"><li>'
        '<a href="/blog/theme/cities/"><span class="visually-hidden">Theme: </span>'
        'Cities</a></li><li><a href="/blog/tag/housing/">'
        '<span class="visually-hidden">Tag: </span>#housing</a></li></ul></article>'
    )


def test_a_post_pages_byline_gives_each_authors_role_when_there_is_one():
    authors = [
        {"name": "Ann", "url": "/people/ann/", "role": "Director"},
        {"name": "Bo", "url": "/people/bo/", "role": ""},
        {"name": "Cy <3", "url": "/people/cy/", "role": "Fellow & friend"},
    ]
    assert byline(authors) == (
        '<a href="/people/ann/">Ann</a> <span class="byline__role">(Director)</span>'
        ', <a href="/people/bo/">Bo</a> and <a href="/people/cy/">Cy &lt;3</a> '
        '<span class="byline__role">(Fellow &amp; friend)</span>'
    )
