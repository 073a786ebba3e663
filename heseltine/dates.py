from django.utils.timezone import localtime

# The site is in British English only: no translation lookup per date.
MONTHS = (
    None,
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def uk_date(value):
    """A datetime in UK time as (text, ISO 8601): ("18 July 2024", "2024-07-18T…").

    What {{ value|date:"j F Y" }} and {{ value|date:"c" }} show, at a fraction
    of their cost: lists format dozens of dates a page.
    """
    local = localtime(value)
    return f"{local.day} {MONTHS[local.month]} {local.year}", local.isoformat()
