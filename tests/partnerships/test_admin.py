"""Editors manage the programme in the admin and are told clearly what is wrong."""

from http import HTTPStatus

import pytest
from django.urls import reverse

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


def partnership_form(*records):
    data = {
        "name": "Rural Wales LPIP",
        "slug": "rural-wales-lpip",
        "nation": "wales",
        "focus": "Rural economy",
        "challenge": "A sustainable rural economy.",
        "records-TOTAL_FORMS": str(len(records)),
        "records-INITIAL_FORMS": "0",
        "records-MIN_NUM_FORMS": "0",
        "records-MAX_NUM_FORMS": "1000",
    }
    for index, record in enumerate(records):
        for field, value in record.items():
            data[f"records-{index}-{field}"] = value
    return data


def record(phase, **fields):
    return {"phase": str(phase.pk), "status": "funded", **fields}


def test_a_partnership_with_both_phases_is_saved_in_one_go(admin_client, phases):
    response = admin_client.post(
        ADD_URL,
        partnership_form(
            record(phases[0], status="progressed"),
            record(phases[1], award="4800000", award_is_maximum="on"),
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    partnership = Partnership.objects.get(slug="rural-wales-lpip")
    assert partnership.records.count() == 2


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (
            lambda p: [record(p[0]), record(p[1], award="5000000")],
            "The award of £5,000,000 is more than Phase 2",
        ),
        (
            lambda p: [record(p[1])],
            "A partnership can only be in phase 2 after taking part in phase 1",
        ),
        (lambda p: [record(p[0], award="-10")], "An amount cannot be negative."),
        (
            lambda p: [record(p[0], starts_on="2024-04-01", ends_on="2024-03-01")],
            "The end date cannot be before the start date.",
        ),
    ],
    ids=["above-maximum", "phase-2-without-1", "negative", "end-before-start"],
)
def test_a_bad_phase_record_is_refused_with_a_clear_message_and_nothing_saved(
    admin_client, phases, records, message
):
    response = admin_client.post(ADD_URL, partnership_form(*records(phases)))
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert response.context["adminform"].form["name"].value() == "Rural Wales LPIP"
    assert not Partnership.objects.exists()


def test_deleting_phase_1_while_keeping_phase_2_is_refused(admin_client, phases):
    partnership = PartnershipFactory(slug="rural-wales-lpip", name="Rural Wales LPIP")
    first = PartnershipPhaseFactory(partnership=partnership, phase=phases[0])
    second = PartnershipPhaseFactory(partnership=partnership, phase=phases[1])
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    data = partnership_form(
        {**record(phases[0]), "id": str(first.pk), "DELETE": "on"},
        {**record(phases[1]), "id": str(second.pk)},
    )
    data["records-INITIAL_FORMS"] = "2"
    data["opened_at"] = partnership.updated_at.isoformat()
    for index in (0, 1):
        data[f"records-{index}-partnership"] = str(partnership.pk)

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert "after taking part in phase 1" in response.content.decode()
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
