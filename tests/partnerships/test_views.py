"""The public programme page and partnership pages."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from partnerships import demo
from tests.factories import (
    InstituteProfileFactory,
    PartnershipFactory,
    PartnershipPhaseFactory,
    PhaseChallengeFactory,
    PhaseFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("partnerships:partnership_list")
SVG = "{http://www.w3.org/2000/svg}"
CAP = Decimal("4800000")


def make_programme(partnerships):
    """A programme of two phases: every partnership in phase 1, half in phase 2."""
    InstituteProfileFactory()
    programme = ProgrammeFactory(name="Local Policy Innovation Partnerships")
    first = PhaseFactory(programme=programme, number=1, partnerships_funded=10)
    second = PhaseFactory(programme=programme, number=2, max_award=CAP)
    PhaseChallengeFactory(phase=first, description="Skills gaps", place="Wales")
    ProgrammeRoleFactory(programme=programme, role="hub_lead")
    ProgrammeRoleFactory(programme=programme, role="funder", note="Through a council")
    for index in range(partnerships):
        partnership = PartnershipFactory(
            nation="wales" if index % 2 else "northern_ireland"
        )
        partnership.themes.add(ResearchThemeFactory())
        PartnershipPhaseFactory(
            partnership=partnership, phase=first, status="progressed"
        )
        if index % 2:
            PartnershipPhaseFactory(
                partnership=partnership,
                phase=second,
                award=CAP,
                award_is_maximum=True,
            )
    return programme


def svg(html, css_class):
    match = re.search(rf'<svg class="{css_class}".*?</svg>', html, re.DOTALL)
    return ET.fromstring(match.group(0))


@pytest.mark.parametrize("size", [4, 40])
def test_the_programme_page_costs_ten_queries_then_two_whatever_its_size(
    client, django_assert_num_queries, no_page_cache, size
):
    # Profile and footer pages (2); programme, phases, challenges, roles and
    # nation counts (5); the partnership count (1): all kept until the content
    # changes. Then one page of partnerships and their records (2).
    make_programme(size)
    with django_assert_num_queries(10):
        response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    with django_assert_num_queries(2):
        response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("size", [4, 40])
def test_a_partnership_page_costs_five_queries_whatever_its_size(
    client, django_assert_num_queries, size
):
    # Profile and footer pages (2); the partnership and its lead organisation,
    # its records with their phases and programme, its themes (3).
    make_programme(size)
    partnership = PartnershipFactory()
    partnership.themes.add(*(ResearchThemeFactory() for _ in range(size)))
    with django_assert_num_queries(5):
        response = client.get(partnership.get_absolute_url())
    assert response.status_code == HTTPStatus.OK


def test_the_programme_page_shows_phases_figures_people_and_partnerships(client):
    make_programme(4)
    html = client.get(LIST_URL).content.decode()

    assert html.count("<h1>") == 1
    assert "<title>Local Policy Innovation Partnerships | " in html
    assert "Skills gaps (Wales)" in html
    assert "Up to £9.6 million" in html
    assert "Up to £9,600,000" in html
    assert "£4,800,000" in html
    assert "Not known" in html
    assert "Leads the programme" in html
    assert "Through a council" in html
    assert "4 of the 10 partnerships funded in this phase are listed here." in html
    assert 'style="' not in html
    # The only script is structured data, which no browser runs.
    assert html.count("<script") == html.count('<script type="application/ld+json">')


def test_the_funding_chart_draws_each_phase_in_proportion_to_its_committed_total(
    client,
):
    programme = make_programme(4)
    third = PhaseFactory(programme=programme, number=3, max_award=CAP)
    PartnershipPhaseFactory(
        partnership=PartnershipPhaseFactory(
            phase=programme.phases.get(number=2)
        ).partnership,
        phase=third,
        award=Decimal("2400000"),
    )

    chart = svg(client.get(LIST_URL).content.decode(), "lpip-chart")

    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "Funding committed in each phase"
    bars = {group.get("data-phase"): group for group in chart.iter(f"{SVG}g")}
    widths = {
        number: float(g.find(f"{SVG}rect").get("width")) for number, g in bars.items()
    }
    amounts = {
        number: Decimal(g.find(f"{SVG}rect").get("data-amount") or "NaN")
        for number, g in bars.items()
    }
    labels = {number: g.findall(f"{SVG}text")[1].text for number, g in bars.items()}
    assert amounts["1"].is_nan()
    assert (amounts["2"], amounts["3"]) == (Decimal("9600000"), Decimal("2400000"))
    assert widths == {"1": 0, "2": 300, "3": 75}
    assert labels == {
        "1": "Not known",
        "2": "Up to £9.6 million (2 of 4 awards known)",
        "3": "£2.4 million (1 of 4 awards known)",
    }


def test_the_map_counts_partnerships_by_nation_and_says_so_in_text_too(client):
    make_programme(4)
    PartnershipFactory(name="Somewhere LPIP", nation="not_stated")
    html = client.get(LIST_URL).content.decode()

    tiles = {
        group.get("data-nation"): group.get("data-count")
        for group in svg(html, "lpip-map").iter("{http://www.w3.org/2000/svg}g")
    }
    assert tiles == {
        "england": "0",
        "northern_ireland": "2",
        "scotland": "0",
        "wales": "2",
    }
    assert "Not stated (1)" in html
    assert "Northern Ireland (2)" in html
    assert 'href="?nation=wales#partnerships"' in html


def test_a_long_list_of_partnerships_is_paginated_keeping_the_filters(client):
    make_programme(4)
    for n in range(30):
        PartnershipFactory(name=f"Extra {n:02}", nation="wales")
    response = client.get(LIST_URL, {"nation": "wales"})
    assert len(response.context["object_list"]) == 24
    html = response.content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?nation=wales&amp;page=2"' in html


def test_filtering_by_phase_shows_only_that_phases_partnerships(client):
    make_programme(4)
    response = client.get(LIST_URL, {"phase": "2"})
    groups = response.context["groups"]
    assert [phase["number"] for phase, _ in groups] == [2]
    assert len(groups[0][1]) == 2


def test_filtering_by_nation_keeps_only_partnerships_in_that_nation(client):
    make_programme(4)
    response = client.get(LIST_URL, {"nation": "wales"})
    listed = {row["nation"] for row in response.context["object_list"]}
    assert listed == {"wales"}
    assert len(response.context["object_list"]) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"phase": "7"}, "There is no phase “7”: choose one from the list."),
        ({"phase": "x"}, "There is no phase “x”: choose one from the list."),
        (
            {"nation": "atlantis"},
            "“atlantis” is not one of the nations listed: choose one from the list.",
        ),
    ],
)
def test_an_unknown_filter_value_is_explained_and_the_rest_still_applies(
    client, query, message
):
    make_programme(4)
    response = client.get(LIST_URL, {**query, "nation": query.get("nation", "wales")})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert message in html
    assert len(response.context["object_list"]) == (4 if "nation" in query else 2)
    # The select names its error, and the error is there under that id.
    [described_by] = re.findall(r'aria-describedby="([^"]+)"', html)
    assert f'id="{described_by}">' in html


def test_the_page_works_before_any_programme_exists(client):
    response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    assert "No programme has been published yet." in response.content.decode()


def test_a_partnership_page_tells_its_journey_funding_and_themes(client):
    make_programme(2)
    partnership = PartnershipPhaseFactory(
        phase=PhaseFactory(number=3), award=Decimal("250000")
    ).partnership
    theme = ResearchThemeFactory(title="Regional inequalities")
    retired = ResearchThemeFactory(title="Old theme", retired=True)
    partnership.themes.add(theme, retired)

    html = client.get(partnership.get_absolute_url()).content.decode()

    assert html.count("<h1>") == 1
    assert f"<title>{partnership.name} | " in html
    assert "Journey through the programme" in html
    assert "£250,000" in html
    assert f'href="{theme.get_absolute_url()}"' in html
    assert "Old theme" not in html


def test_a_partnership_page_shows_dates_as_day_month_year(client):
    record = PartnershipPhaseFactory(
        starts_on="2024-04-01", ends_on="2027-03-31", award=None
    )
    html = client.get(record.partnership.get_absolute_url()).content.decode()
    assert '<time datetime="2024-04-01">1 April 2024</time>' in html
    assert '<time datetime="2027-03-31">31 March 2027</time>' in html
    assert "Award not known" in html


def test_an_unknown_partnership_is_not_found(client):
    response = client.get(reverse("partnerships:partnership_detail", args=["nope"]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_demo_programme_page_shows_the_lpip_figures(client):
    demo.load()
    html = client.get(LIST_URL).content.decode()
    assert "Up to £19.2 million" in html
    assert "Up to £19,200,000" in html
    assert "Rural Wales LPIP" in html
    assert "National Coordinating Centre for Public Participation" in html
    assert "Arts and Humanities Research Council" in html


def test_a_partnership_in_no_phase_yet_is_listed_with_its_place(client):
    make_programme(2)
    PartnershipFactory(name="Newcomer LPIP", region="Fife", nation="scotland")
    html = client.get(LIST_URL).content.decode()
    unphased = html.split("Not yet recorded in a phase", 1)[1]
    assert "Newcomer LPIP</a></h4>" in unphased
    assert '<p class="meta">Fife, Scotland</p>' in unphased


def test_the_programme_figures_follow_the_content_at_once(client, no_page_cache):
    programme = make_programme(2)
    assert "Northern Ireland (1)" in client.get(LIST_URL).content.decode()

    PartnershipFactory(nation="northern_ireland")
    phase = programme.phases.get(number=1)
    phase.name = "Renamed"
    phase.save()

    html = client.get(LIST_URL).content.decode()
    assert "Northern Ireland (2)" in html
    assert "<h3>Phase 1: Renamed</h3>" in html


def test_each_filter_keeps_its_own_count_of_pages(client, no_page_cache):
    make_programme(4)
    for n in range(30):
        PartnershipFactory(name=f"Extra {n:02}", nation="wales")
    assert "Page 1 of 2" in client.get(LIST_URL).content.decode()
    html = client.get(LIST_URL, {"nation": "northern_ireland"}).content.decode()
    assert 'aria-label="Pagination"' not in html
    html = client.get(LIST_URL, {"phase": "2", "nation": "wales"}).content.decode()
    assert 'aria-label="Pagination"' not in html
