"""The admin of projects, publications and events, through the rendered forms.

Editors publish; contributors write drafts and cannot publish, whatever their
form sends. PDFs are uploaded as real multipart files and judged by content.
"""

import re
from http import HTTPStatus

import pytest
from webtest import Upload

from tests.images import image_bytes
from tests.work.conftest import (
    EventFactory,
    ProjectFactory,
    PublicationFactory,
    pdf_bytes,
)
from work.models import Event, Project, Publication
from work.pdf import MAX_PDF_BYTES

pytestmark = pytest.mark.django_db


def add_form(django_app, user, model):
    page = django_app.get(f"/admin/work/{model}/add/", user=user)
    return page.forms[f"{model}_form"]


def change_form(django_app, user, item):
    model = item._meta.model_name
    page = django_app.get(f"/admin/work/{model}/{item.pk}/change/", user=user)
    return page.forms[f"{model}_form"]


# Workflow and permissions


def test_an_editor_adds_and_publishes_a_project(django_app, editor):
    form = add_form(django_app, editor, "project")
    form["title"] = "Social Economy Panel"
    form["slug"] = "social-economy-panel"
    form["summary"] = "A panel."

    response = form.submit("_publish")

    assert response.status_code == HTTPStatus.FOUND, response.text
    project = Project.objects.get(slug="social-economy-panel")
    assert project.is_published
    assert project.published_at is not None


def test_a_contributor_cannot_set_the_state_so_their_project_stays_a_draft(
    django_app, contributor
):
    form = add_form(django_app, contributor, "project")

    assert "status" not in form.fields
    assert not {"publish_at_0", "_publish", "_schedule"} & set(form.fields)
    form["title"] = "My project"
    form["slug"] = "my-project"
    form["summary"] = "Mine."
    form.submit("_save")

    assert Project.objects.get(slug="my-project").status == "draft"


def test_a_contributor_can_view_but_not_change_a_published_item(
    django_app, contributor
):
    project = ProjectFactory(published=True)

    page = django_app.get(f"/admin/work/project/{project.pk}/change/", user=contributor)

    assert "View project" in page.text
    form = page.forms["project_form"]
    assert "_save" not in form.fields
    # Sent anyway, the form is refused on the server.
    form.submit(status=HTTPStatus.FORBIDDEN)


def test_a_contributor_is_offered_no_publish_action_and_cannot_use_it(
    django_app, contributor, editor
):
    draft = ProjectFactory()
    changelist = django_app.get("/admin/work/project/", user=contributor)
    assert "publish_now" not in changelist.text
    assert "action" not in changelist.forms["changelist-form"].fields

    editors_list = django_app.get("/admin/work/project/", user=editor)
    form = editors_list.forms["changelist-form"]
    form["action"] = "publish_now"
    form.get("_selected_action", index=0).checked = True
    response = form.submit().follow()

    assert "1 project published." in response.text
    draft.refresh_from_db()
    assert draft.is_published


def test_unpublishing_a_draft_is_refused_with_a_message(django_app, editor):
    ProjectFactory(title="Still a draft")
    form = django_app.get("/admin/work/project/", user=editor).forms["changelist-form"]
    form["action"] = "unpublish"
    form.get("_selected_action", index=0).checked = True

    response = form.submit().follow()

    assert "“Still a draft” is not published." in response.text


def test_an_event_that_ends_before_it_starts_is_refused_and_kept(django_app, editor):
    event = EventFactory()
    form = change_form(django_app, editor, event)
    form["title"] = "Renamed talk"
    form["ends_at_0"] = form["starts_at_0"].value
    form["ends_at_1"] = "00:00:00"
    form["starts_at_1"] = "18:00:00"

    response = form.submit("_save")

    assert "An event must end after it starts." in response.text
    assert response.forms["event_form"]["title"].value == "Renamed talk"
    assert Event.objects.get(pk=event.pk).title != "Renamed talk"


def test_an_event_needs_a_venue_or_to_be_online(django_app, editor):
    form = change_form(django_app, editor, EventFactory())
    form["venue"] = ""
    form["is_online"] = False

    response = form.submit("_save")

    assert "Give a venue, or tick “online”, or both." in response.text


# PDF uploads


def upload_pdf(django_app, editor, name, data):
    publication = PublicationFactory(title="A report", slug="a-report")
    form = change_form(django_app, editor, publication)
    form["pdf"] = Upload(name, data, "application/pdf")
    return publication, form.submit("_continue")


def test_a_real_pdf_is_stored_under_the_publications_address(django_app, editor):
    publication, response = upload_pdf(
        django_app, editor, "Final report (v3).pdf", pdf_bytes(pages=2)
    )

    assert response.status_code == HTTPStatus.FOUND, response.text
    publication.refresh_from_db()
    assert re.fullmatch(
        r"publications/a-report-[0-9a-f]{16}\.pdf", publication.pdf.name
    )
    with publication.pdf.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("report.pdf", image_bytes(40, 30, "PNG")),
        # The signature and end marker, and nothing a reader could open.
        ("report.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>\n%%EOF\n"),
        ("report.pdf", pdf_bytes()[:200]),
    ],
    ids=["html", "png", "signature only", "truncated"],
)
def test_a_file_that_is_not_a_real_pdf_is_refused_with_a_clear_message(
    django_app, editor, name, data
):
    publication, response = upload_pdf(django_app, editor, name, data)

    assert response.status_code == HTTPStatus.OK
    assert "This file is not a PDF we can read." in response.text
    assert response.forms["publication_form"]["title"].value == "A report"
    publication.refresh_from_db()
    assert not publication.pdf


def test_a_pdf_with_a_password_is_refused_with_a_clear_message(django_app, editor):
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="secret")
    data = BytesIO()
    writer.write(data)

    _, response = upload_pdf(django_app, editor, "locked.pdf", data.getvalue())

    assert "This PDF is protected by a password." in response.text


def test_a_pdf_over_the_size_cap_is_refused(django_app, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    padding = b"%" + b"x" * 78 + b"\n"
    data = pdf_bytes()
    data = data[:9] + padding * (MAX_PDF_BYTES // len(padding) + 1) + data[9:]

    _, response = upload_pdf(django_app, editor, "big.pdf", data)

    assert "the largest PDF we accept is 20 MB" in response.text


def test_the_pdf_is_served_as_a_download_that_cannot_be_a_page(
    client, django_app, editor
):
    publication, _ = upload_pdf(django_app, editor, "report.pdf", pdf_bytes())
    publication.refresh_from_db()
    publication.status = "published"
    publication.save()
    Publication.objects.filter(pk=publication.pk).update(
        published_at=publication.created_at
    )

    response = client.get(f"/publications/{publication.slug}/pdf/")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="a-report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # Opened in a browser's viewer anyway, it runs as in a sandbox.
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_draft_publications_pdf_is_not_served_to_the_public(
    client, django_app, editor
):
    publication, _ = upload_pdf(django_app, editor, "report.pdf", pdf_bytes())
    response = client.get(f"/publications/{publication.slug}/pdf/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_contributor_can_look_up_partners_people_and_themes_for_a_draft(
    django_app, contributor
):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Engage Liverpool")
    form = add_form(django_app, contributor, "project")
    for field in ("partners", "people", "themes"):
        url = form[field].attrs["data-ajax--url"]
        query = {
            "term": "Engage",
            "app_label": "work",
            "model_name": "project",
            "field_name": field,
        }
        response = django_app.get(url, query, user=contributor)
        assert response.status_code == HTTPStatus.OK, field
    assert response.json is not None
    partners = django_app.get(
        url,
        {**query, "field_name": "partners"},
        user=contributor,
    ).json
    assert [result["text"] for result in partners["results"]] == ["Engage Liverpool"]


def test_an_editor_schedules_an_event_and_the_list_says_when(django_app, editor):
    from datetime import timedelta

    from django.utils import timezone

    event = EventFactory(title="Autumn lecture")
    form = change_form(django_app, editor, event)
    later = timezone.localtime() + timedelta(days=2)
    form["publish_at_0"] = later.strftime("%d/%m/%Y")
    form["publish_at_1"] = "09:30:00"
    assert form.submit("_schedule").status_code == HTTPStatus.FOUND

    changelist = django_app.get("/admin/work/event/", user=editor)

    event.refresh_from_db()
    assert event.is_scheduled
    assert f"Scheduled for {later.strftime('%-d %b %Y')}, 09:30" in changelist.text


def test_an_organisation_added_without_a_slug_gets_one_from_its_name(
    django_app, editor
):
    from partnerships.models import Organisation

    form = django_app.get("/admin/partnerships/organisation/add/", user=editor).forms[
        "organisation_form"
    ]
    form["name"] = "Engage Liverpool"
    form["kind"] = "non_academic"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    assert Organisation.objects.get().slug == "engage-liverpool"


@pytest.mark.parametrize("model", ["project", "publication", "event"])
def test_each_list_and_add_page_opens_for_an_editor(django_app, editor, model):
    ProjectFactory(published=True)
    PublicationFactory()
    EventFactory(published=True)

    changelist = django_app.get(f"/admin/work/{model}/", user=editor)
    add = django_app.get(f"/admin/work/{model}/add/", user=editor)

    assert "publish_now" in changelist.text
    assert f"{model}_form" in add.forms


def test_an_editor_adds_a_publication_with_its_pdf_and_the_public_can_download_it(
    django_app, editor, client
):
    form = add_form(django_app, editor, "publication")
    form["title"] = "The State of the Region"
    form["slug"] = "state-of-the-region"
    form["summary"] = "Where the region stands."
    form["year"] = "2016"
    data = pdf_bytes()
    form["pdf"] = Upload("State of the region.PDF", data, "application/pdf")
    assert form.submit("_publish").status_code == HTTPStatus.FOUND

    page = client.get("/publications/state-of-the-region/").content.decode()
    download = client.get("/publications/state-of-the-region/pdf/")

    assert "Download the PDF" in page
    assert "The State of the Region (2016)." in page
    assert download.status_code == HTTPStatus.OK
    assert b"".join(download.streaming_content) == data


def test_a_contributor_changes_their_own_draft_but_never_sees_anothers(
    django_app, contributor, roles
):
    from blog.roles import CONTRIBUTORS
    from tests.factories import member

    form = add_form(django_app, contributor, "event")
    form["title"] = "My seminar"
    form["slug"] = "my-seminar"
    form["summary"] = "A seminar."
    form["starts_at_0"] = "01/10/2030"
    form["starts_at_1"] = "18:00:00"
    form["ends_at_0"] = "01/10/2030"
    form["ends_at_1"] = "20:00:00"
    form["venue"] = "Liverpool"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    mine = Event.objects.get(slug="my-seminar")
    assert mine.created_by == contributor
    assert mine.status == "draft"

    change = change_form(django_app, contributor, mine)
    change["title"] = "My seminar, renamed"
    assert change.submit("_save").status_code == HTTPStatus.FOUND

    other = member(CONTRIBUTORS, "olive")
    django_app.reset()  # another browser: no messages left from the first
    changelist = django_app.get("/admin/work/event/", user=other)
    assert "My seminar" not in changelist.text
    page = django_app.get(
        f"/admin/work/event/{mine.pk}/change/", user=other
    ).maybe_follow()
    assert "event_form" not in page.forms
    assert "doesn’t exist" in page.text
