"""The post model: what the public may see, reading time, images."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from blog.models import Post
from tests.factories import (
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_published_posts_are_only_those_live_now():
    live = PostFactory(published=True)
    PostFactory()
    PostFactory(in_review=True)
    PostFactory(published=True, published_at=timezone.now() + timedelta(minutes=1))
    assert list(Post.objects.published()) == [live]


def test_reading_time_is_words_over_two_hundred_rounded_up():
    post = PostFactory(body="<p>" + "word " * 401 + "</p>")
    assert post.reading_time == 3


def test_reading_time_is_never_less_than_a_minute():
    assert PostFactory(body="").reading_time == 1


def test_the_body_is_sanitised_when_saved():
    post = PostFactory(body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    post.refresh_from_db()
    assert post.body == "<p>Hi</p>"


def test_an_image_without_a_description_is_refused():
    post = PostFactory.build(featured_image="blog/photo.jpg", featured_image_alt=" ")
    with pytest.raises(ValidationError) as error:
        post.clean()
    assert "featured_image_alt" in error.value.message_dict


def test_for_theme_and_by_author_narrow_the_posts():
    from tests.factories import PostAuthorFactory

    theme = ResearchThemeFactory()
    mine = PostAuthorFactory()
    mine.post.themes.add(theme)
    PostAuthorFactory()
    assert list(Post.objects.for_theme(theme)) == [mine.post]
    assert list(Post.objects.by_author(mine.person)) == [mine.post]


def test_posts_sharing_themes_or_tags_are_found_and_the_rest_are_not():
    theme = ResearchThemeFactory()
    by_theme, by_tag, neither = PostFactory(), PostFactory(), PostFactory()
    by_theme.themes.add(theme)
    by_tag.tags.add("devolution")
    neither.tags.add("planning")
    tag = by_tag.tags.get()
    found = Post.objects.sharing(theme_ids=[theme.pk], tag_ids=[tag.pk])
    assert set(found) == {by_theme, by_tag}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_related_posts_are_probed_post_by_post_not_hashed():
    """Hashing every link of a broad theme cost 3 ms to find three posts."""
    theme = ResearchThemeFactory()
    PostFactory().themes.add(theme)
    plan = Post.objects.sharing(theme_ids=[theme.pk], tag_ids=[1])[:3].explain()
    assert "SubPlan" in plan
    assert "hashed" not in plan


def test_an_authors_posts_are_theirs_alone():
    author, other = PersonFactory(), PersonFactory()
    theirs, shared, not_theirs = PostFactory(), PostFactory(), PostFactory()
    PostAuthorFactory(post=theirs, person=author)
    PostAuthorFactory(post=shared, person=author)
    PostAuthorFactory(post=shared, person=other, order=1)
    PostAuthorFactory(post=not_theirs, person=other)
    assert set(Post.objects.by_author(author)) == {theirs, shared}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_an_authors_posts_are_found_from_their_links_not_by_walking_all_posts():
    """Walking posts newest first for an author's took longer the more posts."""
    author = PersonFactory()
    PostAuthorFactory(post=PostFactory(), person=author)
    plan = Post.objects.by_author(author).order_by("-published_at")[:6].explain()
    assert "InitPlan" in plan
    assert "ANY" in plan
