"""Every image in rich text has a description: the form refuses one without,
and CKEditor's Image dialog asks for it (heseltine.richtext, ckeditor-config.js)."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from blog.models import Post
from blog.roles import EDITORS
from heseltine.richtext import RichTextField, validate_image_descriptions
from institute.models import Page, ResearchTheme
from tests.factories import (
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
    member,
)
from tests.test_admin_csp import EDITOR_READY, WATCH_VIOLATIONS, violations

CHART = '<img src="/media/uploads/1/chart%20one.png" width="80" height="60"{}>'
ONE_MISSING = (
    "The image chart one.png has no description for people who cannot see it. "
    "Double-click it in the text and fill in “Alternative Text”."
)


@pytest.fixture
def editor(db):
    return member(EDITORS, "edith")


def add_page(app, editor, body):
    """Fill in and send the page form as rendered, with this body."""
    form = app.get("/admin/institute/page/add/", user=editor).forms["page_form"]
    form["title"] = "Findings"
    form["slug"] = "findings"
    form["standfirst"] = "What we found."
    form["body"] = body
    return form.submit("_save", user=editor)


def errors_of(page, field):
    return [li.text for li in page.html.select(f".field-{field} .errorlist li")]


@pytest.mark.parametrize(
    "alt",
    ["", ' alt=""', ' alt="   "', " alt"],
    ids=["none", "empty", "spaces", "bare"],
)
def test_an_image_without_a_description_is_refused_and_the_text_kept(
    django_app, editor, alt
):
    body = "<p>Our chart:</p>" + CHART.format(alt)
    page = add_page(django_app, editor, body)

    assert errors_of(page, "body") == [ONE_MISSING]
    assert page.forms["page_form"]["body"].value == body
    assert page.forms["page_form"]["title"].value == "Findings"
    assert not Page.objects.exists()


def test_every_image_without_a_description_is_named(django_app, editor):
    body = (
        CHART.format("")
        + '<img src="/media/uploads/1/map.png" alt="A map of the region">'
        + '<img src="https://example.org/photo.jpg">'
    )
    page = add_page(django_app, editor, body)

    assert errors_of(page, "body") == [
        "2 images have no description for people who cannot see them: "
        "chart one.png, photo.jpg. Double-click each in the text and fill in "
        "“Alternative Text”."
    ]


def test_a_described_image_is_saved(django_app, editor):
    add_page(django_app, editor, CHART.format(' alt="Bar chart of funding by region"'))
    body = Page.objects.get(slug="findings").body
    assert 'alt="Bar chart of funding by region"' in body


def test_a_theme_refuses_an_undescribed_image_too(django_app, editor):
    theme = ResearchThemeFactory(body="<p>About.</p>")
    url = f"/admin/institute/researchtheme/{theme.pk}/change/"
    form = django_app.get(url, user=editor).forms["researchtheme_form"]
    form["body"] = "<p>About.</p>" + CHART.format("")
    page = form.submit("_save", user=editor)

    assert errors_of(page, "body") == [ONE_MISSING]
    assert ResearchTheme.objects.get(pk=theme.pk).body == "<p>About.</p>"


def test_a_post_refuses_an_undescribed_image_too(django_app, editor):
    post = PostFactory(body="<p>Text.</p>")
    PostAuthorFactory(post=post)
    form = django_app.get(f"/admin/blog/post/{post.pk}/change/", user=editor).forms[
        "post_form"
    ]
    form["body"] = "<p>Text.</p>" + CHART.format("")
    page = form.submit(user=editor)

    assert errors_of(page, "body") == [ONE_MISSING]
    assert Post.objects.get(pk=post.pk).body == "<p>Text.</p>"


def test_every_rich_text_field_checks_its_images():
    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, RichTextField)
    ]
    assert len(fields) >= 7
    for label in fields:
        model, name = label.rsplit(".", 1)
        field = apps.get_model(model)._meta.get_field(name)
        assert validate_image_descriptions in field.validators, label


@pytest.mark.django_db
def test_the_demo_content_passes_the_check():
    call_command("load_demo_content", verbosity=0)
    checked = 0
    for model in apps.get_models():
        rich = [f for f in model._meta.fields if isinstance(f, RichTextField)]
        others = [f.name for f in model._meta.fields if f not in rich]
        for obj in model.objects.all() if rich else ():
            obj.clean_fields(exclude=others)
            checked += 1
    assert checked > 20


# --- CKEditor's Image dialog, in Chromium ------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_image_dialog_will_not_close_without_a_description(
    browser, live_server, assert_accessible
):
    member(EDITORS, "edith")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.complaints = []
    page.goto("/admin/login/?next=/admin/institute/page/add/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/institute/page/add/")
    page.wait_for_function(EDITOR_READY)
    page.fill("#id_title", "Findings")  # and the slug, from it
    page.fill("#id_standfirst", "What we found.")

    page.locator(".cke_wysiwyg_div").click()
    page.locator(".cke_button__image").click()
    dialog = page.get_by_role("dialog", name="Image Properties")
    dialog.get_by_label("URL*", exact=True).fill("/static/img/og-default.png")
    alt = dialog.get_by_label("Alternative Text*", exact=True)
    expect(alt).to_have_attribute("aria-required", "true")
    assert_accessible(page)

    alerts = []
    page.on("dialog", lambda alert: (alerts.append(alert.message), alert.accept()))
    dialog.get_by_role("button", name="OK").click()
    expect(alt).to_have_attribute("aria-invalid", "true")
    expect(alt).to_be_focused()
    assert alerts == [
        "Fill in “Alternative Text”: describe the image for people who cannot see it."
    ]
    expect(dialog).to_be_visible()

    alt.fill("   ")
    dialog.get_by_role("button", name="OK").click()
    expect(alt).to_have_attribute("aria-invalid", "true")
    assert len(alerts) == 2

    alt.fill("The institute's logo on a blue background")
    dialog.get_by_role("button", name="OK").click()
    expect(dialog).to_be_hidden()
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/institute/page/")

    body = Page.objects.get(title="Findings").body
    assert re.search(r'<img[^>]+alt="The institute\'s logo on a blue background"', body)
    found = violations(page)
    assert found == [], "\n".join(found)
    context.close()
