"""The plain data the partnership pages render, checked against the models."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django import forms

from partnerships.cards import journey, place
from partnerships.forms import PartnershipFilterForm
from partnerships.models import Partnership
from tests.factories import PartnershipFactory, PartnershipPhaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("nation", Partnership.Nation.values)
@pytest.mark.parametrize("region", ["", "Yorkshire and the Humber"])
def test_a_cards_place_reads_as_the_partnerships_own(nation, region):
    partnership = PartnershipFactory.build(nation=nation, region=region)
    assert place(nation, region) == partnership.place


def test_a_journey_adds_up_as_the_records_totals_do(phases):
    partnership = PartnershipFactory()
    PartnershipPhaseFactory(
        partnership=partnership, phase=phases[0], award=None, award_is_maximum=True
    )
    PartnershipPhaseFactory(
        partnership=partnership,
        phase=phases[1],
        award=Decimal("4800000"),
        award_is_maximum=True,
        starts_on="2024-04-01",
    )

    records, totals = journey(partnership)

    assert {key: totals[key] for key in partnership.records.totals()} == (
        partnership.records.totals()
    )
    assert [record["award"] for record in records] == [
        "Award not stated",
        "Up to £4.8 million",
    ]
    assert records[1]["starts_on"] == date(2024, 4, 1)
    assert records[1]["url"] == "/partnerships/?phase=2"
    assert totals["programme"] == "PROG"


def test_a_journey_without_records_has_no_award(phases):
    records, totals = journey(PartnershipFactory())
    assert records == []
    assert totals["committed"] is None


def tags(html):
    return re.sub(r">\s+<", "><", html)


@pytest.mark.parametrize(
    "data", [None, {"nation": "wales"}, {"phase": "x", "nation": "wales"}]
)
def test_the_filter_selects_are_written_as_djangos_own_widget_writes_them(data):
    form = PartnershipFilterForm(data, phase_choices=[(1, "Phase 1: A & B")])
    if data:
        form.filters()
    for field in form:
        djangos = field.as_widget(widget=forms.Select(choices=field.field.choices))
        assert tags(str(field)) == tags(djangos)
    assert "Phase 1: A &amp; B" in str(form["phase"])
