"""Reordering in Chromium: drag a row, or press Up and Down from the keyboard,
then Save; the public page follows (static/js/admin-ordering.js)."""

import pytest
from playwright.sync_api import expect

from blog.roles import EDITORS
from institute import demo
from institute.models import Objective, Person, Pillar, ResearchTheme
from tests.factories import member
from tests.institute.test_ordering import LISTS, names, public_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(browser, live_server):
    """An editor's tab at 1280 by 900, logged in, over the demo content."""
    demo.load()
    member(EDITORS, "edith")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def rows(page):
    return page.locator("#result_list tbody tr")


def save(page):
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")


@pytest.mark.parametrize("kind", ["objectives", "people"])
def test_dragging_a_row_to_the_top_reorders_the_public_page(
    editor_page, client, assert_accessible, kind
):
    model, admin_url, public_url = LISTS[kind]
    before = names(model)
    page = editor_page
    page.goto(admin_url)
    last = rows(page).last
    handle = last.locator(".drag-handle")
    expect(handle).to_be_visible()
    assert_accessible(page)

    handle.drag_to(rows(page).first, target_position={"x": 40, "y": 4})
    expect(rows(page).first.locator("th")).to_have_text(before[-1])
    expect(page.get_by_role("status")).to_have_text(
        f"Moved “{before[-1]}” to position 1 of {len(before)}. "
        "Press Save to keep the new order."
    )
    save(page)

    after = [before[-1], *before[:-1]]
    assert names(model) == after
    assert public_order(client, public_url, after) == after


@pytest.mark.parametrize("kind", ["themes", "pillars"])
def test_the_keyboard_moves_a_row_with_up_and_down_and_saves(editor_page, client, kind):
    model, admin_url, public_url = LISTS[kind]
    before = names(model)
    page = editor_page
    page.goto(admin_url)

    up = page.get_by_role("button", name=f"Move “{before[-1]}” up")
    up.focus()
    for _ in range(len(before) - 1):
        page.keyboard.press("Enter")
    expect(rows(page).first.locator("th")).to_have_text(before[-1])
    # At the top its Up button is off, and the keyboard is on its Down.
    expect(up).to_be_disabled()
    expect(page.get_by_role("button", name=f"Move “{before[-1]}” down")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows(page).nth(1).locator("th")).to_have_text(before[-1])

    page.get_by_role("button", name="Save", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")

    after = [before[0], before[-1], *before[1:-1]]
    assert names(model) == after
    assert public_order(client, public_url, after) == after


def test_a_list_sorted_by_another_column_offers_no_moving(editor_page):
    page = editor_page
    page.goto(LISTS["themes"][1] + "?o=1")
    expect(rows(page)).to_have_count(ResearchTheme.objects.count())
    expect(page.locator(".ordering-tools")).to_have_count(0)
    expect(page.locator("#result_list input[name$='-order']")).to_have_count(
        ResearchTheme.objects.count()
    )


def test_every_ordered_list_has_its_tools(editor_page):
    page = editor_page
    for model in (Objective, ResearchTheme, Pillar, Person):
        page.goto(f"/admin/institute/{model._meta.model_name}/")
        expect(page.locator(".ordering-tools")).to_have_count(model.objects.count())
