"""The admin's small words: its name, "Tags", slug addresses, date errors."""

import pytest
from django.conf import settings

from blog.roles import EDITORS
from tests.factories import (
    PageFactory,
    PartnershipFactory,
    PartnershipPhaseFactory,
    PersonFactory,
    PillarFactory,
    PostAuthorFactory,
    PostFactory,
    ResearchThemeFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return member(EDITORS, "edith")


def test_the_admin_has_the_sites_name_and_icon(django_app, editor):
    page = django_app.get("/admin/", user=editor)
    assert page.html.select_one("#site-name").text.strip() == (
        "Heseltine Institute: editors"
    )
    assert page.html.title.text.strip() == "Site content | Heseltine Institute admin"
    assert page.html.select_one('link[rel="icon"]')["href"].endswith("favicon.svg")


def test_the_index_and_sidebar_call_tags_tags(django_app, editor):
    page = django_app.get("/admin/blog/post/", user=editor)
    captions = [c.text.strip() for c in page.html.select(".app-taggit caption")]
    assert captions == ["Tags"]
    assert "Taggit" not in page.text


# --- Slugs: the address they make --------------------------------------------------

SLUGS = {
    "post": ("/admin/blog/post/", PostFactory, "/blog/<slug>/"),
    "theme": (
        "/admin/institute/researchtheme/",
        ResearchThemeFactory,
        "/themes/<slug>/",
    ),
    "person": ("/admin/institute/person/", PersonFactory, "/people/<slug>/"),
    "pillar": ("/admin/institute/pillar/", PillarFactory, "/about/#<slug>"),
    "page": ("/admin/institute/page/", PageFactory, "/<slug>/"),
    "partnership": (
        "/admin/partnerships/partnership/",
        PartnershipFactory,
        "/partnerships/<slug>/",
    ),
}


def slug_help(page):
    return page.html.select_one("#id_slug_helptext").get_text(" ", strip=True)


@pytest.mark.parametrize("kind", SLUGS)
def test_a_new_records_slug_help_shows_the_address_it_makes(django_app, editor, kind):
    url, _, pattern = SLUGS[kind]
    text = slug_help(django_app.get(f"{url}add/", user=editor))
    assert f"{settings.SITE_URL}{pattern}" in text
    assert "(now" not in text


@pytest.mark.parametrize("kind", SLUGS)
def test_a_saved_records_slug_help_shows_its_address_now(django_app, editor, kind):
    url, factory, pattern = SLUGS[kind]
    record = factory()
    if kind == "post":
        PostAuthorFactory(post=record)
    text = slug_help(django_app.get(f"{url}{record.pk}/change/", user=editor))
    now = f"{settings.SITE_URL}{record.get_absolute_url()}"
    assert f"{settings.SITE_URL}{pattern} (now {now})" in text


# --- Dates and times: what to type ------------------------------------------------


def test_a_bad_date_says_what_to_type(django_app, editor):
    record = PartnershipPhaseFactory()
    url = f"/admin/partnerships/partnership/{record.partnership.pk}/change/"
    form = django_app.get(url, user=editor).forms["partnership_form"]
    form["records-0-starts_on"] = "31/31/2024"
    page = form.submit("_save", user=editor)

    errors = [li.text for li in page.html.select(".field-starts_on .errorlist li")]
    assert errors == ["Enter a date as day/month/year, e.g. 18/07/2024."]
    assert page.forms["partnership_form"]["records-0-starts_on"].value == "31/31/2024"


def test_a_good_date_in_that_form_is_kept(django_app, editor):
    record = PartnershipPhaseFactory()
    url = f"/admin/partnerships/partnership/{record.partnership.pk}/change/"
    form = django_app.get(url, user=editor).forms["partnership_form"]
    form["records-0-starts_on"] = "18/07/2024"
    form.submit("_save", user=editor).follow()

    record.refresh_from_db()
    assert record.starts_on.isoformat() == "2024-07-18"


def test_a_bad_time_says_what_to_type(django_app):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    form = django_app.get(f"/admin/auth/user/{root.pk}/change/", user=root).forms[
        "user_form"
    ]
    form["date_joined_1"] = "25:61"
    page = form.submit("_save", user=root)

    errors = [li.text for li in page.html.select(".field-date_joined .errorlist li")]
    assert errors == ["Enter a time on the 24-hour clock, e.g. 10:00 or 14:30."]
