"""The page's layout in a real browser, on every kind of public page.

On a desktop the navigation, the wordmark and the content share one left edge
and text runs to a comfortable measure; on a phone the header is one compact
row whose menu opens and closes, with or without a script.
"""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A phone's header: the wordmark and the menu button on one row.
MOST_HEADER_HEIGHT = 80
LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


def first_of_each_sitemap(client):
    """The first page each section of the sitemap lists, by section."""
    pages = {}
    for sitemap in ET.fromstring(client.get("/sitemap.xml").content).iter(LOC):
        urls = ET.fromstring(client.get(sitemap.text).content).iter(LOC)
        first = next(urls, None)
        if first is not None:
            pages[urlsplit(sitemap.text).path] = urlsplit(first.text).path
    return pages


@pytest.fixture
def pages(live_server, client):
    """One page of each kind, from the demo content and its sitemap."""
    from blog.models import Post
    from institute.models import Page, Person, ResearchTheme
    from partnerships.models import Partnership

    call_command("load_demo_content", verbosity=0)
    return first_of_each_sitemap(client) | {
        "home": "/",
        "about": "/about/",
        "themes": "/themes/",
        "theme": ResearchTheme.objects.public().first().get_absolute_url(),
        "people": "/people/",
        "person": Person.objects.get(slug="tom-arnold").get_absolute_url(),
        "page": Page.objects.public().first().get_absolute_url(),
        "blog": "/blog/",
        "post": Post.objects.public().first().get_absolute_url(),
        "partnerships": "/partnerships/",
        "partnership": Partnership.objects.first().get_absolute_url(),
        "search": "/search/?q=housing",
        "not found": "/no-such-page/",
    }


def tab(browser, live_server, width, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        base_url=live_server.url,
        java_script_enabled=javascript,
    )
    return context, context.new_page()


def left(locator):
    return locator.bounding_box()["x"]


def test_on_a_desktop_the_menu_wordmark_and_content_share_one_left_edge(
    browser, live_server, pages
):
    context, page = tab(browser, live_server, 1280)
    for name, path in pages.items():
        page.goto(path)
        # The content column's edge: not the h1's, which a person's portrait
        # (or the initials standing in for it) moves along.
        content = page.evaluate(
            "(main => main.getBoundingClientRect().x"
            " + parseFloat(getComputedStyle(main).paddingLeft))"
            "(document.querySelector('main'))"
        )
        if not page.locator("main .person-header .portrait").count():
            assert abs(left(page.locator("main h1")) - content) <= 1, name
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_visible()
        expect(page.locator(".site-menu__toggle")).to_be_hidden()
        assert abs(left(nav.get_by_role("link").first) - content) <= 1, name
        assert abs(left(page.locator(".wordmark")) - content) <= 1, name
        # Nor does the header reach past the content's right edge.
        main = page.locator("main").bounding_box()
        header = page.locator(".site-header__inner").bounding_box()
        assert header["x"] + header["width"] <= main["x"] + main["width"] + 1, name

    # The links are in the keyboard's path, the closed disclosure or not.
    page.goto(pages["about"])
    page.locator(".wordmark").focus()
    for _ in range(3):  # the search box, its button, then the menu
        page.keyboard.press("Tab")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link").first
    ).to_be_focused()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no script"])
def test_on_a_phone_the_header_is_one_compact_row_with_a_menu(
    browser, live_server, pages, javascript
):
    context, page = tab(browser, live_server, 375, javascript)
    for name, path in pages.items():
        page.goto(path)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= MOST_HEADER_HEIGHT, f"{name}: header {height}px tall"
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()

    page.goto(pages["about"])
    menu = page.get_by_text("Menu", exact=True)
    menu.focus()
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    for link in nav.get_by_role("link").all():
        box = link.bounding_box()
        assert box["height"] >= 44, link.inner_text()
        assert box["width"] >= 44, link.inner_text()
    nav.get_by_role("link", name="Blog").click()
    expect(page.locator("h1")).to_have_text("Blog")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    context.close()


def test_the_open_menu_on_a_narrow_phone_is_accessible(
    browser, live_server, pages, assert_accessible
):
    context, page = tab(browser, live_server, 320)
    page.goto("/")
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("search")).to_be_visible()
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


MEASURE = """(element) => {
    const zero = document.createElement("span");
    zero.textContent = "0";
    element.append(zero);
    const ch = zero.getBoundingClientRect().width;
    zero.remove();
    return element.getBoundingClientRect().width / ch;
}"""


@pytest.mark.parametrize(("width", "least_share"), [(1280, 0.6), (1600, 0.5)])
def test_on_a_desktop_text_runs_to_a_comfortable_measure(
    browser, live_server, pages, width, least_share
):
    context, page = tab(browser, live_server, width)
    for name in ("about", "page", "post"):
        page.goto(pages[name])
        text = page.locator(".prose").first
        characters = text.evaluate(MEASURE)
        assert 60 <= characters <= 76, f"{name}: {characters:.0f} characters a line"
        share = text.bounding_box()["width"] / width
        # Not a narrow strip down one side of a wide screen.
        assert share >= least_share, f"{name}: the text is {share:.0%} of the screen"
    context.close()
