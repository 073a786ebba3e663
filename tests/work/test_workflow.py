"""Projects, publications and events move through the posts' workflow:
buttons for the moves this user may make, review with a note, withdrawal,
emails, history and queues, driven through the admin as rendered
(django-webtest).
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from webtest.forms import Form

from tests.work.conftest import EventFactory, ProjectFactory, PublicationFactory
from work.models import Project, Status, WorkEvent

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
FACTORIES = {
    "project": ProjectFactory,
    "publication": PublicationFactory,
    "event": EventFactory,
}


def change_url(item):
    return reverse(f"admin:work_{item._meta.model_name}_change", args=[item.pk])


def form_of(page, item):
    return page.forms[f"{item._meta.model_name}_form"]


def buttons(page, item):
    return {name for name in form_of(page, item).fields if name in BUTTONS}


def press(app, item, user, button, **values):
    page = app.get(change_url(item), user=user)
    form = form_of(page, item)
    for name, value in values.items():
        form[name] = value
    return form.submit(button, user=user)


def words(response):
    return " ".join(response.html.get_text(" ").split())


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run the on-commit hooks (the emails) of what the test does inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.parametrize("model", FACTORIES)
def test_each_kind_offers_a_contributor_save_and_submit_and_an_editor_publishing(
    django_app, contributor, editor, model
):
    item = FACTORIES[model](created_by=contributor)

    mine = django_app.get(change_url(item), user=contributor)
    assert buttons(mine, item) == {"_save", "_continue", "_submit_review"}
    assert "status" not in form_of(mine, item).fields
    assert "publish_at_0" not in form_of(mine, item).fields

    editors = django_app.get(change_url(item), user=editor)
    assert buttons(editors, item) == {
        "_save",
        "_continue",
        "_submit_review",
        "_publish",
        "_schedule",
    }
    # The time is asked for inside "Schedule…" only.
    schedule = editors.html.find("details", id="schedule")
    assert schedule.summary.get_text() == "Schedule…"
    assert schedule.find("input", attrs={"name": "publish_at_0"})


def test_a_contributor_submits_withdraws_and_resubmits_their_draft(
    django_app, contributor, editor, emails
):
    add = django_app.get("/admin/work/project/add/", user=contributor)
    form = add.forms["project_form"]
    form["title"] = "Prosocial Place Programme"
    form["slug"] = "prosocial-place"
    form["summary"] = "A programme."
    with emails():
        response = form.submit("_submit_review", user=contributor).follow()
    project = Project.objects.get(slug="prosocial-place")

    assert project.status == Status.REVIEW
    assert "“Prosocial Place Programme” is in review" in words(response)
    # Editors hear of it, with a link to its page in the admin.
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert mail.outbox[0].subject == "For review: “Prosocial Place Programme”"
    assert change_url(project) in mail.outbox[0].body
    # While in review it is the editors'; the author can only withdraw it.
    assert buttons(response, project) == set()
    response.forms["withdraw-form"].submit(user=contributor).follow()
    project.refresh_from_db()
    assert project.status == Status.DRAFT
    page = django_app.get(change_url(project), user=contributor)
    assert "_submit_review" in buttons(page, project)
    assert list(project.events.values_list("action", flat=True)) == [
        WorkEvent.Action.WITHDRAWN,
        WorkEvent.Action.SUBMITTED,
    ]


def test_an_editor_sends_a_project_back_with_a_note_the_author_sees(
    django_app, contributor, editor, emails
):
    project = ProjectFactory(
        title="Health governance", created_by=contributor, status=Status.REVIEW
    )
    page = django_app.get(change_url(project), user=editor)
    assert buttons(page, project) == {
        "_save",
        "_continue",
        "_publish",
        "_schedule",
        "_request_changes",
    }

    empty = press(django_app, project, editor, "_request_changes")
    assert empty.status_code == HTTPStatus.OK
    assert "Say what should change" in words(empty)
    project.refresh_from_db()
    assert project.status == Status.REVIEW

    with emails():
        press(
            django_app,
            project,
            editor,
            "_request_changes",
            review_note="Name the partners the seed lists.",
        )
    project.refresh_from_db()
    assert project.status == Status.DRAFT
    assert [message.to for message in mail.outbox] == [[contributor.email]]
    assert "Name the partners the seed lists." in mail.outbox[0].body

    django_app.reset()
    theirs = django_app.get(change_url(project), user=contributor)
    assert "Name the partners the seed lists." in words(theirs)
    heading = theirs.html.find(id="workflow-heading").get_text(" ", strip=True)
    assert heading == "Draft, sent back"
    home = django_app.get("/admin/", user=contributor)
    queue = home.html.find(id="work-queue")
    assert "Health governance" in queue.get_text()
    assert "sent back to you" in queue.get_text()


def test_an_editor_schedules_only_in_the_future_and_history_says_so_in_uk_time(
    django_app, editor
):
    event = EventFactory(title="Autumn lecture")
    past = timezone.localtime() - timedelta(days=1)
    refused = press(
        django_app,
        event,
        editor,
        "_schedule",
        publish_at_0=past.strftime("%d/%m/%Y"),
        publish_at_1="09:30:00",
    )
    assert "That time has passed" in words(refused)
    event.refresh_from_db()
    assert event.status == Status.DRAFT

    later = timezone.localtime() + timedelta(days=3)
    done = press(
        django_app,
        event,
        editor,
        "_schedule",
        publish_at_0=later.strftime("%d/%m/%Y"),
        publish_at_1="09:30:00",
    ).follow()
    event.refresh_from_db()
    assert event.is_scheduled
    assert timezone.localtime(event.published_at).strftime("%H:%M") == "09:30"
    day = later.strftime("%-d %B %Y")
    assert f"goes live by itself on {day} at 09:30 (UK time)" in words(done)

    history = django_app.get(
        reverse("admin:work_event_history", args=[event.pk]), user=editor
    )
    steps = history.html.find(id="workflow-history").get_text(" ")
    assert f"to go live {day}, 09:30" in " ".join(steps.split())


def test_an_editor_publishes_then_unpublishes_from_the_page(django_app, editor):
    publication = PublicationFactory(title="The State of Liverpool City Region")

    published = press(django_app, publication, editor, "_publish").follow()
    publication.refresh_from_db()
    assert publication.is_published
    assert buttons(published, publication) == {"_save", "_continue", "_unpublish"}

    press(django_app, publication, editor, "_unpublish")
    publication.refresh_from_db()
    assert publication.status == Status.DRAFT
    assert publication.published_at is None


def test_a_contributor_cannot_publish_by_renaming_a_button(
    django_app, contributor, emails
):
    project = ProjectFactory(created_by=contributor)
    page = django_app.get(change_url(project), user=contributor)
    for forged_name in ["_publish", "_schedule", "_unpublish", "_request_changes"]:
        # What an attacker does: the page's own form, a button renamed.
        html = page.forms["project_form"].text.replace(
            'name="_submit_review"', f'name="{forged_name}"'
        )
        forged = Form(page, html.replace(' id="project_form"', "", 1))
        with emails():
            response = forged.submit(forged_name, user=contributor)
        assert response.status_code == HTTPStatus.OK
        assert "Only editors can publish, schedule, unpublish or send back" in (
            words(response)
        )
        project.refresh_from_db()
        assert project.status == Status.DRAFT
        assert project.published_at is None
    assert not WorkEvent.objects.exists()
    assert not mail.outbox


def test_another_contributor_cannot_withdraw_what_they_did_not_write(
    django_app, contributor, roles
):
    from blog.roles import CONTRIBUTORS
    from tests.factories import member

    project = ProjectFactory(created_by=contributor, status=Status.REVIEW)
    page = django_app.get(change_url(project), user=contributor)
    withdraw = page.forms["withdraw-form"]

    other = member(CONTRIBUTORS, "olive")
    # The same form, sent by someone who cannot even see the project.
    response = withdraw.submit(user=other).follow(user=other)

    assert "doesn’t exist" in response.text
    project.refresh_from_db()
    assert project.status == Status.REVIEW


def test_editors_see_work_in_review_on_the_admin_home_page(
    django_app, editor, contributor
):
    ProjectFactory(title="Civic imagination", status=Status.REVIEW)
    EventFactory(
        title="Spring seminar",
        status=Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=2),
    )

    queue = django_app.get("/admin/", user=editor).html.find(id="work-queue")
    text = " ".join(queue.get_text(" ").split())

    assert "Projects in review (1) Civic imagination" in text
    assert "Events scheduled (1) Spring seminar" in text
    assert django_app.get("/admin/", user=contributor).html.find(id="work-queue") is (
        None
    )
