"""RSS and Atom feeds for the blog and for each theme."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse

from tests.blog.conftest import JULY_18
from tests.factories import (
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    post = PostFactory(
        published=True,
        title="What the manifestos say",
        standfirst="Where combined authorities may be heading.",
        published_at=JULY_18,
    )
    PostAuthorFactory(post=post, person=PersonFactory(name="Tom Arnold"), order=0)
    PostAuthorFactory(post=post, person=PersonFactory(name="Cleo Hachem"), order=1)
    return post


@pytest.mark.parametrize("name", ["blog:feed_rss", "blog:feed_atom"])
def test_a_feed_entry_carries_title_link_date_authors_and_summary(client, post, name):
    feed = feedparser.parse(client.get(reverse(name)).content)
    assert not feed.bozo
    entry = feed.entries[0]
    assert entry.title == "What the manifestos say"
    assert entry.link.endswith(post.get_absolute_url())
    assert entry.published_parsed[:5] == (2024, 7, 18, 8, 0)
    assert "Tom Arnold, Cleo Hachem" in entry.author
    assert entry.summary == "Where combined authorities may be heading."


@pytest.mark.parametrize("name", ["blog:theme_feed_rss", "blog:theme_feed_atom"])
def test_a_theme_feed_has_only_that_themes_posts(client, post, name):
    theme = ResearchThemeFactory(title="Regional inequalities")
    post.themes.add(theme)
    PostFactory(published=True, title="Elsewhere")
    feed = feedparser.parse(
        client.get(reverse(name, kwargs={"slug": theme.slug})).content
    )
    assert [entry.title for entry in feed.entries] == ["What the manifestos say"]
    assert "Regional inequalities" in feed.feed.title


def test_feeds_leave_out_drafts_and_scheduled_posts(client, post, time_machine):
    time_machine.move_to(JULY_18 + timedelta(hours=1), tick=False)
    PostFactory(title="Draft")
    PostFactory(published=True, title="Tomorrow", published_at=JULY_18 + timedelta(1))
    feed = feedparser.parse(client.get(reverse("blog:feed_rss")).content)
    assert [entry.title for entry in feed.entries] == ["What the manifestos say"]


def test_blog_pages_link_to_the_feeds(client, post):
    html = client.get(reverse("blog:post_list")).content.decode()
    rss = reverse("blog:feed_rss")
    assert f'title="Heseltine Institute blog (RSS)" href="{rss}"' in html
    assert f'href="{reverse("blog:feed_atom")}"' in html


@pytest.mark.parametrize("name", ["blog:feed_rss", "blog:feed_atom"])
def test_a_feed_goes_to_the_server_in_one_piece(client, no_page_cache, post, name):
    # A WSGI server sends each piece of a response on its own.
    response = client.get(reverse(name))
    pieces = list(response)
    assert len(pieces) == 1
    assert pieces[0] == response.content


@pytest.mark.usefixtures("no_page_cache")
def test_a_feed_keeps_its_authors_names_until_the_content_changes(
    client, post, django_assert_num_queries
):
    url = reverse("blog:feed_rss")
    client.get(url)
    with django_assert_num_queries(1):  # the posts; their authors' names are kept
        client.get(url)

    person = post.post_authors.get(order=0).person
    person.name = "Tom Arnold-Jones"
    person.save()
    entry = feedparser.parse(client.get(url).content).entries[0]
    assert "Tom Arnold-Jones, Cleo Hachem" in entry.author
