"""The admin as the editors' tool: roles, workflow, actions and their costs."""

import io
import os
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from blog.models import ALT_TEXT_REQUIRED, Post
from tests.blog.conftest import JULY_18, published_post
from tests.factories import PersonFactory, PostAuthorFactory, PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:blog_post_changelist"


def form_data(post=None, person=None, **changes):
    """What the post form sends: the post's fields and one author row."""
    data = {
        "title": "A new post",
        "slug": "a-new-post",
        "standfirst": "Why this matters.",
        "body": "<p>Text.</p>",
        "featured_image_alt": "",
        "status": Post.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "tags": "",
        "post_authors-TOTAL_FORMS": "1",
        "post_authors-INITIAL_FORMS": "0",
        "post_authors-MIN_NUM_FORMS": "1",
        "post_authors-MAX_NUM_FORMS": "1000",
        "post_authors-0-person": str(person.pk) if person else "",
        "post_authors-0-order": "0",
    }
    data.update(changes)
    return data


def change_form_data(client, post, **changes):
    """The change form of `post` as opened by `client`, with `changes` applied."""
    response = client.get(reverse("admin:blog_post_change", args=[post.pk]))
    form = response.context["adminform"].form
    authors = list(post.post_authors.all())
    published = post.published_at and timezone.localtime(post.published_at)
    data = {
        "title": post.title,
        "slug": post.slug,
        "standfirst": post.standfirst,
        "body": post.body,
        "featured_image_alt": post.featured_image_alt,
        "status": post.status,
        "published_at_0": published.date().isoformat() if published else "",
        "published_at_1": published.strftime("%H:%M:%S") if published else "",
        "themes": [theme.pk for theme in post.themes.all()],
        "tags": ", ".join(tag.name for tag in post.tags.all()),
        "opened_at": form.initial["opened_at"],
        "post_authors-TOTAL_FORMS": str(len(authors)),
        "post_authors-INITIAL_FORMS": str(len(authors)),
        "post_authors-MIN_NUM_FORMS": "1",
        "post_authors-MAX_NUM_FORMS": "1000",
    }
    for index, author in enumerate(authors):
        data[f"post_authors-{index}-id"] = str(author.pk)
        data[f"post_authors-{index}-post"] = str(post.pk)
        data[f"post_authors-{index}-person"] = str(author.person_id)
        data[f"post_authors-{index}-order"] = str(author.order)
    data.update(changes)
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def run_action(client, action, posts):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [post.pk for post in posts]},
        follow=True,
    )


class TestContributors:
    def test_a_contributor_creates_a_draft_recorded_as_theirs(
        self, contributor_client, contributor
    ):
        person = PersonFactory()
        response = contributor_client.post(
            reverse("admin:blog_post_add"), form_data(person=person)
        )
        assert response.status_code == HTTPStatus.FOUND
        post = Post.objects.get()
        assert post.status == Post.Status.DRAFT
        assert post.created_by == contributor == post.updated_by

    def test_a_contributors_attempt_to_publish_by_action_is_refused(
        self, contributor_client, contributor
    ):
        post = PostFactory(created_by=contributor, in_review=True)
        PostAuthorFactory(post=post)
        response = run_action(contributor_client, "publish_now", [post])
        assert "No action selected." in messages_of(response)
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW

    def test_a_contributor_submits_their_own_draft_for_review(
        self, contributor_client, contributor
    ):
        post = PostFactory(created_by=contributor)
        response = run_action(contributor_client, "submit_for_review", [post])
        assert "1 post submitted for review." in messages_of(response)
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW

    def test_a_contributor_cannot_submit_someone_elses_draft(
        self, contributor_client, contributor
    ):
        # One they may see, as its author, but did not write.
        post = PostFactory()
        PostAuthorFactory(post=post, person=PersonFactory(user=contributor))
        response = run_action(contributor_client, "submit_for_review", [post])
        assert "You can only submit your own drafts for review." in messages_of(
            response
        )
        post.refresh_from_db()
        assert post.status == Post.Status.DRAFT

    @pytest.mark.parametrize(
        "state", ["someone else's draft they are an author of", "own published post"]
    )
    def test_a_contributor_cannot_edit_others_or_published_posts(
        self, contributor_client, contributor, state
    ):
        if state == "own published post":
            post = published_post(created_by=contributor, title="Original")
        else:
            post = PostFactory(title="Original")
            PostAuthorFactory(post=post, person=PersonFactory(user=contributor))
        url = reverse("admin:blog_post_change", args=[post.pk])
        page = contributor_client.get(url)
        assert page.status_code == HTTPStatus.OK
        assert 'name="title"' not in page.content.decode()
        response = contributor_client.post(url, {"title": "Changed"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        post.refresh_from_db()
        assert post.title == "Original"


class TestEditors:
    def test_publish_now_publishes_and_counts(self, editor_client, time_machine):
        time_machine.move_to(JULY_18, tick=False)
        posts = [PostFactory(in_review=True) for _ in range(2)]
        for post in posts:
            PostAuthorFactory(post=post)
        response = run_action(editor_client, "publish_now", posts)
        assert "2 posts published." in messages_of(response)
        assert Post.objects.public().count() == 2

    def test_an_action_is_recorded_in_the_posts_history(self, editor_client):
        post = PostFactory(in_review=True)
        PostAuthorFactory(post=post)
        run_action(editor_client, "publish_now", [post])
        history = editor_client.get(
            reverse("admin:blog_post_history", args=[post.pk])
        ).content.decode()
        assert "Published (admin action)." in history

    def test_publish_now_refuses_a_post_without_an_author(self, editor_client):
        post = PostFactory(in_review=True, title="No byline")
        response = run_action(editor_client, "publish_now", [post])
        assert "“No byline” has no author; add one before publishing it." in (
            messages_of(response)
        )
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW

    def test_unpublish_takes_a_post_back_to_draft(self, editor_client):
        post = published_post()
        response = run_action(editor_client, "unpublish", [post])
        assert "1 post unpublished." in messages_of(response)
        post.refresh_from_db()
        assert post.status == Post.Status.DRAFT
        assert post.published_at is None

    def test_unpublish_refuses_a_draft(self, editor_client):
        post = PostFactory(title="Just a draft")
        response = run_action(editor_client, "unpublish", [post])
        assert "“Just a draft” is not published." in messages_of(response)

    def test_a_stale_form_does_not_overwrite_another_editors_change(
        self, editor_client
    ):
        post = published_post(title="Original")
        stale = change_form_data(editor_client, post, title="Mine")
        Post.objects.filter(pk=post.pk).update(
            title="Theirs", updated_at=timezone.now() + timedelta(seconds=5)
        )
        response = editor_client.post(
            reverse("admin:blog_post_change", args=[post.pk]), stale
        )
        assert "Someone else saved this post" in response.content.decode()
        post.refresh_from_db()
        assert post.title == "Theirs"


def test_the_admin_index_shows_posts_in_review_and_scheduled_in_uk_time(
    editor_client, time_machine
):
    time_machine.move_to(JULY_18, tick=False)
    PostFactory(in_review=True, title="Needs a read")
    PostFactory(
        published=True,
        title="Goes out tomorrow",
        published_at=JULY_18 + timedelta(days=1),
    )
    PostFactory(title="Quiet draft")
    html = editor_client.get(reverse("admin:index")).content.decode()
    queue = html[html.index("editorial-queue") :]
    assert "Needs a read" in queue
    assert "Goes out tomorrow" in queue
    assert "19 July 2024, 09:00" in queue
    assert "Quiet draft" not in queue


def test_the_changelist_filters_scheduled_and_in_review_posts(editor_client):
    PostFactory(in_review=True, title="Needs a read")
    PostFactory(
        published=True, title="Later", published_at=timezone.now() + timedelta(1)
    )
    PostFactory(published=True, title="Live one")
    url = reverse(CHANGELIST)
    review = editor_client.get(url, {"workflow": "review"}).context["cl"].result_list
    scheduled = editor_client.get(url, {"workflow": "scheduled"}).context["cl"]
    assert [post.title for post in review] == ["Needs a read"]
    assert [post.title for post in scheduled.result_list] == ["Later"]


def test_the_changelist_does_not_load_the_search_documents(admin_client):
    published_post(title="Listed")
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse(CHANGELIST))
    post_queries = [q["sql"] for q in queries if 'FROM "blog_post"' in q["sql"]]
    assert post_queries
    assert not [sql for sql in post_queries if "search_document" in sql]


def test_saving_a_post_from_the_admin_keeps_it_searchable(admin_client):
    post = published_post(title="Listed")
    response = admin_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        change_form_data(admin_client, post, title="Devolution deals revisited"),
    )
    assert response.status_code == HTTPStatus.FOUND
    found = admin_client.get(reverse("search"), {"q": "devolution deals"})
    assert "Devolution deals revisited" in found.content.decode()


def test_the_change_form_offers_previews(admin_client):
    post = PostFactory()
    html = admin_client.get(
        reverse("admin:blog_post_change", args=[post.pk])
    ).content.decode()
    assert "Preview this post on the site" in html
    assert "Make a link for a reviewer" in html


def test_tag_suggestions_match_what_is_typed(admin_client):
    PostFactory().tags.add("levelling up", "Liverpool City Region", "devolution")
    response = admin_client.get(
        reverse("admin:blog_post_tag_suggestions"), {"q": "LEV"}
    )
    assert response.json() == {"tags": ["levelling up"]}


def test_tag_suggestions_are_for_staff_with_access_to_posts(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("admin:blog_post_tag_suggestions"), {"q": "lev"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def png_upload(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    return SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")


def add_post_with_image(client, person, upload, alt="A photo"):
    data = {**form_data(person=person), "featured_image": upload}
    return client.post(
        reverse("admin:blog_post_add"), {**data, "featured_image_alt": alt}
    )


def test_an_oversized_image_is_refused_with_a_clear_message(editor_client, author):
    noise = Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3))
    upload = png_upload(noise)
    assert upload.size > 5 * 1024 * 1024
    response = add_post_with_image(editor_client, author, upload)
    assert "the largest we accept is 5 MB" in response.content.decode()
    assert not Post.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(editor_client, author):
    fake = SimpleUploadedFile("photo.jpg", b"not really a picture")
    response = add_post_with_image(editor_client, author, fake)
    assert "not an image we can read" in response.content.decode()
    assert not Post.objects.exists()


def test_an_image_needs_a_description(editor_client, author):
    upload = png_upload(Image.new("RGB", (4, 4)))
    response = add_post_with_image(editor_client, author, upload, alt="")
    assert ALT_TEXT_REQUIRED in response.content.decode()
    assert not Post.objects.exists()


def test_a_small_image_with_a_description_is_kept(editor_client, author):
    upload = png_upload(Image.new("RGB", (4, 4)))
    add_post_with_image(editor_client, author, upload, alt="A black square")
    post = Post.objects.get()
    assert post.featured_image.name.startswith("blog/")
    assert post.featured_image_alt == "A black square"
