"""Objectives, themes, pillars and people in the order editors give them.

By typing numbers in the list (here, through the list's form as rendered,
with no JavaScript) or by dragging and the Up and Down buttons (in Chromium,
test_ordering_browser.py); either way the list's Save keeps the order, and
the public page shows it at once.
"""

from http import HTTPStatus

import pytest
from reversion.models import Version

from blog.roles import CONTRIBUTORS
from institute import demo
from institute.models import Objective, Person, Pillar, ResearchTheme
from tests.factories import member

pytestmark = pytest.mark.django_db

# The list in the admin; the public page showing the same records in order.
LISTS = {
    "objectives": (Objective, "/admin/institute/objective/", "/about/"),
    "themes": (ResearchTheme, "/admin/institute/researchtheme/", "/themes/"),
    "pillars": (Pillar, "/admin/institute/pillar/", "/about/"),
    "people": (Person, "/admin/institute/person/", "/people/"),
}


def names(model):
    return [str(item) for item in model.objects.all()]


def public_order(client, url, expected):
    """`expected`'s names in the order the public page shows them."""
    html = client.get(url).content.decode()
    main = html[html.index('<main id="main"') :]
    return sorted(expected, key=main.index)


@pytest.fixture
def content():
    demo.load()


@pytest.mark.parametrize("kind", LISTS)
def test_typed_numbers_reorder_the_public_page(
    django_app, client, editor, content, kind
):
    model, admin_url, public_url = LISTS[kind]
    before = names(model)
    assert public_order(client, public_url, before) == before  # and cached

    page = django_app.get(admin_url, user=editor)
    form = page.forms["changelist-form"]
    inputs = sorted(
        (name for name in form.fields if name and name.endswith("-order")),
        key=lambda name: int(name.split("-")[1]),
    )
    # The last first: its number below everyone else's.
    form[inputs[-1]] = "0"
    for name in inputs[:-1]:
        form[name] = str(int(form[name].value) + 1)
    saved = form.submit("_save", user=editor).follow()

    assert "were changed successfully" in saved
    after = [before[-1], *before[:-1]]
    assert names(model) == after
    assert public_order(client, public_url, after) == after


@pytest.mark.parametrize("kind", LISTS)
def test_each_list_offers_dragging_and_keeps_its_numbers(
    django_app, editor, content, kind
):
    model, admin_url, _ = LISTS[kind]
    page = django_app.get(admin_url, user=editor)

    assert page.html.select_one('script[src$="/static/js/admin-ordering.js"]')
    numbers = page.html.select("#result_list input[name$='-order']")
    assert len(numbers) == model.objects.count()
    # Each says whose number it is: Django's list gives them no label.
    assert numbers[0]["aria-label"] == f"Order of “{model.objects.first()}”"


def test_a_new_order_is_kept_in_each_records_history(django_app, editor, content):
    theme = ResearchTheme.objects.first()
    versions = Version.objects.get_for_object(theme).count()
    form = django_app.get(LISTS["themes"][1], user=editor).forms["changelist-form"]
    form["form-0-order"] = "9"
    form.submit("_save", user=editor)

    assert Version.objects.get_for_object(theme).count() == versions + 1


def test_a_contributor_sees_the_themes_but_cannot_reorder_them(django_app, content):
    contributor = member(CONTRIBUTORS, "connor")
    page = django_app.get(LISTS["themes"][1], user=contributor)
    assert not page.html.select("#result_list input[name$='-order']")

    # Crafted: the form an editor gets, sent by a contributor.
    token = page.forms["changelist-form"]["csrfmiddlewaretoken"].value
    first = ResearchTheme.objects.first()
    data = {
        "csrfmiddlewaretoken": token,
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(first.pk),
        "form-0-order": "99",
        "_save": "Save",
    }
    django_app.post(
        LISTS["themes"][1], data, user=contributor, status=HTTPStatus.FORBIDDEN
    )
    first.refresh_from_db()
    assert first.order != 99
