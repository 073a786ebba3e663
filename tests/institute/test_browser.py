"""The home and theme pages in a real browser: readable and accessible."""

import pytest
from playwright.sync_api import expect

from institute import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_is_accessible_and_links_to_the_themes(
    browser_page, assert_accessible
):
    demo.load()
    browser_page.goto("/")
    assert browser_page.locator("h1").count() == 1
    assert browser_page.get_by_role("heading", name="Our objectives").is_visible()
    assert_accessible(browser_page)
    assert browser_page.console_errors == []

    browser_page.get_by_role("link", name="Regional inequalities").click()
    expect(browser_page.locator("h1")).to_have_text("Regional inequalities")


def test_a_theme_page_is_accessible(browser_page, assert_accessible):
    demo.load()
    browser_page.goto("/themes/future-of-cities-and-city-regions/")
    assert browser_page.locator("h1").inner_text() == (
        "Future of cities and city regions"
    )
    assert browser_page.get_by_role("heading", name="Current work").is_visible()
    assert_accessible(browser_page)
    assert browser_page.console_errors == []


@pytest.mark.parametrize("path", ["/about/", "/people/", "/about-us/"])
def test_other_institute_pages_are_accessible(browser_page, assert_accessible, path):
    demo.load()
    browser_page.goto(path)
    assert browser_page.locator("h1").count() == 1
    assert_accessible(browser_page)
    overflow = browser_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
