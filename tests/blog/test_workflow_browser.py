"""In a real browser: a contributor submits, an editor schedules with the
time asked for only then (Enter in it schedules too), and a reviewer's
revoked link says so; the pages are accessible."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from blog import previews
from blog.models import Post
from blog.roles import CONTRIBUTORS, EDITORS
from tests.blog.conftest import LONDON
from tests.factories import (
    InstituteProfileFactory,
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_parts_accessible(page, axe_source, selectors):
    """axe on what this page adds to Django's change form (its own widgets,
    select2's search box and the inlines' order inputs, are Django's)."""
    page.evaluate(axe_source)
    result = page.evaluate(
        """async (include) => await axe.run({include: include}, {runOnly: {
            type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})""",
        [[selector] for selector in selectors],
    )
    problems = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in result["violations"]
    ]
    assert not problems, "\n".join(problems)


def log_in(page, username, next_url):
    page.context.clear_cookies()
    page.goto(f"/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def test_a_draft_goes_from_its_author_to_a_scheduled_post(browser_page, axe_source):
    contributor = member(CONTRIBUTORS, "connor")
    member(EDITORS, "edith")
    post = PostFactory(title="Ports and places", created_by=contributor)
    PostAuthorFactory(post=post, person=PersonFactory(user=contributor))
    url = f"/admin/blog/post/{post.pk}/change/"
    page = browser_page

    log_in(page, "connor", url)
    expect(page.locator("input[name=_publish]")).to_have_count(0)
    expect(page.get_by_text("Schedule…")).to_have_count(0)
    page.click("input[name=_submit_review]")
    expect(page.locator(".messagelist")).to_contain_text(
        "“Ports and places” is in review: the editors have been told."
    )
    expect(page.locator("input[value='Withdraw from review']")).to_be_visible()

    log_in(page, "edith", url)
    time = page.locator("#id_publish_at_0")
    expect(time).to_be_hidden()  # asked for only when scheduling
    page.get_by_text("Schedule…", exact=True).click()
    expect(time).to_be_visible()
    assert_parts_accessible(
        page,
        axe_source,
        ["#workflow", ".workflow-buttons", "#schedule", "#share-links"],
    )
    time.fill("19/07/2031")
    page.fill("#id_publish_at_1", "08:30")
    page.click("input[name=_schedule]")
    expect(page.locator(".messagelist")).to_contain_text(
        "“Ports and places” is scheduled: it goes live by itself on 19 July 2031 "
        "at 08:30 (UK time)."
    )
    expect(page.locator("#workflow")).to_contain_text("Scheduled for")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.is_scheduled
    page.get_by_role("link", name="All steps and saved versions").click()
    steps = page.locator("#workflow-history tbody tr")
    expect(steps).to_have_count(2)
    expect(steps.first).to_contain_text("Scheduled, to go live 19 July 2031, 08:30")
    assert_parts_accessible(page, axe_source, ["#workflow-history"])
    page.goto("/admin/")
    expect(page.locator("#editorial-queue")).to_contain_text("Scheduled (1)")
    assert_parts_accessible(page, axe_source, ["#editorial-queue"])
    assert page.console_errors == []


@pytest.mark.parametrize("field", ["date", "time"])
def test_enter_in_the_publication_time_schedules_the_post(browser_page, field):
    editor = member(EDITORS, "edith")
    post = PostFactory(title="Ports and places", created_by=editor)
    PostAuthorFactory(post=post)
    url = f"/admin/blog/post/{post.pk}/change/"
    page = browser_page

    log_in(page, "edith", url)
    page.get_by_text("Schedule…", exact=True).click()
    date = page.get_by_label("Publication date")
    time = page.get_by_label("Publication time, e.g. 10:00")
    date.press_sequentially("19/07/2031")
    time.press_sequentially("08:30")
    # Not the form's first button, "Save draft": the one beside the time.
    (date if field == "date" else time).press("Enter")

    expect(page.locator(".messagelist")).to_contain_text(
        "“Ports and places” is scheduled: it goes live by itself on 19 July 2031 "
        "at 08:30 (UK time)."
    )
    post.refresh_from_db()
    assert post.is_scheduled
    assert post.published_at == datetime(2031, 7, 19, 8, 30, tzinfo=LONDON)
    assert page.console_errors == []


@pytest.mark.parametrize("width", [1280, 320])
def test_a_revoked_link_says_so_accessibly(
    browser, live_server, width, assert_accessible
):
    InstituteProfileFactory()
    editor = member(EDITORS, "edith")
    link = previews.make_link(PostFactory(title="Embargoed"), by=editor)
    context = browser.new_context(
        viewport={"width": width, "height": 800}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto(link.get_absolute_url())
    expect(page.locator(".preview-banner")).to_contain_text("This post is a draft")
    assert_accessible(page)
    previews.revoke(link, by=editor)
    response = page.goto(link.get_absolute_url())
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("This preview link no longer works")
    expect(page.locator("main")).not_to_contain_text("Embargoed")
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_the_email_notifications_page_is_accessible_and_saves(
    browser, live_server, width, assert_accessible
):
    member(CONTRIBUTORS, "connor")
    context = browser.new_context(
        viewport={"width": width, "height": 800}, base_url=live_server.url
    )
    page = context.new_page()
    log_in(page, "connor", "/admin/")
    page.get_by_role("link", name="Email notifications").click()
    expect(page.locator("h1")).to_have_text("Email notifications")
    assert_accessible(page)
    checkbox = page.get_by_label(
        "email me about the progress of posts and of the institute’s work"
    )
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "You will no longer be emailed about the progress of posts and work."
    )
    expect(checkbox).not_to_be_checked()
    context.close()
