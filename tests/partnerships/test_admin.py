"""Editors manage the programme in the admin and are told clearly what is wrong."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PartnershipPhaseFactory,
    PhaseFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:partnerships_partnership_add")


def change_form(django_app, user, partnership):
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    return django_app.get(url, user=user).forms["partnership_form"]


@pytest.fixture
def partnership(phases):
    """A partnership in both phases, as an editor finds it to change."""
    partnership = PartnershipFactory(slug="rural-wales-lpip", name="Rural Wales LPIP")
    PartnershipPhaseFactory(partnership=partnership, phase=phases[0])
    PartnershipPhaseFactory(partnership=partnership, phase=phases[1])
    return partnership


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_partnership_with_both_phases_is_added_in_one_go(
    browser_page, admin_user, phases
):
    """The records' rows are added by the admin's JavaScript: in a browser."""
    page = browser_page
    page.goto(f"/admin/login/?next={ADD_URL}")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{ADD_URL}")
    page.fill("#id_name", "Rural Wales LPIP")
    page.fill("#id_focus", "Rural economy")
    page.fill("#id_challenge", "A sustainable rural economy.")
    page.select_option("#id_nation", "wales")
    add_row = page.get_by_role(
        "button", name=re.compile("add another partnership in a phase", re.IGNORECASE)
    )
    for index, (phase, status) in enumerate(
        [(phases[0], "progressed"), (phases[1], "funded")]
    ):
        add_row.click()
        page.select_option(f"#id_records-{index}-phase", str(phase.pk))
        page.select_option(f"#id_records-{index}-status", status)
    page.fill("#id_records-1-award", "4800000")
    page.check("#id_records-1-award_is_maximum")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    partnership = Partnership.objects.get(slug="rural-wales-lpip")
    assert [r.phase.number for r in partnership.records.all()] == [1, 2]
    assert partnership.records.get(phase=phases[1]).award == 4800000


@pytest.mark.parametrize(
    ("number", "fields", "message"),
    [
        (1, {"award": "5000000"}, "The award of £5,000,000 is more than Phase 2"),
        (0, {"award": "-10"}, "An amount cannot be negative."),
        (
            0,
            {"starts_on": "01/04/2024", "ends_on": "01/03/2024"},
            "The end date cannot be before the start date.",
        ),
    ],
    ids=["above-maximum", "negative", "end-before-start"],
)
def test_a_bad_phase_record_is_refused_with_a_clear_message_and_nothing_saved(
    django_app, admin_user, partnership, number, fields, message
):
    form = change_form(django_app, admin_user, partnership)
    form["name"] = "Rural Wales LPIP (renamed)"
    for field, value in fields.items():
        form[f"records-{number}-{field}"] = value

    response = form.submit("_save")

    assert response.status_code == HTTPStatus.OK
    assert message in response.text
    assert response.forms["partnership_form"]["name"].value == (
        "Rural Wales LPIP (renamed)"
    )
    partnership.refresh_from_db()
    assert partnership.name == "Rural Wales LPIP"


def test_deleting_phase_1_while_keeping_phase_2_is_refused(
    django_app, admin_user, partnership
):
    form = change_form(django_app, admin_user, partnership)
    form["records-0-DELETE"] = True

    response = form.submit("_save")

    assert response.status_code == HTTPStatus.OK
    assert "after taking part in phase 1" in response.text
    assert partnership.records.count() == 2


@pytest.mark.parametrize("size", [3, 30])
def test_the_partnership_changelist_costs_the_same_queries_at_any_size(
    admin_client, django_assert_num_queries, phases, size
):
    for _ in range(size):
        partnership = PartnershipFactory()
        PartnershipPhaseFactory(partnership=partnership, phase=phases[0])
        PartnershipPhaseFactory(partnership=partnership, phase=phases[1])
    url = reverse("admin:partnerships_partnership_changelist")
    admin_client.get(url)
    with django_assert_num_queries(8):
        response = admin_client.get(url)
    assert "1 (funded), 2 (funded)" in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_organisation_changelist_costs_the_same_queries_at_any_size(
    admin_client, django_assert_num_queries, size
):
    programme = ProgrammeFactory()
    for _ in range(size):
        organisation = OrganisationFactory()
        ProgrammeRoleFactory(
            programme=programme, organisation=organisation, role="hub_member"
        )
        ProgrammeRoleFactory(
            programme=programme, organisation=organisation, role="funder"
        )
    url = reverse("admin:partnerships_organisation_changelist")
    admin_client.get(url)
    with django_assert_num_queries(7):
        response = admin_client.get(url)
    assert "Funder, Hub member" in response.content.decode()


@pytest.mark.parametrize("name", ["programme", "phase", "organisation", "partnership"])
def test_every_admin_page_opens_for_an_editor(admin_client, phases, name):
    PhaseFactory()
    PartnershipPhaseFactory(phase=phases[0])
    ProgrammeRoleFactory()
    changelist = admin_client.get(reverse(f"admin:partnerships_{name}_changelist"))
    add = admin_client.get(reverse(f"admin:partnerships_{name}_add"))
    assert changelist.status_code == add.status_code == HTTPStatus.OK
