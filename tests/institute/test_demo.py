"""The demo content carries the seeds' facts into the site."""

from http import HTTPStatus

import pytest

from institute import demo
from institute.models import (
    InstituteProfile,
    Objective,
    Page,
    Person,
    Pillar,
    ResearchTheme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    demo.load()


def test_the_profile_holds_the_directory_facts(loaded):
    profile = InstituteProfile.objects.get()
    assert profile.name == "Heseltine Institute for Public Policy, Practice and Place"
    assert profile.university == "University of Liverpool"
    assert profile.faculty_theme == "Sustainable and Resilient Cities"
    assert profile.offers_funding is False
    assert profile.address_lines == [
        "PO Box 147",
        "Liverpool",
        "L69 3BX",
        "United Kingdom",
    ]


def test_the_four_objectives_are_in_order(loaded):
    assert list(Objective.objects.values_list("title", flat=True)) == [
        "Lead",
        "Convene",
        "Broker",
        "Inform",
    ]


def test_the_three_themes_have_questions_and_focus_areas(loaded):
    themes = ResearchTheme.objects.public().prefetch_related("focus_areas")
    assert [(theme.title, len(theme.focus_areas.all())) for theme in themes] == [
        ("Future of cities and city regions", 5),
        ("Regional inequalities", 4),
        ("Public service reform", 2),
    ]
    assert all(theme.question.endswith("?") for theme in themes)


def test_the_four_pillars_list_the_research_areas_of_the_first(loaded):
    pillars = list(Pillar.objects.prefetch_related("research_areas"))
    assert len(pillars) == 4
    assert len(pillars[0].research_areas.all()) == 10
    assert "English devolution" in [a.title for a in pillars[0].research_areas.all()]


def test_the_blog_authors_are_people_without_invented_roles(loaded):
    people = {person.slug: person for person in Person.objects.all()}
    assert set(people) == {
        "cleo-hachem",
        "tom-arnold",
        "joanna-hayes",
        "james-hickson",
        "belinda",
    }
    assert people["tom-arnold"].display_name == "Dr Tom Arnold"
    assert {p.role for p in people.values()} == {""}
    assert {p.group for p in people.values()} == {Person.Group.AUTHOR}


def test_the_pages_are_published_and_the_policies_are_in_the_footer(loaded):
    pages = Page.objects.public()
    assert set(pages.values_list("slug", flat=True)) == {
        "about-us",
        "accessibility-statement",
        "privacy-notice",
    }
    assert list(
        pages.filter(show_in_footer=True)
        .order_by("footer_order")
        .values_list("title", flat=True)
    ) == ["Accessibility statement", "Privacy notice"]
    about_us = pages.get(slug="about-us")
    assert "Social innovation and the social economy" in about_us.body
    assert about_us.body.count("<li>") == 3


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/about/",
        "/themes/",
        "/themes/regional-inequalities/",
        "/people/",
        "/people/tom-arnold/",
        "/about-us/",
        "/accessibility-statement/",
        "/privacy-notice/",
    ],
)
def test_every_demo_page_is_public(client, loaded, url):
    assert client.get(url).status_code == HTTPStatus.OK
