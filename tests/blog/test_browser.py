"""In a real browser: an editor publishes a post; the pages are accessible."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from blog.roles import EDITORS, ensure_roles
from tests.blog.conftest import published_post
from tests.factories import (
    InstituteProfileFactory,
    PersonFactory,
    ResearchThemeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_editor():
    ensure_roles()
    editor = UserFactory(username="edith", staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))


def log_in_to_add_a_post(page):
    page.goto("/admin/login/?next=/admin/blog/post/add/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/blog/post/add/")


def choose_in_autocomplete(page, select_id, text):
    """Pick an option in the admin's autocomplete widget as an editor does."""
    page.locator(f"#{select_id} + .select2").click()
    page.keyboard.type(text[:6])
    page.locator(".select2-results__option", has_text=text).first.click()


def test_an_editor_writes_tags_and_publishes_a_post_that_appears_on_the_site(
    browser_page,
):
    make_editor()
    InstituteProfileFactory()
    person = PersonFactory(name="Joanna Hayes")
    theme = ResearchThemeFactory(title="Public service reform", slug="psr")
    page = browser_page

    log_in_to_add_a_post(page)

    page.fill("#id_title", "Joined up working")
    body = page.locator(".cke_wysiwyg_div")
    body.click()
    body.type("Central government can help places work together.")
    page.fill("#id_standfirst", "How central government can support places.")
    page.fill("#id_tags", "place-based working, central government")
    choose_in_autocomplete(page, "id_themes", theme.title)
    choose_in_autocomplete(page, "id_post_authors-0-person", person.name)
    page.click("input[name=_publish]")
    page.wait_for_url("**/admin/blog/post/*/change/")
    expect(page.locator(".messagelist")).to_contain_text(
        "“Joined up working” is published: it is on the site now."
    )

    page.context.clear_cookies()
    for url in ("/blog/", "/blog/tag/place-based-working/", "/blog/theme/psr/"):
        page.goto(url)
        expect(page.get_by_role("link", name="Joined up working")).to_have_count(1)
    page.get_by_role("link", name="Joined up working").click()
    expect(page.locator("h1")).to_have_text("Joined up working")
    main = page.locator("main")
    expect(main).to_contain_text("Central government can help places work together.")
    expect(main).to_contain_text("Joanna Hayes")


def test_the_blog_list_and_a_post_are_accessible(browser_page, assert_accessible):
    InstituteProfileFactory()
    theme = ResearchThemeFactory(title="Regional inequalities")
    post = published_post(title="What the manifestos say about combined authorities")
    post.themes.add(theme)
    post.tags.add("combined authorities", "devolution")
    related = published_post(title="Devolution again")
    related.tags.add("devolution")
    for _ in range(13):
        published_post()

    browser_page.goto("/blog/")
    assert browser_page.locator("h1").count() == 1
    assert_accessible(browser_page)
    browser_page.goto(post.get_absolute_url())
    assert re.search("Related posts", browser_page.content())
    assert_accessible(browser_page)
    assert browser_page.console_errors == []


def test_existing_tags_are_suggested_after_the_last_comma(browser_page):
    make_editor()
    published_post().tags.add("levelling up", "devolution")
    page = browser_page
    log_in_to_add_a_post(page)

    tags = page.locator("#id_tags")
    # Typed slower than the script waits, so earlier terms get suggestions too.
    tags.press_sequentially("devolution", delay=300)
    tags.press_sequentially(", LEV")
    # Wait for the suggestions for what was typed last, not for the first
    # ones to arrive: those may answer an earlier keystroke.
    options = page.locator("datalist#id_tags-suggestions option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "devolution, levelling up")
    expect(tags).to_have_attribute("list", "id_tags-suggestions")


def test_a_slow_answer_to_an_earlier_keystroke_is_never_shown(browser_page):
    make_editor()
    published_post().tags.add("levelling up", "devolution")
    page = browser_page
    log_in_to_add_a_post(page)
    # The answer to "devolution" is held back: it would come after the next.
    page.route("**/tag-suggestions/?q=devolution", lambda route: None)
    tags = page.locator("#id_tags")

    with page.expect_request("**/tag-suggestions/?q=devolution"):
        tags.press_sequentially("devolution")
    with page.expect_event("requestfailed") as failed:
        tags.press_sequentially(", LEV")
    assert "q=devolution" in failed.value.url

    options = page.locator("datalist#id_tags-suggestions option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "devolution, levelling up")
