"""The frame in a real browser: readable and accessible at two widths."""

import pytest
from playwright.sync_api import expect

from tests.factories import InstituteProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_accessible(browser_page, assert_accessible):
    InstituteProfileFactory()
    browser_page.goto("/")
    assert browser_page.locator("h1").count() == 1
    assert_accessible(browser_page)
    assert browser_page.console_errors == []


def test_not_found_page_is_accessible(browser_page, assert_accessible):
    InstituteProfileFactory()
    response = browser_page.goto("/no-such-page/")
    assert response.status == 404
    assert browser_page.locator("h1").inner_text() == "Page not found"
    assert_accessible(browser_page)


def test_skip_link_moves_focus_to_the_main_content(browser_page):
    InstituteProfileFactory()
    browser_page.goto("/")
    browser_page.keyboard.press("Tab")
    skip = browser_page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    browser_page.keyboard.press("Enter")
    expect(browser_page.locator("#main")).to_be_focused()


def test_no_page_scrolls_sideways(browser_page):
    InstituteProfileFactory()
    browser_page.goto("/")
    overflow = browser_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
