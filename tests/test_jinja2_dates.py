"""The public templates' date filter: "18 July 2024", in UK time."""

from datetime import UTC, date, datetime

import pytest
from django.utils import dateformat

from heseltine import jinja2


@pytest.mark.parametrize("month", range(1, 13))
def test_a_date_is_written_as_django_s_date_filter_writes_it(month):
    day = date(2024, month, 9)
    assert jinja2.date(day) == dateformat.format(day, "j F Y")
    assert jinja2.date(day) == f"9 {day.strftime('%B')} 2024"


def test_a_time_is_shown_on_its_day_in_the_uk():
    # Half past eleven at night in UTC is half past midnight in London (BST).
    assert jinja2.date(datetime(2024, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2024"
    assert jinja2.date(datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == (
        "31 December 2024"
    )


def test_other_formats_are_django_s():
    when = datetime(2024, 7, 18, 9, 5, 30, 123456, tzinfo=UTC)
    assert jinja2.date(when, "c") == "2024-07-18T10:05:30+01:00"
    assert jinja2.date(when, "F Y") == "July 2024"
    assert jinja2.date(None) == ""
