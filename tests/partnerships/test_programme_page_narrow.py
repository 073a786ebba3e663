"""The programme page reads on a phone: each partnership once, funding as text.

At 1280, 375 and 320 px: no sideways scrolling in the content, no WCAG 2.2 AA
violation.
"""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(
    params=[{"width": 1280, "height": 900}, {"width": 375, "height": 812},
            {"width": 320, "height": 640}],
    ids=["1280px", "375px", "320px"],
)  # fmt: skip
def viewport(request):
    return request.param


def test_the_programme_page_reads_at_every_width(browser_page, assert_accessible):
    call_command("load_demo_content", verbosity=0)
    browser_page.goto("/partnerships/")
    assert_accessible(browser_page)
    # The main content (the header is the site frame's, tested on its own).
    overflow = browser_page.evaluate(
        "(main => main.scrollWidth - main.clientWidth)(document.querySelector('main'))"
    )
    assert overflow <= 0
    names = browser_page.locator("#partnerships ~ ul.card-list h3").all_inner_texts()
    assert sorted(names) == sorted(set(names))
    assert len(names) == 4
    funding = browser_page.get_by_text("Up to £4.8 million (£4,800,000)")
    assert funding.is_visible()
    where = browser_page.locator("section[aria-labelledby=where]").inner_text()
    assert "Scotland" not in where
    assert "Nation not stated" in where
    assert browser_page.console_errors == []
