"""The workflow as editors and contributors meet it: buttons, notes, emails,
history and the admin's home page, driven through the admin as rendered
(django-webtest).
"""

import socket
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from webtest import TestResponse
from webtest.forms import Form

from blog.models import NotificationSettings, Post, PostEvent
from blog.roles import EDITORS
from tests.blog.conftest import JULY_18
from tests.factories import PersonFactory, PostAuthorFactory, PostFactory, member

pytestmark = pytest.mark.django_db

BUTTONS = {
    "_save",
    "_continue",
    "_submit_review",
    "_publish",
    "_schedule",
    "_request_changes",
    "_unpublish",
}
CHANGELIST = reverse("admin:blog_post_changelist")


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def buttons(page):
    form = page.forms["post_form"]
    return {name for name in form.fields if name in BUTTONS}


def post_by(user, **kwargs):
    post = PostFactory(created_by=user, body="<p>First &amp; foremost.</p>", **kwargs)
    person = getattr(user, "person", None) or PersonFactory(user=user)
    PostAuthorFactory(post=post, person=person)
    return post


def press(app, post, user, button, **values):
    page = app.get(change_url(post), user=user)
    form = page.forms["post_form"]
    for name, value in values.items():
        form[name] = value
    return form.submit(button, user=user)


def text_of(page_or_element):
    """The words of a page (a webtest response) or of an element of one."""
    element = page_or_element
    if isinstance(element, TestResponse):
        element = element.html
    return " ".join(element.get_text(" ").split())


@pytest.fixture
def other_editor(roles):
    user = member(EDITORS, "ellis")
    user.first_name, user.last_name = "Ellis", "Ward"
    user.save()
    return user


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run the on-commit hooks (the emails) of what the test does inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class TestButtons:
    def test_a_contributor_is_offered_save_and_submit_only(
        self, django_app, contributor
    ):
        page = django_app.get(change_url(post_by(contributor)), user=contributor)
        assert buttons(page) == {"_save", "_continue", "_submit_review"}
        form = page.forms["post_form"]
        assert "status" not in form.fields
        assert "publish_at_0" not in form.fields
        assert "Publish now" not in page.text

    def test_an_editor_is_offered_publishing_on_a_draft_and_unpublishing_live(
        self, django_app, editor, contributor
    ):
        draft = post_by(contributor)
        page = django_app.get(change_url(draft), user=editor)
        assert buttons(page) == {
            "_save",
            "_continue",
            "_submit_review",
            "_publish",
            "_schedule",
        }
        # The time is asked for inside "Schedule…" only.
        schedule = page.html.find("details", id="schedule")
        assert schedule.summary.get_text() == "Schedule…"
        assert schedule.find("input", attrs={"name": "publish_at_0"})
        draft.status = Post.Status.PUBLISHED
        draft.published_at = JULY_18
        draft.save()
        live = django_app.get(change_url(draft), user=editor)
        assert buttons(live) == {"_save", "_continue", "_unpublish"}
        assert "Save changes" in live.text

    def test_a_contributor_cannot_publish_by_renaming_a_button(
        self, django_app, contributor, emails
    ):
        post = post_by(contributor)
        page = django_app.get(change_url(post), user=contributor)
        for forged_name in ["_publish", "_schedule", "_unpublish"]:
            # What an attacker does: the page's own form, a button renamed.
            html = page.forms["post_form"].text.replace(
                'name="_submit_review"', f'name="{forged_name}"'
            )
            # Without its id, webtest reads the fields from this copy.
            forged = Form(page, html.replace(' id="post_form"', "", 1))
            assert forged_name in forged.fields
            with emails():
                response = forged.submit(forged_name, user=contributor)
            assert response.status_code == HTTPStatus.OK
            assert "Only editors can publish, schedule, unpublish or send back" in (
                text_of(response)
            )
            post.refresh_from_db()
            assert post.status == Post.Status.DRAFT
            assert post.published_at is None
        assert not PostEvent.objects.exists()
        assert not mail.outbox

    def test_a_contributor_cannot_submit_a_post_they_did_not_create(
        self, django_app, contributor
    ):
        # An author of it, but another's draft: its page is read-only.
        post = PostFactory(title="Theirs")
        PostAuthorFactory(post=post, person=PersonFactory(user=contributor))
        page = django_app.get(change_url(post), user=contributor)
        assert not buttons(page)
        assert "Submit for review" not in page.text


class TestANewPost:
    def fill(self, page, author):
        form = page.forms["post_form"]
        form["title"] = "A new post"
        form["slug"] = "a-new-post"
        form["standfirst"] = "Why this matters."
        form["body"] = "<p>Text.</p>"
        form["tags"] = "Levelling up"
        form["post_authors-0-person"].force_value(author.pk)  # an autocomplete
        return form

    def test_an_editor_publishes_a_new_post_and_the_time_is_stamped(
        self, django_app, editor, author, time_machine
    ):
        time_machine.move_to(JULY_18, tick=False)
        page = django_app.get(reverse("admin:blog_post_add"), user=editor)
        assert buttons(page) == {
            "_save",
            "_continue",
            "_submit_review",
            "_publish",
            "_schedule",
        }
        response = self.fill(page, author).submit("_publish", user=editor)
        assert "“A new post” is published" in text_of(response.follow(user=editor))
        post = Post.objects.get()
        assert post.is_published
        assert post.published_at == JULY_18
        assert post.created_by == editor
        assert post.post_authors.get().role == "Policy Fellow"
        assert [tag.name for tag in post.tags.all()] == ["Levelling up"]

    def test_a_contributors_new_post_cannot_be_published_by_a_renamed_button(
        self, django_app, contributor, author
    ):
        page = django_app.get(reverse("admin:blog_post_add"), user=contributor)
        assert buttons(page) == {"_save", "_continue", "_submit_review"}
        html = page.forms["post_form"].text.replace(
            'name="_submit_review"', 'name="_publish"'
        )
        forged = Form(page, html.replace(' id="post_form"', "", 1))
        forged["title"] = "A new post"
        forged["slug"] = "a-new-post"
        forged["standfirst"] = "Why this matters."
        forged["body"] = "<p>Text.</p>"
        forged["post_authors-0-person"].force_value(author.pk)
        response = forged.submit("_publish", user=contributor)
        assert "Only editors can publish" in text_of(response)
        assert not Post.objects.exists()
        # The same form, submitted for review as offered, is taken.
        response = self.fill(page, author).submit("_submit_review", user=contributor)
        assert Post.objects.get().status == Post.Status.REVIEW


class TestSubmitAndReview:
    def test_submitting_says_what_happened_and_tells_the_editors(
        self, django_app, contributor, editor, other_editor, emails
    ):
        post = post_by(contributor, title="Ports and places")
        with emails():
            response = press(django_app, post, contributor, "_submit_review")
        assert response.status_code == HTTPStatus.FOUND
        page = response.follow(user=contributor)
        text = text_of(page)
        assert "“Ports and places” is in review: the editors have been told." in text
        assert "You may edit it again below" not in text
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW
        # Read-only now, and the body reads as text, not markup.
        assert not buttons(page)
        assert "First & foremost." in text
        assert f"Address: {settings.SITE_URL}/blog/{post.slug}/" in text
        assert "/blog//" not in text
        assert "&lt;p&gt;" not in page.text
        assert "<p>First" not in text
        assert page.forms["withdraw-form"]
        # Each editor, by email, with the post's address in the admin.
        assert sorted(message.to[0] for message in mail.outbox) == sorted(
            [editor.email, other_editor.email]
        )
        message = mail.outbox[0]
        assert message.subject == "For review: “Ports and places”"
        assert f"/admin/blog/post/{post.pk}/change/" in message.body

    def test_the_link_in_the_email_uses_the_sites_address(
        self, django_app, contributor, editor, settings, emails
    ):
        settings.SITE_URL = "https://www.example.ac.uk"
        post = post_by(contributor)
        with emails():
            press(django_app, post, contributor, "_submit_review")
        assert f"https://www.example.ac.uk{change_url(post)}" in mail.outbox[0].body

    def test_an_editor_sends_a_post_back_with_a_note_the_author_reads(
        self, django_app, contributor, editor, emails
    ):
        post = post_by(contributor, title="Ports and places", in_review=True)
        note = "Please add a source for the jobs figure."
        with emails():
            response = press(
                django_app, post, editor, "_request_changes", review_note=note
            )
        assert "is sent back to its author" in text_of(response.follow(user=editor))
        post.refresh_from_db()
        assert post.status == Post.Status.DRAFT
        # The author: on the post's page, in their queue, by email.
        page = django_app.get(change_url(post), user=contributor)
        assert note in text_of(page.html.find(id="workflow"))
        assert text_of(page.html.find(id="workflow-heading")) == "Draft, sent back"
        assert "_submit_review" in buttons(page)
        home = django_app.get(reverse("admin:index"), user=contributor)
        queue = text_of(home.html.find(id="editorial-queue"))
        assert "Sent back to you (1)" in queue
        assert note in queue
        (message,) = mail.outbox
        assert message.to == [contributor.email]
        assert message.subject == "Changes requested: “Ports and places”"
        assert note in message.body

    def test_sending_back_needs_a_note(self, django_app, contributor, editor):
        post = post_by(contributor, in_review=True)
        response = press(django_app, post, editor, "_request_changes")
        assert response.status_code == HTTPStatus.OK
        assert "Say what should change" in text_of(response)
        assert response.html.find("details", id="request-changes").has_attr("open")
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW

    def test_a_contributor_withdraws_their_post_from_review(
        self, django_app, contributor
    ):
        post = post_by(contributor, title="Ports and places", in_review=True)
        page = django_app.get(change_url(post), user=contributor)
        response = page.forms["withdraw-form"].submit(user=contributor)
        page = response.follow(user=contributor)
        assert "is withdrawn from review: it is a draft again" in text_of(page)
        post.refresh_from_db()
        assert post.status == Post.Status.DRAFT
        assert "_save" in buttons(page)

    def test_an_editor_sends_back_rather_than_withdraws(
        self, django_app, contributor, editor
    ):
        post = post_by(contributor, in_review=True)
        page = django_app.get(change_url(post), user=editor)
        assert "withdraw-form" not in page.forms
        assert "_request_changes" in buttons(page)

    def test_another_contributor_cannot_withdraw_it(
        self, django_app, contributor, roles
    ):
        from blog.roles import CONTRIBUTORS

        post = post_by(contributor, in_review=True)
        page = django_app.get(change_url(post), user=contributor)
        form = page.forms["withdraw-form"]
        stranger = member(CONTRIBUTORS, "stranger")
        response = form.submit(user=stranger).follow(user=stranger)
        # As for a post that does not exist, to them.
        assert "doesn’t exist" in text_of(response) or "does not exist" in (
            text_of(response)
        )
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW


class TestPublishing:
    def test_an_editor_publishes_now_and_the_author_hears(
        self, django_app, contributor, editor, time_machine, emails
    ):
        time_machine.move_to(JULY_18, tick=False)
        post = post_by(contributor, title="Ports and places", in_review=True)
        with emails():
            response = press(django_app, post, editor, "_publish")
        page = response.follow(user=editor)
        assert "“Ports and places” is published: it is on the site now." in (
            text_of(page)
        )
        post.refresh_from_db()
        assert post.is_published
        assert post.published_at == JULY_18
        assert [message.to for message in mail.outbox] == [[contributor.email]]
        assert mail.outbox[0].subject == "Published: “Ports and places”"

    def test_an_editor_schedules_with_a_time_asked_for_then(
        self, django_app, contributor, editor, time_machine, emails
    ):
        time_machine.move_to(JULY_18, tick=False)
        post = post_by(contributor, title="Ports and places", in_review=True)
        with emails():
            response = press(
                django_app,
                post,
                editor,
                "_schedule",
                publish_at_0="19/07/2024",
                publish_at_1="08:30",
            )
        page = response.follow(user=editor)
        assert (
            "is scheduled: it goes live by itself on 19 July 2024 at 08:30 (UK time)"
            in text_of(page)
        )
        post.refresh_from_db()
        assert post.is_scheduled
        assert "goes live on 19 July 2024 at 08:30" in text_of(
            page.html.find(id="workflow")
        )
        (message,) = mail.outbox
        assert message.subject == "Scheduled: “Ports and places”"
        assert "19 July 2024 at 08:30 (UK time)" in message.body

    def test_scheduling_needs_a_time_in_the_future(
        self, django_app, contributor, editor, time_machine
    ):
        time_machine.move_to(JULY_18, tick=False)
        post = post_by(contributor, in_review=True)
        empty = press(django_app, post, editor, "_schedule")
        assert "Give the date and time (UK time) the post should go live." in (
            text_of(empty)
        )
        past = press(
            django_app,
            post,
            editor,
            "_schedule",
            publish_at_0="17/07/2024",
            publish_at_1="09:00",
        )
        assert "That time has passed" in text_of(past)
        assert past.html.find("details", id="schedule").has_attr("open")
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW

    def test_a_draft_given_a_time_is_not_saved_silently(
        self, django_app, contributor, editor, time_machine
    ):
        time_machine.move_to(JULY_18, tick=False)
        post = post_by(contributor)
        response = press(
            django_app,
            post,
            editor,
            "_save",
            publish_at_0="19/07/2024",
            publish_at_1="09:00",
        )
        assert response.status_code == HTTPStatus.OK
        assert "press “Schedule” to schedule the post for then" in text_of(response)
        post.refresh_from_db()
        assert post.published_at is None

    def test_unpublishing_takes_a_live_post_back_to_draft(
        self, django_app, editor, client
    ):
        post = PostFactory(published=True, title="Ports and places")
        PostAuthorFactory(post=post)
        response = press(django_app, post, editor, "_unpublish")
        assert "is unpublished: it is a draft and not public" in text_of(
            response.follow(user=editor)
        )
        post.refresh_from_db()
        assert post.status == Post.Status.DRAFT
        assert post.published_at is None
        assert client.get(post.get_absolute_url()).status_code == 404


class TestEmails:
    def test_nobody_is_emailed_about_their_own_action(
        self, django_app, editor, other_editor, emails
    ):
        post = post_by(editor)
        with emails():
            press(django_app, post, editor, "_submit_review")
        assert [message.to for message in mail.outbox] == [[other_editor.email]]
        mail.outbox.clear()
        with emails():
            press(django_app, post, editor, "_publish")
        assert not mail.outbox  # the author published it

    def test_a_user_turns_the_emails_off_themselves(
        self, django_app, contributor, editor, emails
    ):
        home = django_app.get(reverse("admin:index"), user=editor)
        page = home.click("Email notifications", index=0)
        form = page.forms[1]
        assert form["workflow_emails"].checked
        form["workflow_emails"] = False
        saved = form.submit(user=editor).follow(user=editor)
        assert "You will no longer be emailed" in text_of(saved)
        assert not NotificationSettings.objects.get(user=editor).workflow_emails
        with emails():
            press(django_app, post_by(contributor), contributor, "_submit_review")
        assert not mail.outbox

    def test_a_mail_server_that_is_down_does_not_stop_the_post(
        self, django_app, contributor, editor, settings, emails, caplog
    ):
        # Nothing listens on this port.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        post = post_by(contributor, title="Ports and places")
        with emails():
            response = press(django_app, post, contributor, "_submit_review")
        assert "is in review" in text_of(response.follow(user=contributor))
        post.refresh_from_db()
        assert post.status == Post.Status.REVIEW
        assert "Workflow email about post" in caplog.text


class TestHistory:
    def test_the_history_shows_who_did_what_in_uk_time(
        self, django_app, contributor, editor, time_machine
    ):
        time_machine.move_to(JULY_18, tick=False)  # 09:00 in London, 08:00 UTC
        post = post_by(contributor)
        press(django_app, post, contributor, "_submit_review")
        time_machine.move_to(JULY_18 + timedelta(minutes=30), tick=False)
        press(django_app, post, editor, "_request_changes", review_note="Shorter.")
        time_machine.move_to(JULY_18 + timedelta(hours=1), tick=False)
        press(django_app, post, contributor, "_submit_review")
        press(django_app, post, editor, "_publish")
        history = django_app.get(
            reverse("admin:blog_post_history", args=[post.pk]), user=editor
        )
        rows = [
            " ".join(row.get_text(" ").split())
            for row in history.html.find(id="workflow-history").tbody.find_all("tr")
        ]
        assert rows == [
            "18 July 2024, 10:00 edith Published",
            "18 July 2024, 10:00 connor Submitted for review",
            "18 July 2024, 09:30 edith Sent back with changes requested Shorter.",
            "18 July 2024, 09:00 connor Submitted for review",
        ]
        versions = history.html.find(id="change-history").tbody.find_all("tr")
        assert text_of(versions[0].find_all("td")[-1]).startswith("Published.")
        page = django_app.get(change_url(post), user=editor)
        assert "Sent back with changes requested, by edith" in text_of(
            page.html.find(id="workflow")
        )


class TestQueues:
    def test_an_editor_sees_review_scheduled_and_recently_published(
        self, django_app, editor, time_machine
    ):
        time_machine.move_to(JULY_18, tick=False)
        PostFactory(in_review=True, title="Needs a read")
        PostFactory(
            published=True, title="Tomorrow", published_at=JULY_18 + timedelta(1)
        )
        PostFactory(
            published=True, title="Yesterday", published_at=JULY_18 - timedelta(1)
        )
        PostFactory(
            published=True, title="Last year", published_at=JULY_18 - timedelta(365)
        )
        home = django_app.get(reverse("admin:index"), user=editor)
        queue = text_of(home.html.find(id="editorial-queue"))
        assert "In review (1) Needs a read" in queue
        assert "Scheduled (1) Tomorrow : goes live 19 July 2024, 09:00" in queue
        assert "Published in the last 14 days (1) Yesterday" in queue
        assert "Last year" not in queue

    def test_a_contributor_sees_their_own_drafts_and_posts_in_review(
        self, django_app, contributor
    ):
        post_by(contributor, title="My draft")
        post_by(contributor, title="Mine in review", in_review=True)
        PostFactory(title="Someone else's")
        home = django_app.get(reverse("admin:index"), user=contributor)
        queue = text_of(home.html.find(id="editorial-queue"))
        assert "Your drafts (1) My draft" in queue
        assert "Yours, waiting for an editor (1) Mine in review" in queue
        assert "Someone else's" not in queue


def states_in(page):
    """The post list's state column, by title, as read."""
    return {
        row.select_one(".field-title").text: text_of(row.select_one(".field-state"))
        for row in page.html.select("#result_list tbody tr")
    }


def titles_in(page):
    return sorted(a.text for a in page.html.select("#result_list .field-title a"))


class TestSentBackInTheList:
    def test_a_sent_back_draft_says_so_and_its_author_finds_it(
        self, django_app, contributor, editor
    ):
        sent_back = post_by(contributor, title="Ports and places", in_review=True)
        post_by(contributor, title="Quiet draft")
        post_by(contributor, title="Waiting", in_review=True)
        press(django_app, sent_back, editor, "_request_changes", review_note="Why?")

        page = django_app.get(CHANGELIST, user=contributor)
        assert states_in(page) == {
            "Ports and places": "Draft, sent back Preview",
            "Quiet draft": "Draft Preview",
            "Waiting": "In review Preview",
        }
        assert titles_in(page.click(description="^Sent back$")) == ["Ports and places"]
        # Still a draft among the drafts.
        assert titles_in(page.click(description="^Draft$", index=0)) == [
            "Ports and places",
            "Quiet draft",
        ]

    def test_a_draft_is_sent_back_only_while_that_was_its_last_step(
        self, django_app, contributor, editor
    ):
        post = post_by(contributor, title="Ports and places", in_review=True)
        press(django_app, post, editor, "_request_changes", review_note="Why?")
        press(django_app, post, contributor, "_submit_review")
        page = django_app.get(change_url(post), user=contributor)
        page.forms["withdraw-form"].submit(user=contributor)

        page = django_app.get(CHANGELIST, user=contributor)
        assert states_in(page) == {"Ports and places": "Draft Preview"}
        assert titles_in(page.click(description="^Sent back$")) == []


def test_an_editor_revokes_links_from_the_list_of_them(django_app, editor, client):
    from blog import previews

    links = [previews.make_link(PostFactory(), by=editor) for _ in range(2)]
    page = django_app.get(reverse("admin:blog_sharelink_changelist"), user=editor)
    form = page.forms["changelist-form"]
    form["action"] = "revoke"
    form.get("_selected_action", index=0).checked = True
    done = form.submit(user=editor).follow(user=editor)
    assert "1 link revoked." in text_of(done)
    statuses = sorted(client.get(link.get_absolute_url()).status_code for link in links)
    assert statuses == [HTTPStatus.OK, HTTPStatus.GONE]


def test_contributors_have_no_list_of_links(django_app, contributor):
    response = django_app.get(
        reverse("admin:blog_sharelink_changelist"), user=contributor, status=403
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_link_lives_only_as_long_as_offered(django_app, editor):
    post = PostFactory()
    form = django_app.get(change_url(post), user=editor).forms["share-form"]
    assert [value for value, _, _ in form["days"].options] == ["1", "7", "30"]
    form["days"].force_value("3650")
    page = form.submit(user=editor).follow(user=editor)
    assert "Choose how long the link should work." in text_of(page)
    assert not post.share_links.exists()
