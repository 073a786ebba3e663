"""The programme's rules: what the database refuses and what editors are told."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partnerships.models import Partnership, PartnershipPhase, Phase, Programme
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PartnershipPhaseFactory,
    ProgrammeRoleFactory,
)

pytestmark = pytest.mark.django_db

CAP = Decimal("4800000")


def test_an_award_above_the_phase_maximum_is_refused_with_both_amounts(phases):
    record = PartnershipPhase(
        partnership=PartnershipFactory(), phase=phases[1], award=Decimal("5000000")
    )
    record.planned_phase_ids = {phases[0].pk, phases[1].pk}
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["award"] == [
        "The award of £5,000,000 is more than Phase 2: "
        f"{phases[1].name}’s maximum of £4,800,000."
    ]


def test_an_award_at_the_maximum_is_accepted(phases):
    partnership = PartnershipFactory()
    PartnershipPhaseFactory(partnership=partnership, phase=phases[0])
    record = PartnershipPhase(partnership=partnership, phase=phases[1], award=CAP)
    record.full_clean()


def test_a_later_phase_needs_a_record_in_the_earlier_phase(phases):
    record = PartnershipPhase(partnership=PartnershipFactory(), phase=phases[1])
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "after taking part in phase 1" in error.value.message_dict["phase"][0]


def test_phases_saved_together_count_as_earlier_records(phases):
    record = PartnershipPhase(partnership=PartnershipFactory(), phase=phases[1])
    record.planned_phase_ids = {phases[0].pk, phases[1].pk}
    record.full_clean()


def test_a_negative_award_is_refused_by_validation_and_by_the_database(phases):
    record = PartnershipPhase(
        partnership=PartnershipFactory(), phase=phases[0], award=Decimal("-1")
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["award"] == ["An amount cannot be negative."]
    with pytest.raises(IntegrityError):
        record.save()


def test_an_end_before_the_start_is_refused_by_validation_and_by_the_database(
    phases,
):
    record = PartnershipPhase(
        partnership=PartnershipFactory(),
        phase=phases[0],
        starts_on=date(2024, 4, 1),
        ends_on=date(2024, 3, 31),
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["ends_on"] == [
        "The end date cannot be before the start date."
    ]
    with pytest.raises(IntegrityError):
        record.save()


def test_a_partnership_is_recorded_once_per_phase(phases):
    record = PartnershipPhaseFactory(phase=phases[0])
    with pytest.raises(IntegrityError):
        PartnershipPhaseFactory(partnership=record.partnership, phase=phases[0])


def test_an_organisation_may_hold_several_roles_but_each_only_once():
    role = ProgrammeRoleFactory(role="hub_member")
    ProgrammeRoleFactory(
        programme=role.programme, organisation=role.organisation, role="funder"
    )
    with pytest.raises(IntegrityError):
        ProgrammeRoleFactory(
            programme=role.programme, organisation=role.organisation, role="funder"
        )


def test_an_organisation_is_recorded_once():
    OrganisationFactory(name="Involve")
    with pytest.raises(IntegrityError):
        OrganisationFactory(name="Involve")


def test_phase_figures_add_up_the_recorded_awards(phases):
    for _ in range(4):
        partnership = PartnershipFactory()
        PartnershipPhaseFactory(partnership=partnership, phase=phases[0])
        PartnershipPhaseFactory(
            partnership=partnership, phase=phases[1], award=CAP, award_is_maximum=True
        )

    first, second = Phase.objects.with_figures().order_by("number")

    assert first.listed_count == 4
    assert first.committed is None
    assert not first.committed_is_complete
    assert second.listed_count == 4
    assert second.committed == Decimal("19200000")
    assert second.committed_is_maximum
    assert second.committed_is_complete


def test_a_total_without_caps_is_exact_and_shows_how_many_awards_are_known(phases):
    PartnershipPhaseFactory(phase=phases[0], award=Decimal("100000.50"))
    PartnershipPhaseFactory(phase=phases[0], award=Decimal("200000"))
    PartnershipPhaseFactory(phase=phases[0], award=None)

    phase = Phase.objects.with_figures().get(pk=phases[0].pk)

    assert phase.committed == Decimal("300000.50")
    assert phase.awards_known == 2
    assert not phase.committed_is_maximum
    assert not phase.committed_is_complete


def test_a_partnerships_totals_sum_its_awards_across_phases(phases):
    partnership = PartnershipFactory()
    PartnershipPhaseFactory(
        partnership=partnership, phase=phases[0], award=Decimal("50000")
    )
    PartnershipPhaseFactory(
        partnership=partnership, phase=phases[1], award=CAP, award_is_maximum=True
    )

    totals = partnership.records.totals()

    assert totals == {
        "committed": Decimal("4850000"),
        "count": 2,
        "awards_known": 2,
        "maximum_awards": 1,
    }


def test_the_teaser_query_loads_a_programme_and_its_phase_figures_in_two_queries(
    phases, django_assert_num_queries
):
    PartnershipPhaseFactory(phase=phases[1], award=CAP, award_is_maximum=True)
    with django_assert_num_queries(2):
        programme = Programme.objects.for_teaser().get()
        figures = [(p.number, p.committed) for p in programme.phases.all()]
    assert figures == [(1, None), (2, CAP)]


def test_place_joins_region_and_nation_and_hides_not_stated():
    assert (
        PartnershipFactory.build(
            nation=Partnership.Nation.ENGLAND, region="Yorkshire and the Humber"
        ).place
        == "Yorkshire and the Humber, England"
    )
    assert PartnershipFactory.build(nation=Partnership.Nation.NOT_STATED).place == ""
