"""Each work page in a real browser, checked with axe at 1280 and at 320 px."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnerships.models import Organisation
from tests.factories import PersonFactory, ResearchThemeFactory
from tests.work.conftest import EventFactory, PublicationAuthorFactory
from work.models import Project, Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[1280, 320], ids=["1280px", "320px"])
def narrow_or_wide(request, browser, live_server):
    context = browser.new_context(
        viewport={"width": request.param, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def work():
    call_command("load_demo_content", verbosity=0)
    theme = ResearchThemeFactory(title="Regional inequalities")
    speaker = PersonFactory(name="Ada Speaker", honorific="Dr")
    project = Project.objects.get(slug="office-for-civic-imagination")
    project.themes.add(theme)
    project.people.add(speaker)
    publication = Publication.objects.get()
    PublicationAuthorFactory(publication=publication, person=speaker)
    project.publications.add(publication)
    start = timezone.now() + timedelta(days=10)
    upcoming = EventFactory(
        published=True,
        title="Devolution in practice",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        is_online=True,
        booking_url="https://example.org/book",
    )
    upcoming.speakers.add(speaker)
    upcoming.themes.add(theme)
    EventFactory(
        published=True,
        title="An earlier seminar",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30, hours=-2),
        recording_url="https://example.org/watch",
    )
    return {
        "projects": "/projects/",
        "project": project.get_absolute_url(),
        "publications": "/publications/",
        "publication": publication.get_absolute_url(),
        "events": "/events/",
        "event": upcoming.get_absolute_url(),
        "organisation": Organisation.objects.get(
            name="Engage Liverpool"
        ).get_absolute_url(),
        # A person's page with their projects, publications and events.
        "person": speaker.get_absolute_url(),
    }


def fits(page):
    """Nothing in the page's main content reaches past the window's edge.

    The main content only: the header's search form is the site frame's
    (static/css/site.css, issue 17's design work), not these pages'.
    """
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll("main *")].every(
                (element) => element.getBoundingClientRect().right <= width + 0.5
            );
        }"""
    )


@pytest.mark.parametrize(
    "name",
    [
        "projects",
        "project",
        "publications",
        "publication",
        "events",
        "event",
        "organisation",
        "person",
    ],
)
def test_each_work_page_is_accessible_and_fits(
    work, narrow_or_wide, assert_accessible, name
):
    narrow_or_wide.goto(work[name])
    assert narrow_or_wide.locator("h1").count() == 1
    assert_accessible(narrow_or_wide)
    assert fits(narrow_or_wide), f"{name} scrolls sideways"
    assert narrow_or_wide.console_errors == []


def test_the_empty_events_page_is_accessible(narrow_or_wide, assert_accessible):
    call_command("load_demo_content", verbosity=0)
    narrow_or_wide.goto("/events/")
    assert "No events are planned at the moment." in narrow_or_wide.content()
    assert_accessible(narrow_or_wide)
    assert fits(narrow_or_wide)
