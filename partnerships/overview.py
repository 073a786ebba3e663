"""What the programme page shows above and beside its list of partnerships.

The programme, its phases and what each funds, the nation counts and who is
involved change only with the content, so the page keeps them by content
stamp as plain dicts with every figure already written out: rendering model
instances through includes and filters cost more than the rest of the page.

Funding is shown as the sources give it, an amount "up to" which each
partnership of a phase may receive, never as a total: a sum of maximums is
not money committed.
"""

from django.db.models import Count
from django.template.defaultfilters import truncatewords

from heseltine.cache import cached_by_content
from heseltine.links import url_for_slug
from partnerships.models import Partnership, Programme, ProgrammeRole
from partnerships.money import money, money_full

# The order in which the programme page introduces who is involved.
ROLE_SECTIONS = [
    (ProgrammeRole.Role.LEAD, "Leads the programme"),
    (ProgrammeRole.Role.HUB_MEMBER, "Members of the hub"),
    (ProgrammeRole.Role.FUNDER, "Funders"),
    (ProgrammeRole.Role.ACADEMIC_PARTNER, "Academic partners"),
    (ProgrammeRole.Role.DELIVERY_PARTNER, "Non-academic delivery partners"),
]


def programme_overview():
    """The overview of the first programme, kept until the content changes."""
    return cached_by_content("partnerships:overview", build_overview)


def build_overview():
    """Return the overview as plain data; see `programme_overview()`.

    Keys: programme (a dict, or None before any is published), phases (dicts),
    nations [(value, label, count)] (only those with partnerships) and
    role_sections [(heading, [{name, website, note}])].
    """
    programme = Programme.objects.for_overview().first()
    phases = list(programme.phases.all()) if programme else []
    nations = nation_counts(Partnership.objects.public())
    return {
        "programme": programme_text(programme) if programme else None,
        "phases": [phase_figures(phase) for phase in phases],
        "nations": nations,
        "role_sections": role_sections(programme),
    }


def programme_text(programme):
    return {
        "name": programme.name,
        "display_name": programme.display_name,
        "summary": programme.summary,
        "short_summary": truncatewords(programme.summary, 30),
        "description": programme.description,
        "website": programme.website,
    }


def phase_figures(phase):
    """One phase, annotated `with_figures()`, with its figures written out."""
    max_award = phase.max_award
    return {
        "number": phase.number,
        "label": str(phase),
        "purpose": phase.purpose,
        "partnerships_funded": phase.partnerships_funded,
        "listed_count": phase.listed_count,
        "partly_listed": phase.listed_count < phase.partnerships_funded,
        # "Up to £4.8 million (£4,800,000)": short, and exact beside it.
        "award_each": (
            "Not stated"
            if max_award is None
            else f"Up to {money(max_award)} ({money_full(max_award)})"
        ),
        "duration": duration(phase),
        "challenges": [str(challenge) for challenge in phase.challenges.all()],
    }


def nation_counts(partnerships):
    """Return (nation, label, count) for each nation that has partnerships.

    In choice order, "Not stated" last; a nation with none is left out rather
    than claimed to have none. One grouped query.
    """
    counts = dict(
        partnerships.order_by()
        .values_list("nation")
        .annotate(count=Count("pk"))
        .values_list("nation", "count")
    )
    return [
        (value, label, counts[value])
        for value, label in Partnership.Nation.choices
        if counts.get(value)
    ]


def duration(phase):
    """ "2 years", "1 year" or "18 months"; "" when not known."""
    if not phase.duration_months:
        return ""
    if years := phase.duration_years:
        return f"{years} year{'' if years == 1 else 's'}"
    return f"{phase.duration_months} months"


def role_sections(programme):
    if programme is None:
        return []
    holders = [
        {
            "name": str(holder.organisation),
            "website": holder.organisation.website,
            "url": url_for_slug("work:organisation_detail", holder.organisation.slug),
            "note": holder.note,
            "role": holder.role,
        }
        for holder in programme.roles.all()
    ]
    sections = []
    for role, heading in ROLE_SECTIONS:
        listed = [holder for holder in holders if holder["role"] == role]
        if listed:
            sections.append((heading, listed))
    return sections
