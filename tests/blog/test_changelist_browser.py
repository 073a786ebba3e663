"""The post list in Chromium at 1280 px: every column in view, filters typed into."""

import re

import pytest
from playwright.sync_api import expect

from blog.roles import EDITORS
from tests.blog.test_changelist import make_posts
from tests.factories import (
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(browser, live_server):
    """An editor's tab at 1280 by 900, logged in."""
    page_editor = member(EDITORS, "edith_montgomery_fitzwilliam")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/blog/post/")
    page.fill("#id_username", page_editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/blog/post/")
    page.editor = page_editor
    yield page
    context.close()


def long_posts(editor):
    """A full page of posts as full as they come: long titles, three
    long-named authors, two themes and three tags each."""
    people = [
        PersonFactory(name=f"Professor Alexandra Montgomery-Fitzwilliam {n}")
        for n in range(3)
    ]
    themes = [
        ResearchThemeFactory(title="Future of cities and city regions"),
        ResearchThemeFactory(title="Regional inequalities"),
    ]
    for n in range(100):
        post = PostFactory(
            published=True,
            title=f"Levelling up the city regions: what the devolution deals say {n}",
            updated_by=editor,
        )
        for order, person in enumerate(people):
            PostAuthorFactory(post=post, person=person, order=order)
        post.themes.add(*themes)
        post.tags.add("levelling up", "combined authorities", f"subject {n}")


def test_every_column_of_a_full_page_is_in_view_at_1280_px(
    editor_page, assert_accessible
):
    page = editor_page
    long_posts(page.editor)
    make_posts(50, tags=200, people=100)
    page.goto("/admin/blog/post/")
    table = page.locator("#result_list")
    expect(table.locator("tbody tr")).to_have_count(100)

    right_edge = table.evaluate("table => table.getBoundingClientRect().right")
    assert right_edge <= 1280
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    for header in ("Title", "State", "Authors", "Publication", "Last changed"):
        expect(table.locator("thead th", has_text=header)).to_be_in_viewport()
    assert_accessible(page)


def test_an_editor_types_a_tag_picks_a_suggestion_and_filters(editor_page):
    for n in range(3):
        PostFactory(title=f"On levelling up {n}").tags.add("levelling up")
    PostFactory(title="On buses").tags.add("buses")
    page = editor_page
    page.goto("/admin/blog/post/")

    tag = page.get_by_label("Tag name")
    tag.press_sequentially("level")
    suggestion = page.locator("#text-filter-tag-suggestions option")
    expect(suggestion).to_have_attribute("value", "levelling up")
    tag.fill(suggestion.get_attribute("value"))
    tag.press("Enter")

    page.wait_for_url(re.compile(r"tag=levelling\+up"))
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    expect(page.locator("#result_list")).not_to_contain_text("On buses")


def test_an_editor_finds_an_authors_posts_by_part_of_the_name(editor_page):
    author = PersonFactory(name="Cleo Hachem")
    for n in range(2):
        PostAuthorFactory(post=PostFactory(title=f"Cleo's post {n}"), person=author)
    PostAuthorFactory(post=PostFactory(title="Someone else's"))
    page = editor_page
    page.goto("/admin/blog/post/")

    name = page.get_by_label("Name, or part of it")
    name.press_sequentially("hach")
    expect(page.locator("#text-filter-author-suggestions option")).to_have_attribute(
        "value", "Cleo Hachem"
    )
    name.press("Enter")

    page.wait_for_url(re.compile(r"author=hach"))
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
