"""The People page and people's pages with the demo's few people, in a browser.

At 1280, 375 and 320 px: no WCAG 2.2 AA violation and no sideways scrolling
in the content; initials stand in for the photos the seeds do not give.
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


def content_overflow(page):
    return page.evaluate(
        "(main => main.scrollWidth - main.clientWidth)(document.querySelector('main'))"
    )


@pytest.mark.parametrize(
    "path", ["/people/", "/people/tom-arnold/", "/people/heseltine-institute/"]
)
def test_people_pages_are_accessible_at_every_width(
    browser_page, assert_accessible, path
):
    call_command("load_demo_content", verbosity=0)
    browser_page.goto(path)
    assert browser_page.locator("h1").count() == 1
    assert_accessible(browser_page)
    assert content_overflow(browser_page) <= 0
    assert browser_page.console_errors == []


def test_the_people_page_shows_each_author_as_a_card_with_initials(browser_page):
    call_command("load_demo_content", verbosity=0)
    browser_page.goto("/people/")
    cards = browser_page.locator(".person-card")
    assert cards.count() == 5
    initials = browser_page.locator(".portrait--initials").all_inner_texts()
    assert sorted(initials) == ["B", "CH", "JH", "JH", "TA"]
    box = browser_page.locator(".portrait--initials").first.bounding_box()
    assert box["width"] == pytest.approx(box["height"], abs=1)
    main = browser_page.locator("main")
    assert main.get_by_text("Heseltine Institute", exact=True).count() == 0


def test_a_person_s_page_lists_their_posts(browser_page):
    call_command("load_demo_content", verbosity=0)
    browser_page.goto("/people/tom-arnold/")
    assert browser_page.locator("h1").inner_text() == "Dr Tom Arnold"
    posts = browser_page.locator("#posts-heading ~ .card-list h3").all_inner_texts()
    assert posts == [
        "What the King’s Speech means for Liverpool City Region",
        "What the manifestos say about combined authorities",
    ]
