"""The programme page and a partnership page, in a real browser."""

import re

import pytest

from partnerships import demo
from partnerships.models import Partnership
from tests.factories import InstituteProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lpip():
    InstituteProfileFactory()
    demo.load()


def test_the_programme_page_is_accessible_and_filters_without_javascript(
    lpip, browser_page, assert_accessible
):
    browser_page.goto("/partnerships/")
    assert browser_page.locator("h1").inner_text() == (
        "Local Policy Innovation Partnerships (LPIP)"
    )
    assert browser_page.get_by_role("heading", name="Phases and funding").is_visible()
    assert_accessible(browser_page)

    browser_page.get_by_label("Nation", exact=True).select_option(
        label="Northern Ireland"
    )
    browser_page.get_by_role("button", name="Show partnerships").click()
    # Wait for the filtered page to load: reading at once raced the navigation.
    browser_page.wait_for_url(re.compile(r"nation=northern_ireland"))
    cards = browser_page.locator(".card h3")
    assert set(cards.all_inner_texts()) == {"EPIC Futures NI"}
    assert_accessible(browser_page)
    assert browser_page.console_errors == []


def test_a_partnership_page_is_accessible(lpip, browser_page, assert_accessible):
    partnership = Partnership.objects.get(slug="sterling-lpip")
    browser_page.goto(partnership.get_absolute_url())
    assert browser_page.locator("h1").inner_text() == "Sterling LPIP"
    assert browser_page.get_by_text("Up to £4.8 million").first.is_visible()
    assert_accessible(browser_page)
    assert browser_page.console_errors == []
