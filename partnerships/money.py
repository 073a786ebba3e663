"""Money in pounds, shown the same way everywhere: £4.8 million or £4,800,000."""

from decimal import ROUND_HALF_UP, Decimal

from partnerships.models import format_pounds

UNITS = ((Decimal(10**9), "billion"), (Decimal(10**6), "million"))


def money(value):
    """Return a short amount: "£4.8 million", "£4 million", "£250,000"; "" for None."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    for size, unit in UNITS:
        if abs(amount) >= size:
            scaled = (amount / size).quantize(Decimal("0.01"), ROUND_HALF_UP)
            return f"£{scaled.normalize():f} {unit}"
    return format_pounds(amount)


def money_full(value):
    """Return the full amount: "£4,800,000", "£1,250.50"; "" for None."""
    if value is None or value == "":
        return ""
    return format_pounds(value)
