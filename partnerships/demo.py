"""Demo content for the partnerships app, from the facts in seed 004 (LPIP).

Only what the seed states: no lead organisations, dates, places or awards
beyond it. Everything is keyed on natural keys, so loading twice changes nothing.
"""

from decimal import Decimal

from partnerships.models import (
    Organisation,
    Partnership,
    PartnershipPhase,
    Phase,
    PhaseChallenge,
    Programme,
    ProgrammeRole,
)

Kind = Organisation.Kind
Role = ProgrammeRole.Role
Nation = Partnership.Nation
Status = PartnershipPhase.Status

PHASE_2_CAP = Decimal("4800000.00")

# (name, short name, kind, [(role, note)])
ORGANISATIONS = [
    (
        "UK Research and Innovation", "UKRI", Kind.PUBLIC_FUNDER,
        [(Role.FUNDER, "Through the Economic and Social Research Council (ESRC), "
          "Innovate UK and the Arts and Humanities Research Council (AHRC)")],
    ),
    (
        "City Region Economic and Development Institute", "City-REDI", Kind.ACADEMIC,
        [(Role.LEAD, "At the University of Birmingham")],
    ),
    ("University of St Andrews", "", Kind.ACADEMIC, [(Role.ACADEMIC_PARTNER, "")]),
    ("University of Glasgow", "", Kind.ACADEMIC, [(Role.ACADEMIC_PARTNER, "")]),
    (
        "London School of Tropical Medicine", "", Kind.ACADEMIC,
        [(Role.ACADEMIC_PARTNER, "")],
    ),
    ("University of Exeter", "", Kind.ACADEMIC, [(Role.ACADEMIC_PARTNER, "")]),
    ("University of York", "", Kind.ACADEMIC, [(Role.ACADEMIC_PARTNER, "")]),
    ("University of Manchester", "", Kind.ACADEMIC, [(Role.ACADEMIC_PARTNER, "")]),
    ("University of South Wales", "", Kind.ACADEMIC, [(Role.ACADEMIC_PARTNER, "")]),
    ("Queen’s University Belfast", "", Kind.ACADEMIC, [(Role.ACADEMIC_PARTNER, "")]),
    (
        "Involve", "", Kind.NON_ACADEMIC,
        [
            (Role.HUB_MEMBER, "Helps the partnerships build public engagement "
             "into their decisions"),
            (Role.DELIVERY_PARTNER, ""),
        ],
    ),
    (
        "National Coordinating Centre for Public Participation", "NCCPE",
        Kind.NON_ACADEMIC, [(Role.DELIVERY_PARTNER, "")],
    ),
    (
        "Inner Circle Consulting", "ICC", Kind.NON_ACADEMIC,
        [(Role.DELIVERY_PARTNER, "")],
    ),
    (
        "Chartered Institute of Public Finance and Accountancy", "CIPFA",
        Kind.NON_ACADEMIC, [(Role.DELIVERY_PARTNER, "")],
    ),
    (
        "Centre for Local Economic Strategies", "CLES", Kind.NON_ACADEMIC,
        [(Role.DELIVERY_PARTNER, "")],
    ),
]  # fmt: skip

PHASE_1_CHALLENGES = [
    ("Closing skills gaps", "Northern Ireland"),
    ("Closing skills gaps", "West Midlands"),
    (
        "Innovation in new green technologies across local supply chains",
        "South Yorkshire",
    ),
]  # fmt: skip

# (name, slug, short name, nation, region, focus, challenge). The seed links
# no partnership to the institute's research themes, so none is set here.
PARTNERSHIPS = [
    (
        "Rural Wales LPIP", "rural-wales-lpip", "", Nation.WALES, "",
        "A sustainable and inclusive rural economy",
        "Gives councils, businesses and communities in rural Wales the evidence "
        "to make decisions that spread prosperity and narrow inequality.",
    ),
    (
        "Sterling LPIP", "sterling-lpip", "", Nation.NOT_STATED, "",
        "Water",
        "Builds inclusive economic opportunity, jobs among them, around a "
        "plentiful natural resource: water.",
    ),
    (
        "EPIC Futures NI", "epic-futures-ni", "", Nation.NORTHERN_IRELAND, "",
        "Skills, unemployment and economic growth",
        "Works mainly on raising skills in Northern Ireland, to bring "
        "unemployment down and help the economy grow.",
    ),
    (
        "Yorkshire and Humber Policy Innovation Partnership",
        "yorkshire-and-humber-policy-innovation-partnership", "YPIP",
        Nation.ENGLAND, "Yorkshire and the Humber",
        "Inclusive and sustainable growth",
        "Supports inclusive, sustainable growth in jobs, businesses, culture and "
        "entrepreneurship, centred on low-income, marginalised and isolated "
        "communities.",
    ),
]  # fmt: skip


def load():
    programme, _ = Programme.objects.update_or_create(
        slug="local-policy-innovation-partnerships",
        defaults={
            "name": "Local Policy Innovation Partnerships",
            "short_name": "LPIP",
            "summary": (
                "A UK-wide programme in which universities and local partners "
                "team up as place partnerships, using community engagement and "
                "research to find policy answers for local economic growth."
            ),
            "description": (
                "<p>Each place partnership joins academic and non-academic "
                "partners in one area. Together they work on pressing local and "
                "regional challenges, with communities involved in shaping the "
                "answers, so that the evidence universities produce with their "
                "local partners leads to better place-based policy.</p>"
                "<p>A Strategic Coordination Hub supports the partnerships, helps "
                "them build public engagement into their work and shares what "
                "they learn across the programme.</p>"
                "<h2>Find out more</h2>"
                "<p>UKRI describes the programme and all ten place partnerships "
                "on its website, in “UKRI invests in policy innovation "
                "partnerships for local growth”. The programme also has a "
                "website of its own, and the LPIP Hub is on Twitter "
                "(@LPIPHUB) and LinkedIn.</p>"
            ),
            "website": "",
        },
    )
    load_roles(programme)
    phase_1, phase_2 = load_phases(programme)
    load_partnerships(phase_1, phase_2)


def load_roles(programme):
    keep = []
    for order, (name, short_name, kind, roles) in enumerate(ORGANISATIONS):
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={"short_name": short_name, "kind": kind, "website": ""},
        )
        for role, note in roles:
            held, _ = ProgrammeRole.objects.update_or_create(
                programme=programme,
                organisation=organisation,
                role=role,
                defaults={"note": note, "order": order},
            )
            keep.append(held.pk)
    programme.roles.exclude(pk__in=keep).delete()


def load_phases(programme):
    phase_1, _ = Phase.objects.update_or_create(
        programme=programme,
        number=1,
        defaults={
            "name": "Exploratory",
            "purpose": (
                "Ten place partnerships received funding to look into local "
                "issues and prepare their proposals for phase 2."
            ),
            "partnerships_funded": 10,
            "max_award": None,
            "duration_months": None,
        },
    )
    keep = []
    for order, (description, place) in enumerate(PHASE_1_CHALLENGES):
        challenge, _ = PhaseChallenge.objects.update_or_create(
            phase=phase_1,
            description=description,
            place=place,
            defaults={"order": order},
        )
        keep.append(challenge.pk)
    phase_1.challenges.exclude(pk__in=keep).delete()

    phase_2, _ = Phase.objects.update_or_create(
        programme=programme,
        number=2,
        defaults={
            "name": "Implementation",
            "purpose": (
                "Four of the ten partnerships were chosen to put projects into "
                "practice over three years, looking for practical policy answers "
                "on regional disparities, cultural recovery and local innovation "
                "and growth."
            ),
            "partnerships_funded": 4,
            "max_award": PHASE_2_CAP,
            "duration_months": 36,
        },
    )
    return phase_1, phase_2


def load_partnerships(phase_1, phase_2):
    for row in PARTNERSHIPS:
        name, slug, short_name, nation, region, focus, challenge = row
        partnership, _ = Partnership.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "nation": nation,
                "region": region,
                "focus": focus,
                "challenge": challenge,
                "description": "",
                "website": "",
                "lead_organisation": None,
                "latitude": None,
                "longitude": None,
            },
        )
        partnership.themes.clear()
        PartnershipPhase.objects.update_or_create(
            partnership=partnership,
            phase=phase_1,
            defaults={"status": Status.PROGRESSED, "award": None},
        )
        PartnershipPhase.objects.update_or_create(
            partnership=partnership,
            phase=phase_2,
            defaults={
                "status": Status.FUNDED,
                "award": PHASE_2_CAP,
                "award_is_maximum": True,
            },
        )
