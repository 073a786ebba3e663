"""Money reads the same everywhere: £4.8 million short, £4,800,000 in full."""

from decimal import Decimal

import pytest
from django.template import engines

from partnerships.money import money, money_full


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("4800000"), "£4.8 million"),
        (Decimal("4000000.00"), "£4 million"),
        (Decimal("19200000"), "£19.2 million"),
        (Decimal("10000000"), "£10 million"),
        (Decimal("4750000"), "£4.75 million"),
        (Decimal("2500000000"), "£2.5 billion"),
        (Decimal("250000"), "£250,000"),
        (Decimal("1250.50"), "£1,250.50"),
        (Decimal("0"), "£0"),
    ],
)
def test_money_gives_a_short_amount_in_pounds(amount, shown):
    assert money(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("4800000"), "£4,800,000"),
        (Decimal("4800000.00"), "£4,800,000"),
        (Decimal("19200000"), "£19,200,000"),
        (Decimal("1250.5"), "£1,250.50"),
        (Decimal("999"), "£999"),
    ],
)
def test_money_full_gives_every_pound_and_pence_only_when_there_are_any(amount, shown):
    assert money_full(amount) == shown


def test_an_unknown_amount_shows_nothing_so_templates_can_say_so():
    template = engines["jinja2"].from_string(
        '{{ amount|money or "Not known" }} {{ amount|money_full or "Not known" }}'
    )
    assert template.render({"amount": None}) == "Not known Not known"
