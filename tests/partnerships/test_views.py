"""The public programme page and partnership pages."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from partnerships import demo
from partnerships.models import Partnership
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


@pytest.mark.parametrize("size", [4, 40])
def test_the_programme_page_costs_ten_queries_then_none_whatever_its_size(
    client, django_assert_num_queries, no_page_cache, size
):
    # Profile and footer pages (2); programme, phases, challenges, roles and
    # nation counts (5); the partnership count (1); one page of partnerships
    # and their records (2): all kept until the content changes.
    make_programme(size)
    with django_assert_num_queries(10):
        response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    with django_assert_num_queries(0):
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
    assert "<dd>Up to £4.8 million (£4,800,000)</dd>" in html
    assert "<dd>Not stated</dd>" in html
    assert "Leads the programme" in html
    assert "Through a council" in html
    assert "<dd>10 (4 listed below)</dd>" in html
    assert 'style="' not in html
    # The only script is structured data, which no browser runs.
    assert html.count("<script") == html.count('<script type="application/ld+json">')


def test_funding_is_what_each_partnership_may_receive_never_a_total(client):
    make_programme(4)
    html = client.get(LIST_URL).content.decode()
    assert "Funding for each partnership" in html
    # Two "up to" awards do not add up to money committed.
    assert "£9.6 million" not in html
    main = html[html.index("<main") : html.index("</main>")]
    assert "committed" not in main.lower()
    assert "<svg" not in main  # no chart: the figures are text


def test_each_partnership_is_listed_once_with_its_journey(client):
    make_programme(2)  # the second partnership is in both phases
    in_both = Partnership.objects.filter(nation="wales").get()
    html = client.get(LIST_URL).content.decode()
    for name in Partnership.objects.values_list("name", flat=True):
        assert html.count(f">{name}</a></h3>") == 1
    journey = re.search(
        rf'aria-label="{in_both.name} through the phases">(.*?)</ol>', html, re.S
    ).group(1)
    assert re.search(
        r"<strong>Phase 1: [^<]+</strong>: Progressed to the next phase"
        r".*<strong>Phase 2: [^<]+</strong>: Funded · Up to £4.8 million",
        journey,
        re.S,
    )


def test_the_nations_are_a_plain_list_claiming_none_where_there_are_none(client):
    make_programme(4)
    PartnershipFactory(name="Somewhere LPIP", nation="not_stated")
    html = client.get(LIST_URL).content.decode()
    where = html[html.index('id="where"') :]
    assert "Northern Ireland: <a" in where
    assert ">2 partnerships<" in where
    assert "Nation not stated: <a" in where
    assert "Scotland" not in where
    assert "England" not in where
    assert 'href="?nation=wales#partnerships"' in where


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
    cards = response.context["cards"]
    assert len(cards) == 2
    # Each with its whole journey, phase 1 too.
    assert all(len(card["journey"]) == 2 for card in cards)


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
    assert "Award not stated" in html


def test_an_unknown_partnership_is_not_found(client):
    response = client.get(reverse("partnerships:partnership_detail", args=["nope"]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_demo_programme_page_shows_the_lpip_figures(client):
    demo.load()
    html = client.get(LIST_URL).content.decode()
    assert "Up to £4.8 million (£4,800,000)" in html
    assert "<dt>Over</dt><dd>3 years</dd>" in html
    assert "£19.2 million" not in html
    assert "Rural Wales LPIP" in html
    assert "National Coordinating Centre for Public Participation" in html
    assert "Arts and Humanities Research Council" in html


def test_a_partnership_in_no_phase_yet_is_listed_with_its_place(client):
    make_programme(2)
    PartnershipFactory(name="Newcomer LPIP", region="Fife", nation="scotland")
    html = client.get(LIST_URL).content.decode()
    card = re.search(r"Newcomer LPIP</a></h3>.*?</article>", html, re.S).group(0)
    assert '<p class="meta">Fife, Scotland</p>' in card
    assert "Not yet recorded in a phase." in card


def test_the_programme_figures_follow_the_content_at_once(client, no_page_cache):
    programme = make_programme(2)
    ireland = 'Northern Ireland: <a href="?nation=northern_ireland#partnerships">'
    assert f"{ireland}1 partnership<" in client.get(LIST_URL).content.decode()

    PartnershipFactory(nation="northern_ireland")
    phase = programme.phases.get(number=1)
    phase.name = "Renamed"
    phase.save()

    html = client.get(LIST_URL).content.decode()
    assert f"{ireland}2 partnerships<" in html
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


def test_a_partnership_page_rendered_afresh_runs_no_query_then_shows_an_edit_at_once(
    client, django_assert_num_queries, no_page_cache
):
    make_programme(4)
    partnership = PartnershipFactory(name="Tees Valley")
    client.get(partnership.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(partnership.get_absolute_url())
    assert response.status_code == HTTPStatus.OK

    partnership.name = "Tees Valley and Durham"
    partnership.save()
    partnership.themes.add(ResearchThemeFactory(title="Coastal towns"))
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "Tees Valley and Durham" in html
    assert "Coastal towns" in html


def test_an_address_not_found_is_not_kept_for_the_partnership_that_takes_it(
    client, no_page_cache
):
    url = reverse("partnerships:partnership_detail", args=["tees-valley"])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    PartnershipFactory(slug="tees-valley")
    assert client.get(url).status_code == HTTPStatus.OK


def test_a_new_partnership_shows_at_once_on_the_programme_page(client, no_page_cache):
    make_programme(4)
    client.get(LIST_URL)
    PartnershipFactory(name="Aaa first by name")
    assert "Aaa first by name" in client.get(LIST_URL).content.decode()
