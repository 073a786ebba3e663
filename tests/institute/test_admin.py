"""The admin is the editors' tool: every page loads and keeps the rules."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from institute.models import InstituteProfile, Page, ResearchTheme
from tests.factories import (
    FocusAreaFactory,
    InstituteProfileFactory,
    ObjectiveFactory,
    PageFactory,
    PersonFactory,
    PillarFactory,
    ResearchAreaFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "objective",
    "researchtheme",
    "focusarea",
    "pillar",
    "researcharea",
    "person",
    "page",
]


@pytest.fixture
def content():
    """One of everything, so changelists have rows and filters to show."""
    InstituteProfileFactory()
    ObjectiveFactory()
    FocusAreaFactory()
    ResearchAreaFactory()
    PersonFactory()
    PageFactory()


@pytest.mark.parametrize("model", MODELS)
def test_an_editor_can_open_every_changelist(editor_client, content, model):
    response = editor_client.get(reverse(f"admin:institute_{model}_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", MODELS)
def test_an_editor_can_open_every_add_form(editor_client, model):
    response = editor_client.get(reverse(f"admin:institute_{model}_add"))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_can_be_searched(editor_client, content, model):
    url = reverse(f"admin:institute_{model}_changelist")
    response = editor_client.get(url, {"q": "no such thing"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 0


def test_the_profile_changelist_goes_straight_to_the_one_profile(editor_client):
    profile = InstituteProfileFactory()
    response = editor_client.get(reverse("admin:institute_instituteprofile_changelist"))
    assert response.status_code == HTTPStatus.FOUND
    change_url = reverse("admin:institute_instituteprofile_change", args=[profile.pk])
    assert response.url == change_url
    assert editor_client.get(change_url).status_code == HTTPStatus.OK


def test_without_a_profile_the_changelist_offers_to_add_one(editor_client):
    response = editor_client.get(reverse("admin:institute_instituteprofile_changelist"))
    assert response.url == reverse("admin:institute_instituteprofile_add")


def test_an_editor_cannot_add_a_second_profile(editor_client):
    InstituteProfileFactory()
    response = editor_client.get(reverse("admin:institute_instituteprofile_add"))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_an_editor_cannot_delete_the_profile(editor_client):
    profile = InstituteProfileFactory()
    url = reverse("admin:institute_instituteprofile_delete", args=[profile.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == (
        HTTPStatus.FORBIDDEN
    )
    assert InstituteProfile.objects.exists()


def add_page(django_app, user, **fields):
    """The add-page form as rendered, filled in and submitted."""
    form = django_app.get(reverse("admin:institute_page_add"), user=user).forms[
        "page_form"
    ]
    values = {
        "title": "People we work with",
        "slug": "people-we-work-with",
        "standfirst": "Who they are.",
        "body": "<p>Partners.</p>",
        **fields,
    }
    for name, value in values.items():
        form[name] = value
    return form.submit("_save")


def test_a_page_with_a_reserved_slug_is_refused_with_a_clear_message(
    django_app, editor
):
    response = add_page(django_app, editor, slug="people")
    assert response.status_code == HTTPStatus.OK
    errors = response.html.select_one(".field-slug .errorlist").text
    assert "“people” is already used by another part of the site" in errors
    assert response.forms["page_form"]["title"].value == "People we work with"
    assert not Page.objects.exists()


def test_an_editor_can_add_a_page(django_app, editor):
    assert add_page(django_app, editor).status_code == HTTPStatus.FOUND
    assert Page.objects.get().slug == "people-we-work-with"


def test_focus_areas_are_edited_within_their_theme(django_app, editor):
    """One focus area per save without JavaScript: the form offers one blank row."""
    page = django_app.get(reverse("admin:institute_researchtheme_add"), user=editor)
    form = page.forms["researchtheme_form"]
    form["title"] = "Regional inequalities"
    form["slug"] = "regional-inequalities"
    form["question"] = "Why do regions differ?"
    form["summary"] = "Gaps between regions."
    form["focus_areas-0-title"] = "Skills and employability"
    form["focus_areas-0-order"] = "2"
    page = form.submit("_continue").follow()
    form = page.forms["researchtheme_form"]
    form["focus_areas-1-title"] = "Precarity and the future of work"
    form["focus_areas-1-order"] = "1"
    assert form.submit("_save").status_code == HTTPStatus.FOUND

    theme = ResearchTheme.objects.get()
    assert [area.title for area in theme.focus_areas.all()] == [
        "Precarity and the future of work",
        "Skills and employability",
    ]


def test_research_areas_are_edited_within_their_pillar(editor_client):
    pillar = PillarFactory()
    url = reverse("admin:institute_pillar_change", args=[pillar.pk])
    response = editor_client.get(url)
    assert "research_areas-TOTAL_FORMS" in response.content.decode()


def test_themes_are_reordered_from_the_changelist(django_app, editor):
    first = ResearchThemeFactory(order=1)
    second = ResearchThemeFactory(order=2)
    url = reverse("admin:institute_researchtheme_changelist")
    form = django_app.get(url, user=editor).forms["changelist-form"]
    rows = {form[f"form-{i}-id"].value: i for i in range(2)}
    form[f"form-{rows[str(first.pk)]}-order"] = "5"
    form[f"form-{rows[str(second.pk)]}-order"] = "1"
    assert form.submit("_save").status_code == HTTPStatus.FOUND
    assert list(ResearchTheme.objects.all()) == [second, first]


def test_the_change_form_links_to_the_public_page(editor_client):
    theme = ResearchThemeFactory()
    response = editor_client.get(
        reverse("admin:institute_researchtheme_change", args=[theme.pk])
    )
    assert "View on site" in response.content.decode()


@pytest.mark.parametrize("model", ["researchtheme", "pillar", "person"])
def test_a_changelist_costs_the_same_with_more_rows(
    editor_client, django_assert_num_queries, model
):
    url = reverse(f"admin:institute_{model}_changelist")
    FocusAreaFactory.create_batch(2, theme=ResearchThemeFactory())
    ResearchAreaFactory.create_batch(2, pillar=PillarFactory())
    PersonFactory()
    with django_assert_num_queries(8):
        editor_client.get(url)

    for n in range(20):
        FocusAreaFactory.create_batch(2, theme=ResearchThemeFactory())
        ResearchAreaFactory.create_batch(2, pillar=PillarFactory())
        # Accounts without a password: hashing twenty would slow the test.
        PersonFactory(user=get_user_model().objects.create(username=f"author-{n}"))
    with django_assert_num_queries(8):
        editor_client.get(url)
