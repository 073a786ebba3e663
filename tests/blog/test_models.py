"""The post model: what the public may see, reading time, images."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from blog import services
from blog.models import Post, PostAuthor, copy_publication_times
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
    assert list(Post.objects.public()) == [live]


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


def test_an_authors_posts_come_newest_first():
    author = PersonFactory()
    now = timezone.now()
    older, newer = (
        PostFactory(published=True, published_at=now - timedelta(days=days))
        for days in (2, 1)
    )
    draft = PostFactory()
    for post in (older, newer, draft):
        PostAuthorFactory(post=post, person=author)
    assert list(Post.objects.public().by_author(author)) == [newer, older]


def bylines_published_at(post):
    return {link.published_at for link in PostAuthor.objects.filter(post=post)}


def test_bylines_keep_their_posts_publication_time_through_the_workflow(editor):
    """The copy that orders an author's posts follows every change of the post."""
    post = PostFactory()
    PostAuthorFactory(post=post)
    assert bylines_published_at(post) == {None}

    services.post_publish(post=post, by=editor)
    PostAuthorFactory(post=post, order=1)  # an author added after publication
    assert bylines_published_at(post) == {post.published_at}

    post.published_at -= timedelta(days=3)  # an editor backdates it in the form
    post.save()
    assert bylines_published_at(post) == {post.published_at}

    services.post_unpublish(post=post, by=editor)
    assert bylines_published_at(post) == {None}

    later = timezone.now() + timedelta(days=1)
    services.post_publish(post=post, by=editor, at=later)  # scheduled
    assert bylines_published_at(post) == {later}


def test_bylines_made_in_bulk_get_their_posts_publication_time():
    live = PostFactory(published=True)
    draft = PostFactory()
    PostAuthor.objects.bulk_create(
        [
            PostAuthor(post=live, person=PersonFactory()),
            PostAuthor(post=draft, person=PersonFactory()),
        ]
    )
    assert copy_publication_times(PostAuthor.objects.all()) == 2
    assert bylines_published_at(live) == {live.published_at}
    assert bylines_published_at(draft) == {None}


def test_an_authors_newest_posts_are_the_first_entries_of_one_index():
    """Sorting all of a prolific author's posts took longer the more they wrote."""
    author = PersonFactory()
    PostAuthorFactory(post=PostFactory(published=True), person=author)
    posts = Post.objects.public().by_author(author)[:6]
    # In the index's own order, so no database need sort (SQLite too).
    order = '"blog_postauthor"."published_at" DESC, "blog_postauthor"."post_id" DESC'
    assert str(posts.query).endswith(f"ORDER BY {order} LIMIT 6")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # With a few rows any plan will do; the plan for many is what matters.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            plan = posts.explain()
        assert "postauthor_listing_idx" in plan
        assert "Sort" not in plan
