"""The public blog pages: what they show, to whom, and at what cost."""

import json
import re
from datetime import datetime, timedelta
from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from taggit.models import Tag, TaggedItem

from blog import previews
from blog.models import Post
from institute.models import Person
from tests.blog.conftest import JULY_18, LONDON, published_post
from tests.factories import (
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db


def archive_urls(post, theme, tag_slug, person):
    return [
        reverse("blog:post_list"),
        post.get_absolute_url(),
        reverse("blog:tag_archive", kwargs={"slug": tag_slug}),
        reverse("blog:theme_archive", kwargs={"slug": theme.slug}),
        reverse("blog:author_archive", kwargs={"slug": person.slug}),
        reverse("blog:year_archive", kwargs={"year": 2024}),
        reverse("blog:month_archive", kwargs={"year": 2024, "month": 7}),
        reverse("blog:feed_rss"),
        reverse("blog:feed_atom"),
        reverse("blog:theme_feed_rss", kwargs={"slug": theme.slug}),
        reverse("blog:theme_feed_atom", kwargs={"slug": theme.slug}),
    ]


def test_the_list_shows_published_posts_newest_first_with_their_details(client):
    theme = ResearchThemeFactory(title="Regional inequalities")
    older = published_post(title="Older", published_at=JULY_18 - timedelta(days=2))
    newer = published_post(title="Newer", published_at=JULY_18)
    newer.themes.add(theme)
    newer.tags.add("levelling up")
    html = client.get(reverse("blog:post_list")).content.decode()
    assert html.index("Newer") < html.index("Older")
    # The date, as shown: a card claims no time of day.
    assert '<time datetime="2024-07-18">18 July 2024</time>' in html
    assert "Regional inequalities" in html
    assert "#levelling up" in html
    assert str(newer.post_authors.get().person) in html
    assert older.standfirst in html


def test_the_list_shows_twelve_posts_a_page(client):
    for _ in range(13):
        published_post()
    first = client.get(reverse("blog:post_list"))
    second = client.get(reverse("blog:post_list"), {"page": 2})
    assert len(first.context["posts"]) == 12
    assert len(second.context["posts"]) == 1
    assert 'aria-label="Pagination"' in first.content.decode()


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"in_review": True},
        {"published": True, "published_at": JULY_18 + timedelta(days=1)},
    ],
    ids=["draft", "in review", "scheduled"],
)
def test_the_public_never_sees_a_post_that_is_not_live(client, time_machine, state):
    time_machine.move_to(JULY_18, tick=False)
    theme = ResearchThemeFactory()
    person = PersonFactory()
    visible = published_post(published_at=JULY_18 - timedelta(hours=1))
    visible.themes.add(theme)
    visible.tags.add("devolution")
    hidden = PostFactory(title="Secret draft title", **state)
    PostAuthorFactory(post=hidden, person=person)
    hidden.themes.add(theme)
    hidden.tags.add("devolution")

    assert client.get(hidden.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    for url in archive_urls(visible, theme, "devolution", person):
        if url == visible.get_absolute_url():
            continue
        response = client.get(url)
        assert b"Secret draft title" not in response.content, url


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "no cache"])
def test_a_scheduled_post_goes_live_at_its_time_everywhere(
    client, time_machine, request, page_cache
):
    """Counts and lists kept between requests renew too, page cache or not."""
    if not page_cache:
        request.getfixturevalue("no_page_cache")
    time_machine.move_to(JULY_18, tick=False)
    theme = ResearchThemeFactory()
    post = published_post(
        title="Scheduled title", published_at=JULY_18 + timedelta(minutes=10)
    )
    post.themes.add(theme)
    post.tags.add("devolution")
    person = post.post_authors.get().person
    urls = archive_urls(post, theme, "devolution", person)

    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    for url in urls[2:]:
        assert b"Scheduled title" not in client.get(url).content, url

    time_machine.shift(timedelta(minutes=10))
    for url in urls:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert b"Scheduled title" in response.content, url


def test_a_retired_theme_has_no_archive_or_feed(client):
    theme = ResearchThemeFactory(retired=True)
    for name in ("blog:theme_archive", "blog:theme_feed_rss"):
        url = reverse(name, kwargs={"slug": theme.slug})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_an_empty_month_is_not_found(client):
    url = reverse("blog:month_archive", kwargs={"year": 2024, "month": 3})
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_archive_lists_years_and_a_years_archive_its_months(client):
    published_post(published_at=JULY_18)
    published_post(published_at=JULY_18 - timedelta(days=60))
    published_post(published_at=JULY_18 - timedelta(days=400))
    year_2024 = reverse("blog:year_archive", kwargs={"year": 2024})
    may_2024 = reverse("blog:month_archive", kwargs={"year": 2024, "month": 5})

    blog = client.get(reverse("blog:post_list")).content.decode()
    assert f'<a href="{year_2024}">2024</a>' in blog
    assert 'href="/blog/archive/2023/">2023</a>' in blog
    assert may_2024 not in blog

    year = client.get(year_2024).content.decode()
    assert f'<a href="{may_2024}">May 2024</a>' in year
    assert "July 2024</a>" in year
    assert "2023/6/" not in year


@pytest.mark.usefixtures("no_page_cache")
def test_page_numbers_follow_a_new_post_at_once(client):
    """The list's post count is kept between requests, until content changes."""
    for _ in range(12):
        published_post()
    url = reverse("blog:post_list")
    assert client.get(url).context["paginator"].count == 12
    assert client.get(url, {"page": 2}).status_code == HTTPStatus.NOT_FOUND

    published_post()
    assert client.get(url).context["paginator"].count == 13
    assert client.get(url, {"page": 2}).status_code == HTTPStatus.OK


@pytest.mark.usefixtures("no_page_cache")
def test_each_archive_counts_its_own_posts(client):
    tagged = published_post()
    tagged.tags.add("devolution")
    published_post()
    counts = {
        url: client.get(url).context["paginator"].count
        for url in (
            reverse("blog:post_list"),
            reverse("blog:tag_archive", kwargs={"slug": "devolution"}),
        )
    }
    assert list(counts.values()) == [2, 1]


@pytest.mark.usefixtures("no_page_cache")
def test_a_tag_archive_lists_the_public_posts_with_the_tag_newest_first(client):
    older = published_post(title="Older", published_at=JULY_18 - timedelta(days=9))
    newer = published_post(title="Newer", published_at=JULY_18)
    draft = PostFactory(title="Draft")
    untagged = published_post(title="Untagged")
    published_post(title="Other tag").tags.add("housing")
    for post in (older, newer, draft):
        post.tags.add("devolution")
    # Another model's tagging with the untagged post's id is not the post's.
    TaggedItem.objects.create(
        tag=Tag.objects.get(slug="devolution"),
        content_type=ContentType.objects.get_for_model(Person),
        object_id=untagged.pk,
    )
    url = reverse("blog:tag_archive", kwargs={"slug": "devolution"})
    response = client.get(url)
    assert [card["title"] for card in response.context["posts"]] == [
        "Newer",
        "Older",
    ]
    assert response.context["paginator"].count == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="an index for PostgreSQL's join"
)
def test_a_tag_s_posts_are_found_through_an_index_on_postgresql():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "taggit_taggeditem")
    assert indexes["blog_tagged_post_idx"]["index"]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = Post.objects.tagged(Tag(pk=1)).query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "blog_tagged_post_idx" in plan


@pytest.mark.usefixtures("no_page_cache")
def test_a_tag_archive_looks_its_tag_up_once_until_the_content_changes(
    client, django_assert_num_queries
):
    post = published_post()
    post.tags.add("devolution")
    url = reverse("blog:tag_archive", kwargs={"slug": "devolution"})
    client.get(url)
    # The posts; the tag, the count and the cards' relations are kept.
    with django_assert_num_queries(1):
        assert "Posts tagged “devolution”" in client.get(url).content.decode()

    tag = post.tags.get()
    tag.name = "Devolution"
    tag.save()
    assert "Posts tagged “Devolution”" in client.get(url).content.decode()


@pytest.mark.usefixtures("no_page_cache")
def test_a_tag_with_letters_beyond_ascii_has_an_archive_reached_from_its_post(
    client,
):
    post = published_post()
    post.tags.add("Café culture")

    page = client.get(post.get_absolute_url())

    assert page.status_code == HTTPStatus.OK
    link = re.search(r'href="(/blog/tag/[^"]+/)"', page.content.decode())[1]
    archive = client.get(link)
    assert archive.status_code == HTTPStatus.OK
    assert archive.context["paginator"].count == 1


def test_a_post_page_shows_bylines_reading_time_themes_tags_and_related_posts(
    client, author
):
    theme = ResearchThemeFactory(title="Public service reform")
    post = PostFactory(published=True, body="<p>" + "word " * 500 + "</p>")
    PostAuthorFactory(post=post, person=author, role="Policy Fellow")
    post.themes.add(theme)
    post.tags.add("devolution")
    related = published_post(title="A related post")
    related.tags.add("devolution")
    published_post(title="Unrelated post")

    html = client.get(post.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "Cleo Hachem" in html
    assert "Policy Fellow" in html
    assert "3 minutes to read" in html
    assert "Public service reform" in html
    assert "#devolution" in html
    assert "A related post" in html
    assert "Unrelated post" not in html


def test_a_post_page_carries_social_and_structured_metadata(client, author):
    post = PostFactory(published=True, title="King's </script> speech")
    PostAuthorFactory(post=post, person=author)
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card"' in html
    assert 'rel="alternate" type="application/rss+xml"' in html
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    posting = next(json.loads(b) for b in blocks if "BlogPosting" in b)
    assert posting["headline"] == "King's </script> speech"
    assert posting["author"] == [{"@type": "Person", "name": "Cleo Hachem"}]
    assert posting["datePublished"] == post.published_at.isoformat()
    assert "dateModified" in posting


def test_authors_link_to_their_people_pages(client, author):
    person_url = author.get_absolute_url()
    post = published_post()
    PostAuthorFactory(post=post, person=author, order=1)
    assert (
        f'href="{person_url}"' in client.get(post.get_absolute_url()).content.decode()
    )


def test_a_byline_keeps_the_role_the_author_had_when_published(client, author):
    from blog import services
    from tests.factories import UserFactory

    editor = UserFactory(is_superuser=True, is_staff=True)
    post = PostFactory()
    PostAuthorFactory(post=post, person=author)
    services.post_publish(post=post, by=editor)
    author.role = "Director"
    author.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Policy Fellow" in html
    assert "Director" not in html


def test_changing_a_published_posts_slug_redirects_the_old_address(
    editor_client, client
):
    from tests.blog.test_admin import change_form_data

    post = published_post(slug="old-slug")
    response = editor_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        change_form_data(editor_client, post, slug="new-slug"),
    )
    assert response.status_code == HTTPStatus.FOUND
    editor_client.logout()
    response = client.get("/blog/old-slug/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/blog/new-slug/"


def test_staff_see_a_draft_marked_as_a_preview_and_never_cached(admin_client):
    post = PostFactory(title="Work in progress")
    response = admin_client.get(post.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<strong>Preview.</strong>" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


class TestPreviewLinks:
    def test_a_valid_link_shows_the_draft_read_only_and_unindexed(self, client, editor):
        post = PostFactory(title="Draft for review")
        response = client.get(previews.make_link(post, by=editor).get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        assert b"Draft for review" in response.content
        assert b"<strong>Preview.</strong> This post is a draft" in response.content
        assert b"This link works until" in response.content
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert b'<meta name="robots" content="noindex, nofollow">' in response.content
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_a_link_answers_gone_once_its_lifetime_is_over(
        self, client, editor, time_machine
    ):
        time_machine.move_to(JULY_18, tick=False)
        post = PostFactory(title="Draft for review")
        url = previews.make_link(post, by=editor, days=7).get_absolute_url()
        time_machine.shift(timedelta(days=6))
        assert client.get(url).status_code == HTTPStatus.OK
        time_machine.shift(timedelta(days=1, seconds=1))
        response = client.get(url)
        assert response.status_code == HTTPStatus.GONE
        html = response.content.decode()
        assert "This link worked until 25 July 2024, 09:00 (UK time)" in html
        assert "Draft for review" not in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"

    def test_changes_to_the_post_show_through_the_same_link(
        self, client, editor, time_machine
    ):
        time_machine.move_to(JULY_18, tick=False)
        post = PostFactory()
        url = previews.make_link(post, by=editor).get_absolute_url()
        time_machine.shift(timedelta(seconds=1))
        post.title = "Changed"
        post.status = Post.Status.REVIEW
        post.save()
        html = client.get(url).content.decode()
        assert "Changed" in html
        assert "This post is in review" in html

    def test_a_scheduled_post_says_when_it_goes_live(self, client, editor):
        post = PostFactory(
            published=True, published_at=datetime(2030, 1, 2, 9, 0, tzinfo=LONDON)
        )
        html = client.get(previews.make_link(post, by=editor).get_absolute_url())
        assert (
            "This post is scheduled: it goes live on 2 January 2030 at 09:00 "
            "(UK time)." in " ".join(strip_tags(html.content.decode()).split())
        )

    def test_a_link_to_a_post_now_live_leads_to_its_page(self, client, editor):
        post = PostFactory(published=True)
        response = client.get(previews.make_link(post, by=editor).get_absolute_url())
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == post.get_absolute_url()

    def test_an_unknown_or_tampered_link_is_refused(self, client, editor):
        link = previews.make_link(PostFactory(title="Secret"), by=editor)
        for token in [link.token + "x", link.token[:-1], "x" * 65]:
            url = reverse("blog:post_preview", kwargs={"token": token})
            response = client.get(url)
            assert response.status_code == HTTPStatus.NOT_FOUND
            assert b"This preview link does not exist" in response.content
            assert b"Secret" not in response.content

    def test_a_link_shows_only_its_own_post(self, client, editor):
        post = PostFactory(title="Mine")
        PostFactory(title="Someone else's")
        html = client.get(previews.make_link(post, by=editor).get_absolute_url())
        assert "Mine" in html.content.decode()
        assert "Someone else" not in html.content.decode()


def make_posts(count, theme, person):
    posts = []
    for _ in range(count):
        post = PostFactory(published=True, published_at=JULY_18)
        PostAuthorFactory(post=post, person=person)
        PostAuthorFactory(post=post)
        post.themes.add(theme)
        post.tags.add("devolution", "planning")
        posts.append(post)
    return posts


# With a cold cache. A list: the profile, the footer pages, the post count, the
# archive's months, the posts, and their cards' authors, themes and tags (one
# query); an archive also looks up its tag, theme or person, or checks that its
# dates have posts. A post: the
# profile, the footer pages, the post, its authors, themes and tags (one query),
# related posts, and its publications and projects (one query).
@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("list", 6),
        ("detail", 6),
        ("tag", 7),
        ("theme", 7),
        ("author", 7),
        ("year", 7),
        ("month", 7),
        ("rss", 2),
        ("atom", 2),
        ("theme_rss", 3),
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, page, queries
):
    theme = ResearchThemeFactory()
    person = PersonFactory()
    posts = make_posts(count, theme, person)
    urls = {
        "list": reverse("blog:post_list"),
        "detail": posts[0].get_absolute_url(),
        "tag": reverse("blog:tag_archive", kwargs={"slug": "devolution"}),
        "theme": reverse("blog:theme_archive", kwargs={"slug": theme.slug}),
        "author": reverse("blog:author_archive", kwargs={"slug": person.slug}),
        "year": reverse("blog:year_archive", kwargs={"year": 2024}),
        "month": reverse("blog:month_archive", kwargs={"year": 2024, "month": 7}),
        "rss": reverse("blog:feed_rss"),
        "atom": reverse("blog:feed_atom"),
        "theme_rss": reverse("blog:theme_feed_rss", kwargs={"slug": theme.slug}),
    }
    with django_assert_num_queries(queries):
        response = client.get(urls[page])
    assert response.status_code == HTTPStatus.OK


def test_published_posts_are_the_default_order_newest_first():
    first = PostFactory(published=True, published_at=timezone.now() - timedelta(1))
    second = PostFactory(published=True)
    assert list(Post.objects.public()) == [second, first]


def test_a_featured_image_is_shown_responsively_from_renditions_made_once(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.images import image_bytes

    post = PostFactory(
        published=True,
        featured_image=SimpleUploadedFile("lead.jpg", image_bytes(1600, 900)),
        featured_image_alt="The Liver Building at dusk",
    )
    manifest = post.featured_image_renditions
    assert [w for _, w in manifest["sources"]["jpeg"]] == [320, 640, 960, 1280]
    post.title = "Retitled"
    post.save()
    assert post.featured_image_renditions == manifest

    html = client.get(post.get_absolute_url()).content.decode()
    assert 'alt="The Liver Building at dusk"' in html
    assert 'width="1280" height="720"' in html
    assert '<source type="image/webp"' in html


def test_pages_of_the_list_follow_one_another_in_the_lists_order(client):
    # Ties in time are broken by the newest post first, page after page.
    for number in range(30):
        PostFactory(published=True, published_at=JULY_18 - timedelta(days=number // 4))
    expected = list(Post.objects.public().values_list("title", flat=True))
    shown = []
    for page in (1, 2, 3):
        response = client.get(reverse("blog:post_list"), {"page": page})
        shown += [card["title"] for card in response.context["posts"]]
    assert shown == expected
