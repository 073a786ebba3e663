"""Partnership cards and phase records as plain dicts, ready to render.

values() rows, with links and amounts written out, for the list page: it
shows a page of partnerships, each once, with a line for each of its phases.
"""

from django.db.models import F
from django.urls import reverse

from heseltine.links import url_for_slug
from partnerships.models import Partnership, PartnershipPhase
from partnerships.money import money

CARD_FIELDS = ("pk", "name", "slug", "nation", "region", "focus")
STATUSES = dict(PartnershipPhase.Status.choices)
NATIONS = dict(Partnership.Nation.choices)


def place(nation, region):
    """Like `Partnership.place`: "Yorkshire and the Humber, England"."""
    if nation == Partnership.Nation.NOT_STATED:
        return region
    return ", ".join(part for part in (region, NATIONS.get(nation, nation)) if part)


def award(amount, is_maximum):
    """ "£250,000", "Up to £4.8 million" or "Award not stated"."""
    if amount is None:
        return "Award not stated"
    return f"Up to {money(amount)}" if is_maximum else money(amount)


def partnership_cards(partnerships):
    """Cards for a page of partnerships (values() rows of `CARD_FIELDS`), in order.

    Each partnership once, with its journey through the phases: a card is a
    dict of url, name, focus, place and journey, a list of {phase, status,
    award} earliest first (empty for one recorded in no phase yet). One query,
    for the partnerships' records.
    """
    cards = {}
    for row in partnerships:
        row["url"] = url_for_slug("partnerships:partnership_detail", row["slug"])
        row["place"] = place(row["nation"], row["region"]) or "Place not stated"
        row["journey"] = []
        cards[row["pk"]] = row
    records = PartnershipPhase.objects.filter(partnership_id__in=list(cards))
    for row in records.order_by("phase__number").values(
        "partnership_id",
        "status",
        "award",
        "award_is_maximum",
        number=F("phase__number"),
        name=F("phase__name"),
    ):
        cards[row["partnership_id"]]["journey"].append(
            {
                "phase": f"Phase {row['number']}: {row['name']}",
                "status": STATUSES[row["status"]],
                "award": award(row["award"], row["award_is_maximum"]),
            }
        )
    return list(cards.values())


def journey(partnership):
    """The partnership's phase records, earliest first, and their totals.

    Returns ([record], totals): each record a dict of phase (its label), url,
    status, award and the start and end dates (or None); totals as
    `PartnershipPhaseQuerySet.totals()` gives them, plus the programme's name
    for the link back. One query.
    """
    rows = partnership.records.order_by("phase__number").values(
        "status",
        "award",
        "award_is_maximum",
        "starts_on",
        "ends_on",
        number=F("phase__number"),
        name=F("phase__name"),
        programme=F("phase__programme__name"),
        programme_short=F("phase__programme__short_name"),
    )
    records = []
    totals = {"committed": None, "count": 0, "awards_known": 0, "maximum_awards": 0}
    programme = ""
    list_url = reverse("partnerships:partnership_list")
    for row in rows:
        if not records:
            # The link back names the programme of the earliest phase.
            programme = row["programme_short"] or row["programme"]
        amount, is_maximum = row["award"], row["award_is_maximum"]
        records.append(
            {
                "phase": f"Phase {row['number']}: {row['name']}",
                "url": f"{list_url}?phase={row['number']}",
                "status": STATUSES[row["status"]],
                "award": award(amount, is_maximum),
                "starts_on": row["starts_on"],
                "ends_on": row["ends_on"],
            }
        )
        totals["count"] += 1
        totals["maximum_awards"] += is_maximum
        if amount is not None:
            totals["awards_known"] += 1
            totals["committed"] = (totals["committed"] or 0) + amount
    totals["programme"] = programme
    return records, totals
