"""Who may read a post before it is public, and who may hand it to an outsider.

Editors see every post; a contributor only the posts they created or are an
author of; the public only the published. Reviewer links are made by editors,
and by a contributor for a draft of their own.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from blog import previews, services
from blog.models import Post
from blog.roles import CONTRIBUTORS
from tests.blog.conftest import published_post
from tests.factories import PersonFactory, PostAuthorFactory, PostFactory, member

pytestmark = pytest.mark.django_db

SHARE_LINK = {"aria-label": "Reviewer preview link"}


def unpublished_post(state, **kwargs):
    """A post with one author, as a draft, in review or scheduled."""
    if state == "scheduled":
        kwargs.update(
            status=Post.Status.PUBLISHED,
            published_at=timezone.now() + timedelta(days=3),
        )
    else:
        kwargs["status"] = state
    post = PostFactory(**kwargs)
    PostAuthorFactory(post=post)
    return post


UNPUBLISHED = [Post.Status.DRAFT, Post.Status.REVIEW, "scheduled"]


@pytest.fixture
def other_contributor(roles):
    return member(CONTRIBUTORS, "olive")


def status_of(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def listed_titles(django_app, user):
    page = django_app.get(reverse("admin:blog_post_changelist"), user=user)
    return {link.text for link in page.html.select("#result_list tbody th a")}


def share_link_on(page):
    field = page.html.find("input", SHARE_LINK)
    return field["value"] if field else None


def make_share_link(django_app, post, user):
    """Press "Make a link for a reviewer" on the post's page; return the link."""
    page = django_app.get(change_url(post), user=user)
    page = page.forms["share-form"].submit(user=user).follow(user=user)
    return share_link_on(page)


class TestThePostsPage:
    @pytest.mark.parametrize("state", UNPUBLISHED)
    def test_before_it_is_public_only_its_editors_and_own_people_read_it(
        self, client, editor, contributor, other_contributor, state
    ):
        author = member(CONTRIBUTORS, "ada")
        post = unpublished_post(state, created_by=contributor)
        PostAuthorFactory(post=post, person=PersonFactory(user=author))
        url = post.get_absolute_url()
        seen = {
            name: status_of(client, user, url)
            for name, user in [
                ("editor", editor),
                ("creator", contributor),
                ("author", author),
                ("another contributor", other_contributor),
                ("the public", None),
            ]
        }
        assert seen == {
            "editor": HTTPStatus.OK,
            "creator": HTTPStatus.OK,
            "author": HTTPStatus.OK,
            "another contributor": HTTPStatus.NOT_FOUND,
            "the public": HTTPStatus.NOT_FOUND,
        }
        services.post_publish(post=post, by=editor)
        assert status_of(client, other_contributor, url) == HTTPStatus.OK
        assert status_of(client, None, url) == HTTPStatus.OK

    def test_a_contributor_reading_their_own_draft_is_told_it_is_a_preview(
        self, client, contributor, other_contributor
    ):
        mine = unpublished_post(Post.Status.DRAFT, created_by=contributor)
        theirs = unpublished_post(Post.Status.DRAFT, created_by=other_contributor)
        client.force_login(contributor)
        response = client.get(mine.get_absolute_url())
        assert b"<strong>Preview.</strong>" in response.content
        assert "no-store" in response["Cache-Control"]
        assert client.get(theirs.get_absolute_url()).status_code == 404


class TestTheAdmin:
    def test_a_contributors_list_holds_no_one_elses_unpublished_post(
        self, django_app, contributor, editor
    ):
        unpublished_post(Post.Status.DRAFT, title="Mine", created_by=contributor)
        for state in UNPUBLISHED:
            unpublished_post(state, title=f"Editor's {state}", created_by=editor)
        published_post(title="Live for all")
        assert listed_titles(django_app, contributor) == {"Mine", "Live for all"}
        assert len(listed_titles(django_app, editor)) == 5

    @pytest.mark.parametrize("state", UNPUBLISHED)
    def test_another_posts_pages_answer_as_if_it_did_not_exist(
        self, django_app, contributor, editor, state
    ):
        post = unpublished_post(state, title="Embargoed", created_by=editor)
        for url in [
            change_url(post),
            reverse("admin:blog_post_history", args=[post.pk]),
        ]:
            response = django_app.get(url, user=contributor)
            assert response.status_code == HTTPStatus.FOUND
            assert response["Location"] == reverse("admin:index")
            assert "Embargoed" not in response.follow().text

    def test_an_editor_gets_a_share_link_for_any_post(
        self, django_app, editor, contributor
    ):
        posts = [
            unpublished_post(Post.Status.REVIEW, created_by=contributor),
            unpublished_post("scheduled", created_by=editor),
        ]
        for post in posts:
            link = make_share_link(django_app, post, editor)
            assert "/blog/preview/" in (link or "")
        # The contributor who wrote the first, now in review, may make none.
        page = django_app.get(change_url(posts[0]), user=contributor)
        assert "share-form" not in page.forms

    @pytest.mark.parametrize(
        ("whose", "state", "shared"),
        [
            ("own", Post.Status.DRAFT, True),
            ("own", Post.Status.REVIEW, False),
            ("own", "published", False),
            ("bylined", Post.Status.DRAFT, False),
            ("someone else's", "published", False),
        ],
    )
    def test_a_contributor_gets_a_share_link_only_for_their_own_draft(
        self, django_app, contributor, editor, whose, state, shared
    ):
        if state == "published":
            post = published_post(created_by=contributor if whose == "own" else editor)
        else:
            post = unpublished_post(
                state, created_by=contributor if whose == "own" else editor
            )
        if whose == "bylined":
            PostAuthorFactory(post=post, person=PersonFactory(user=contributor))
        page = django_app.get(change_url(post), user=contributor)
        assert page.status_code == HTTPStatus.OK
        assert "Preview this post on the site" in page.text
        assert ("share-form" in page.forms) is shared
        if shared:
            assert "/blog/preview/" in make_share_link(django_app, post, contributor)

    def test_tag_suggestions_name_no_tag_of_someone_elses_draft(
        self, django_app, contributor, editor
    ):
        unpublished_post(Post.Status.DRAFT, created_by=editor).tags.add("Secret deal")
        url = reverse("admin:blog_post_tag_suggestions") + "?q=secret"
        assert django_app.get(url, user=contributor).json == {"tags": []}
        assert django_app.get(url, user=editor).json == {"tags": ["Secret deal"]}


class TestShareLinks:
    def test_an_outsider_reads_the_link_until_an_editor_revokes_it(
        self, django_app, client, settings, editor
    ):
        post = unpublished_post(
            "scheduled", title="Embargoed budget", created_by=editor
        )
        path = make_share_link(django_app, post, editor).removeprefix(settings.SITE_URL)
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK
        assert b"Embargoed budget" in response.content
        # Before it goes live, the post's own address still says nothing.
        assert client.get(post.get_absolute_url()).status_code == 404
        page = django_app.get(change_url(post), user=editor)
        revoke = next(form for form in page.forms.values() if "link" in form.fields)
        revoked = revoke.submit(user=editor).follow(user=editor)
        assert "The link is revoked" in revoked.text
        assert share_link_on(revoked) is None
        response = client.get(path)
        assert response.status_code == HTTPStatus.GONE
        assert b"This link has been revoked" in response.content
        assert b"Embargoed budget" not in response.content

    def test_a_contributors_link_outlives_their_submitting_the_draft(
        self, django_app, client, settings, contributor
    ):
        post = unpublished_post(
            Post.Status.DRAFT, title="My draft", created_by=contributor
        )
        path = make_share_link(django_app, post, contributor).removeprefix(
            settings.SITE_URL
        )
        assert b"This post is a draft" in client.get(path).content
        page = django_app.get(change_url(post), user=contributor)
        page.forms["post_form"]["title"] = "My draft, revised"
        page.forms["post_form"].submit("_submit_review", user=contributor)
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK
        assert b"My draft, revised" in response.content
        assert b"This post is in review" in response.content
        # An account switched off shares nothing.
        contributor.is_active = False
        contributor.save()
        assert client.get(path).status_code == HTTPStatus.GONE

    def test_a_contributor_cannot_make_a_link_to_a_post_they_may_not_share(
        self, django_app, contributor, editor
    ):
        own = unpublished_post(Post.Status.DRAFT, created_by=contributor)
        theirs = unpublished_post("scheduled", created_by=editor)
        PostAuthorFactory(post=theirs, person=PersonFactory(user=contributor))
        form = django_app.get(change_url(own), user=contributor).forms["share-form"]
        form.action = reverse("admin:blog_post_share", args=[theirs.pk])
        response = form.submit(user=contributor, expect_errors=True)
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not theirs.share_links.exists()
        with pytest.raises(PermissionDenied):
            previews.make_link(theirs, by=contributor)


class TestTagArchives:
    def test_a_tag_only_unpublished_posts_use_is_unknown_until_one_is_published(
        self, client, editor
    ):
        draft = unpublished_post(Post.Status.DRAFT)
        draft.tags.add("Spending review leak")
        unpublished_post("scheduled").tags.add("Spending review leak")
        url = reverse("blog:tag_archive", kwargs={"slug": "spending-review-leak"})
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert b"Spending review leak" not in response.content
        unknown = client.get("/blog/tag/no-such-tag/")
        assert unknown.status_code == HTTPStatus.NOT_FOUND
        services.post_publish(post=draft, by=editor)
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert "Spending review leak" in response.content.decode()
