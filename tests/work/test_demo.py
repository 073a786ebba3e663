"""The demo's projects and publication say what the About seed says, no more."""

from http import HTTPStatus

import pytest
from django.core.management import call_command

from partnerships.models import Organisation
from work.models import Event, Project, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_content", verbosity=0)


def test_the_demo_has_the_six_projects_the_seed_names_with_their_partners(demo):
    partners = {
        project.title: {organisation.name for organisation in project.partners.all()}
        for project in Project.objects.public()
    }
    assert partners == {
        "Liverpool City Region Social Economy Panel": set(),
        "Community Wellbeing evidence programme": {
            "What Works Centre for Wellbeing",
            "New Economics Foundation",
        },
        "Prosocial Place Programme": set(),
        "Health governance in the Liverpool City Region": set(),
        "Office for Civic Imagination": {
            "Engage Liverpool",
            "LUISS University Rome",
            "Fordham Law School, New York",
        },
        "A decision-making model for the city region": {
            "Merseytravel",
            "LEP",
            "Liverpool CCG",
            "Hartree (SFTC)",
        },
    }


def test_the_panel_gives_the_seeds_figures_for_the_sector(demo):
    body = Project.objects.get(slug="liverpool-city-region-social-economy-panel").body
    assert "£4 billion" in body
    assert "40,000 people" in body


def test_the_demo_claims_no_dates_people_or_themes_the_seed_does_not_give(demo):
    for project in Project.objects.all():
        assert project.started_on is None
        assert project.ended_on is None
        assert not project.people.exists()
        assert not project.themes.exists()
    assert not Event.objects.exists()


def test_the_one_publication_is_credited_to_the_executive_director_only(demo):
    publication = Publication.objects.get()
    assert publication.title == (
        "The State of Liverpool City Region: making the most of devolution"
    )
    assert publication.credit == "The institute’s Executive Director"
    assert not publication.authors.exists()
    assert publication.year is None
    assert not publication.pdf
    assert publication.external_url == ""


def test_the_demo_partners_have_pages_of_their_own(client, demo):
    organisation = Organisation.objects.get(name="Engage Liverpool")
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "Office for Civic Imagination" in response.content.decode()


def test_the_demo_events_page_shows_its_empty_state(client, demo):
    page = client.get("/events/").content.decode()
    assert "No events are planned at the moment." in page


def test_the_demo_publication_claims_no_kind_or_publisher(client, demo):
    publication = Publication.objects.get()
    page = client.get(publication.get_absolute_url()).content.decode()
    assert publication.kind == ""
    assert publication.publisher == ""
    assert "Report" not in page
