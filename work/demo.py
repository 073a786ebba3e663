"""Demo projects and the one publication, from the About seed alone.

The seed gives no dates, people or links for them, so none are given here; it
names no events, so the demo has none. Partners are the partnerships app's
organisation records, made here when the seed names them. Idempotent.
"""

from django.db import transaction
from django.utils import timezone

from partnerships.models import Organisation
from work.models import Project, Publication, Status

Kind = Organisation.Kind

# (name, short name, kind): names as the seed writes them; the kind (which
# the model requires) read from the name alone.
ORGANISATIONS = {
    "nef": ("New Economics Foundation", "", Kind.NON_ACADEMIC),
    "wwcw": ("What Works Centre for Wellbeing", "", Kind.NON_ACADEMIC),
    "engage": ("Engage Liverpool", "", Kind.NON_ACADEMIC),
    "luiss": ("LUISS University Rome", "", Kind.ACADEMIC),
    "fordham": ("Fordham Law School, New York", "", Kind.ACADEMIC),
    "merseytravel": ("Merseytravel", "", Kind.NON_ACADEMIC),
    # The seed says only "the LEP": its full name is not spelt out here.
    "lep": ("LEP", "", Kind.NON_ACADEMIC),
    "ccg": ("Liverpool CCG", "", Kind.NON_ACADEMIC),
    "hartree": ("Hartree (SFTC)", "", Kind.NON_ACADEMIC),
}

# (slug, title, summary, body, partner keys)
PROJECTS = [
    (
        "liverpool-city-region-social-economy-panel",
        "Liverpool City Region Social Economy Panel",
        "A panel the institute set up jointly with practitioners to close the "
        "gap in policy for the city region's social economy.",
        "<p>The city region has long had economic activity that is non-profit, "
        "democratic or associational: philanthropic trusts, then co-operatives, "
        "and now community interest companies and community land trusts. The "
        "panel, a joint initiative of the Heseltine Institute and practitioners, "
        "exists because policy for this sector in the city region has been "
        "lacking.</p>"
        "<p>The institute funds primary research into how large the city "
        "region's social economy is and what it covers. Early indications put "
        "the sector's assets at around £4 billion, with more than 40,000 people "
        "employed in it.</p>"
        "<p>The work also takes in research and policy on social housing, "
        "community assets, entrepreneurship, food poverty and social finance.</p>",
        [],
    ),
    (
        "community-wellbeing-evidence-programme",
        "Community Wellbeing evidence programme",
        "The institute co-hosts the Community Wellbeing evidence programme of the "
        "UK's What Works Centre for Wellbeing.",
        "<p>The programme gathers evidence on how communities and neighbourhoods "
        "can give their residents a better lived experience. The institute "
        "co-hosts it, working with universities across the North and with civic "
        "organisations including the New Economics Foundation.</p>"
        "<p>Analysis of the programme's data shows how unequal wellbeing is "
        "across Liverpool and Merseyside, which is why the institute wants the "
        "city region to use the evidence it produces.</p>",
        ["wwcw", "nef"],
    ),
    (
        "prosocial-place-programme",
        "Prosocial Place Programme",
        "Research into why some parts of cities go with lower wellbeing and "
        "more mental distress.",
        "<p>A companion to the Community Wellbeing evidence programme, it asks "
        "how and why certain city areas are associated with lower wellbeing and "
        "higher levels of mental distress.</p>"
        "<p>With place-making small businesses and social enterprises in the "
        "city region, it aims to persuade regeneration schemes to put "
        "residents' health and wellbeing at the centre of their decisions and "
        "governance.</p>",
        [],
    ),
    (
        "liverpool-city-region-health-governance",
        "Health governance in the Liverpool City Region",
        "An analysis of how health is governed across the city region, in "
        "preparation for the possible devolution of health.",
        "<p>Looking ahead to health possibly being devolved to the Liverpool "
        "City Region, the institute began to analyse the region's health "
        "governance landscape. The work was planned as a package of activities "
        "leading to a report due in summer 2017.</p>",
        [],
    ),
    (
        "office-for-civic-imagination",
        "Office for Civic Imagination",
        "Developing a local Office for Civic Imagination, with partners in "
        "Liverpool, Rome and New York.",
        "<p>Drawing on earlier development work in Amsterdam, New York and "
        "Bologna, the aim is a place where active citizens and social, economic, "
        "institutional and legal innovators can explore new public policy and "
        "take it forward.</p>",
        ["engage", "luiss", "fordham"],
    ),
    (
        "city-region-decision-making-model",
        "A decision-making model for the city region",
        "Developing a simulated, supercomputer-driven model to help city "
        "region policymakers see how a decision in one area affects others.",
        "<p>The model is meant to give policymakers a view of the whole city "
        "region's policy domain, so they can test virtually how a decision in "
        "one policy area affects the others. The institute works on it with the "
        "Liverpool City Mayoral lead on Smart Cities and the organisations "
        "listed below.</p>"
        "<p>Location data from a mobile app made with residents would calibrate "
        "the model. The app's data would be held in a co-operative data bank, "
        "with the aim of earning money from it for residents' benefit.</p>",
        ["merseytravel", "lep", "ccg", "hartree"],
    ),
]

PUBLICATION = {
    "slug": "state-of-liverpool-city-region-making-the-most-of-devolution",
    "title": "The State of Liverpool City Region: making the most of devolution",
    # The seed calls it a publication; it names no kind, date or publisher.
    "kind": "",
    "publisher": "",
    "summary": "Sets out challenges that inequalities between and within regions "
    "pose for the Liverpool City Region, and the opportunities that "
    "devolution and a newly elected City Region Mayor open up.",
    # The seed names the author only by role.
    "credit": "The institute’s Executive Director",
}


@transaction.atomic
def load():
    organisations = {}
    for key, (name, short_name, kind) in ORGANISATIONS.items():
        organisations[key], _ = Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind}
        )
    publication, _ = Publication.objects.update_or_create(
        slug=PUBLICATION["slug"],
        defaults={**PUBLICATION, "status": Status.PUBLISHED},
    )
    _publish_once(publication)
    for slug, title, summary, body, partners in PROJECTS:
        project, _ = Project.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body": body,
                "status": Status.PUBLISHED,
            },
        )
        _publish_once(project)
        project.partners.set([organisations[key] for key in partners])


def _publish_once(item):
    # Keeps its first publication time, so loading again changes nothing.
    if item.published_at is None:
        item.published_at = timezone.now()
        item.save(update_fields=["published_at"])
