"""In a real browser: a contributor submits a project, an editor sends it back
with a note, and the author finds it on their queue; the workflow's parts of
the page are accessible."""

import pytest
from playwright.sync_api import expect

from blog.roles import CONTRIBUTORS, EDITORS
from tests.blog.test_workflow_browser import assert_parts_accessible, log_in
from tests.factories import member
from tests.work.conftest import EventFactory, ProjectFactory
from work.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_project_is_submitted_sent_back_and_found_on_the_queue(
    browser_page, axe_source
):
    contributor = member(CONTRIBUTORS, "connor")
    member(EDITORS, "edith")
    project = ProjectFactory(
        title="Office for Civic Imagination", created_by=contributor
    )
    url = f"/admin/work/project/{project.pk}/change/"
    page = browser_page

    log_in(page, "connor", url)
    expect(page.locator("input[name=_publish]")).to_have_count(0)
    page.click("input[name=_submit_review]")
    expect(page.locator(".messagelist")).to_contain_text(
        "“Office for Civic Imagination” is in review"
    )
    expect(page.locator("input[value='Withdraw from review']")).to_be_visible()

    log_in(page, "edith", url)
    note = page.locator("#id_review_note")
    expect(note).to_be_hidden()  # asked for only when sending back
    page.get_by_text("Request changes…", exact=True).click()
    expect(note).to_be_visible()
    assert_parts_accessible(
        page, axe_source, ["#workflow", ".workflow-buttons", "#request-changes"]
    )
    note.fill("Add the partners the seed names.")
    page.click("input[name=_request_changes]")
    expect(page.locator(".messagelist")).to_contain_text("is sent back to its author")
    project.refresh_from_db()
    assert project.status == Status.DRAFT

    log_in(page, "connor", "/admin/")
    queue = page.locator("#work-queue")
    expect(queue).to_contain_text("Projects sent back to you (1)")
    assert_parts_accessible(page, axe_source, ["#work-queue"])
    queue.get_by_role("link", name="Office for Civic Imagination").click()
    expect(page.locator("#workflow")).to_contain_text(
        "Add the partners the seed names."
    )
    assert page.console_errors == []


def test_enter_in_the_publication_time_schedules_an_event(browser_page):
    member(EDITORS, "edith")
    event = EventFactory(title="Spring seminar")
    page = browser_page

    log_in(page, "edith", f"/admin/work/event/{event.pk}/change/")
    page.get_by_text("Schedule…", exact=True).click()
    page.fill("#id_publish_at_0", "19/07/2031")
    page.fill("#id_publish_at_1", "08:30")
    page.press("#id_publish_at_1", "Enter")

    expect(page.locator(".messagelist")).to_contain_text(
        "“Spring seminar” is scheduled: it goes live by itself on 19 July 2031 "
        "at 08:30 (UK time)."
    )
    event.refresh_from_db()
    assert event.is_scheduled
    assert page.console_errors == []
