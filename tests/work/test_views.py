"""The public pages of projects, publications, events and organisations."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PostAuthorFactory,
    PostFactory,
    ProgrammeRoleFactory,
    ResearchThemeFactory,
)
from tests.work.conftest import (
    EventFactory,
    ProjectFactory,
    PublicationAuthorFactory,
    PublicationFactory,
    london,
)

pytestmark = pytest.mark.django_db


# What the public sees


@pytest.mark.parametrize(
    "factory",
    [ProjectFactory, PublicationFactory, EventFactory],
    ids=lambda f: f._meta.model.__name__,
)
def test_a_draft_is_hidden_and_a_published_item_is_listed(client, factory):
    draft = factory(title="Secret draft")
    live = factory(published=True, title="Public item")
    model = factory._meta.model
    list_url = f"/{model._meta.verbose_name_plural}/"

    page = client.get(list_url).content.decode()

    assert "Public item" in page
    assert "Secret draft" not in page
    assert client.get(live.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "factory",
    [ProjectFactory, PublicationFactory, EventFactory],
    ids=lambda f: f._meta.model.__name__,
)
def test_a_scheduled_item_goes_live_at_its_time(client, time_machine, factory):
    time_machine.move_to(london(2025, 3, 1, 9), tick=False)
    item = factory(status="published", published_at=london(2025, 3, 1, 10))
    assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND

    time_machine.shift(timedelta(hours=1))
    assert client.get(item.get_absolute_url()).status_code == HTTPStatus.OK


def test_an_editor_previews_a_draft_project_and_the_preview_is_not_cached(
    client, editor
):
    draft = ProjectFactory(title="Work in progress")
    client.force_login(editor)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert (
        "not published: only its author and the editors can see this page"
        in response.content.decode()
    )
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_project_page_shows_its_partners_people_posts_and_publications(client):
    partner = OrganisationFactory(name="Engage Liverpool")
    person = PersonFactory(name="Ada Lovelace", honorific="Dr")
    post = PostFactory(published=True, title="What the panel found")
    PostAuthorFactory(post=post)
    draft_post = PostFactory(title="Unpublished thoughts")
    publication = PublicationFactory(published=True, title="The panel's report")
    hidden = PublicationFactory(title="Draft report")
    project = ProjectFactory(
        published=True,
        body="<p>Body text</p><script>alert(1)</script>",
        started_on=london(2024, 1, 15).date(),
    )
    project.partners.add(partner)
    project.people.add(person)
    project.posts.add(post, draft_post)
    project.publications.add(publication, hidden)

    page = client.get(project.get_absolute_url()).content.decode()

    assert f'href="{partner.get_absolute_url()}">Engage Liverpool</a>' in page
    assert "Dr Ada Lovelace" in page
    assert "What the panel found" in page
    assert "The panel's report" in page or "The panel&#39;s report" in page
    assert "Unpublished thoughts" not in page
    assert "Draft report" not in page
    assert "<script>alert" not in page
    assert '<time datetime="2024-01-15">15 January 2024</time>' in page


def test_a_publication_page_gives_authors_a_citation_and_its_pdf_link(client):
    publication = PublicationFactory(
        published=True,
        title="The State of the Region",
        year=2016,
        publisher="Heseltine Institute for Public Policy, Practice and Place, "
        "University of Liverpool",
        pdf="publications/report.pdf",
    )
    PublicationAuthorFactory(
        publication=publication,
        person=PersonFactory(name="Grace Hopper", honorific="Professor"),
        order=1,
    )
    PublicationAuthorFactory(
        publication=publication, person=PersonFactory(name="Alan Turing"), order=0
    )

    page = client.get(publication.get_absolute_url()).content.decode()

    assert "By <a" in page
    assert page.index("Alan Turing") < page.index("Grace Hopper")
    assert (
        "Alan Turing, Professor Grace Hopper (2016) The State of the Region. "
        "Heseltine Institute for Public Policy, Practice and Place, "
        "University of Liverpool." in page
    )
    assert f'href="/publications/{publication.slug}/pdf/"' in page


def test_a_publication_without_a_copy_or_a_named_author_says_so(client):
    publication = PublicationFactory(
        published=True, title="A report", credit="The institute’s Executive Director"
    )

    page = client.get(publication.get_absolute_url()).content.decode()

    assert "No copy of this publication is available on this site." in page
    assert "By The institute’s Executive Director" in page
    # No year, no publisher recorded: the citation claims neither.
    assert "The institute’s Executive Director (n.d.) A report.</textarea>" in page


def test_the_events_page_has_an_empty_state_and_links_its_calendar_feed(client):
    page = client.get("/events/").content.decode()

    assert "No events are planned at the moment." in page
    assert "There are no past events to show yet." in page
    assert (
        '<link rel="alternate" type="text/calendar" title="Heseltine Institute: '
        'upcoming events" href="/events/calendar.ics">' in page
    )


def test_events_are_split_into_upcoming_soonest_first_and_past_latest_first(
    client, time_machine
):
    time_machine.move_to(london(2025, 6, 10, 12), tick=False)
    EventFactory(
        published=True,
        title="Later talk",
        starts_at=london(2025, 7, 1, 18),
        ends_at=london(2025, 7, 1, 20),
    )
    EventFactory(
        published=True,
        title="Sooner talk",
        starts_at=london(2025, 6, 20, 18),
        ends_at=london(2025, 6, 20, 20),
    )
    EventFactory(
        published=True,
        title="Old talk",
        starts_at=london(2025, 1, 5, 18),
        ends_at=london(2025, 1, 5, 20),
    )
    EventFactory(
        published=True,
        title="Older talk",
        starts_at=london(2024, 11, 5, 18),
        ends_at=london(2024, 11, 5, 20),
    )

    page = client.get("/events/").content.decode()
    upcoming, past = page.split('id="past-heading"')

    assert upcoming.index("Sooner talk") < upcoming.index("Later talk")
    assert past.index("Old talk") < past.index("Older talk")
    assert "Old talk" not in upcoming
    # Summer time: 18:00 in London is 17:00 UTC, and shown as 18:00.
    assert (
        '<time datetime="2025-06-20T18:00:00+01:00">20 June 2025, 18:00</time>' in page
    )
    assert "20:00</time> (UK time)" in page


def test_an_ended_event_offers_its_recording_not_booking(client, time_machine):
    time_machine.move_to(london(2025, 6, 10, 12), tick=False)
    event = EventFactory(
        published=True,
        starts_at=london(2025, 6, 1, 18),
        ends_at=london(2025, 6, 1, 20),
        booking_url="https://example.org/book",
        recording_url="https://example.org/watch",
    )

    page = client.get(event.get_absolute_url()).content.decode()

    assert "This event has ended." in page
    assert "https://example.org/watch" in page
    assert "https://example.org/book" not in page


def test_an_organisation_page_shows_everything_it_is_part_of(client):
    organisation = OrganisationFactory(name="University of Somewhere")
    role = ProgrammeRoleFactory(organisation=organisation, note="Since the start")
    partnership = PartnershipFactory(lead_organisation=organisation, name="North PIP")
    project = ProjectFactory(published=True, title="Civic imagination")
    project.partners.add(organisation)
    ProjectFactory(title="A draft project").partners.add(organisation)

    response = client.get(f"/organisations/{organisation.slug}/")
    page = response.content.decode()

    assert organisation.slug == "university-of-somewhere"
    assert response.status_code == HTTPStatus.OK
    assert f'Academic partner, <a href="{role.programme.get_absolute_url()}">' in page
    assert "Since the start" in page
    assert f'Leads <a href="{partnership.get_absolute_url()}">North PIP</a>' in page
    assert "Civic imagination" in page
    assert "A draft project" not in page


def test_an_organisation_that_is_part_of_nothing_says_so(client):
    organisation = OrganisationFactory()
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Nothing the institute publishes names this organisation yet." in page


def test_organisations_with_the_same_name_start_get_distinct_addresses():
    first = OrganisationFactory(name="Engage")
    second = OrganisationFactory(name="Engage!")
    assert (first.slug, second.slug) == ("engage", "engage-2")


def test_a_persons_page_lists_their_public_projects_publications_and_events(client):
    person = PersonFactory(name="Mary Somerville")
    ProjectFactory(published=True, title="Her project").people.add(person)
    ProjectFactory(title="Her draft project").people.add(person)
    PublicationAuthorFactory(
        person=person,
        publication=PublicationFactory(published=True, title="Her report"),
    )
    EventFactory(published=True, title="Her talk").speakers.add(person)

    page = client.get(person.get_absolute_url()).content.decode()

    assert "Her project" in page
    assert "Her draft project" not in page
    assert "Her report" in page
    assert "Her talk" in page


def test_a_post_links_to_its_publications_and_projects(client):
    post = PostFactory(published=True)
    PostAuthorFactory(post=post)
    PublicationFactory(published=True, title="Linked report").posts.add(post)
    ProjectFactory(published=True, title="Linked project").posts.add(post)
    ProjectFactory(title="Hidden project").posts.add(post)

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Linked report" in page
    assert "Linked project" in page
    assert "Hidden project" not in page


def test_the_navigation_links_the_new_sections(client):
    page = client.get("/projects/").content.decode()
    assert '<a href="/projects/" aria-current="page">Projects</a>' in page
    assert '<a href="/publications/">Publications</a>' in page
    assert '<a href="/events/">Events</a>' in page


# Query budgets: the same number of queries with one row as with many.


def _fill(size):
    theme = ResearchThemeFactory()
    people = [PersonFactory() for _ in range(2)]
    for _ in range(size):
        project = ProjectFactory(published=True)
        project.themes.add(theme)
        project.people.add(*people)
        project.partners.add(OrganisationFactory())
        publication = PublicationFactory(published=True)
        publication.themes.add(theme)
        for person in people:
            PublicationAuthorFactory(publication=publication, person=person)
        project.publications.add(publication)
        upcoming = EventFactory(published=True)
        past = EventFactory(
            published=True,
            starts_at=timezone.now() - timedelta(days=3),
            ends_at=timezone.now() - timedelta(days=3, hours=-2),
        )
        for event in (upcoming, past):
            event.themes.add(theme)
            event.speakers.add(*people)
    return project, publication, upcoming


# Sessions and the content stamp are not content: count only the page's own.
BUDGETS = {
    "projects": 3,  # count, page, themes
    "project": 6,  # project, themes, people, partners, publications, posts
    "publications": 4,  # count, page, themes, authors
    "publication": 5,  # publication, themes, authors, projects, posts
    "events": 4,  # count, past page, upcoming, the themes of both
    "event": 3,  # event, themes, speakers
    "calendar": 1,
    "organisation": 4,  # organisation, roles, led partnerships, projects
}


@pytest.mark.parametrize("size", [1, 12])
def test_each_page_costs_a_fixed_number_of_queries(
    client, no_page_cache, django_assert_num_queries, size
):
    project, publication, event = _fill(size)
    organisation = project.partners.get()
    urls = {
        "projects": "/projects/",
        "project": project.get_absolute_url(),
        "publications": "/publications/",
        "publication": publication.get_absolute_url(),
        "events": "/events/",
        "event": event.get_absolute_url(),
        "calendar": "/events/calendar.ics",
        "organisation": organisation.get_absolute_url(),
    }
    client.get("/projects/")  # the content stamp, once
    for name, url in urls.items():
        with django_assert_num_queries(BUDGETS[name]):
            assert client.get(url).status_code == HTTPStatus.OK, name


def test_an_event_page_describes_the_event_for_search_engines(client):
    import json
    import re

    event = EventFactory(
        published=True,
        title="Devolution in practice",
        venue="Guild Hall",
        is_online=True,
        starts_at=london(2030, 7, 1, 18),
        ends_at=london(2030, 7, 1, 20),
    )
    event.speakers.add(PersonFactory(name="Ada Speaker", honorific="Dr"))

    page = client.get(event.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    data = next(d for d in map(json.loads, scripts) if d["@type"] == "Event")

    assert data["name"] == "Devolution in practice"
    assert data["startDate"] == "2030-07-01T18:00:00+01:00"
    assert data["eventAttendanceMode"] == (
        "https://schema.org/MixedEventAttendanceMode"
    )
    assert [place["@type"] for place in data["location"]] == [
        "Place",
        "VirtualLocation",
    ]
    assert data["performer"][0]["name"] == "Dr Ada Speaker"


def test_a_cached_list_shows_a_scheduled_project_when_its_time_comes(
    client, time_machine
):
    time_machine.move_to(london(2025, 3, 1, 9), tick=False)
    ProjectFactory(
        title="Coming soon", status="published", published_at=london(2025, 3, 1, 10)
    )
    assert "Coming soon" not in client.get("/projects/").content.decode()
    assert "Coming soon" not in client.get("/projects/").content.decode()

    time_machine.shift(timedelta(hours=1))
    assert "Coming soon" in client.get("/projects/").content.decode()


def test_a_cached_events_page_moves_an_event_to_past_when_it_ends(client, time_machine):
    time_machine.move_to(london(2025, 3, 1, 17), tick=False)
    EventFactory(
        published=True,
        title="Evening talk",
        starts_at=london(2025, 3, 1, 18),
        ends_at=london(2025, 3, 1, 20),
    )
    upcoming, _ = client.get("/events/").content.decode().split('id="past-heading"')
    assert "Evening talk" in upcoming

    time_machine.shift(timedelta(hours=3))
    upcoming, past = client.get("/events/").content.decode().split('id="past-heading"')
    assert "Evening talk" not in upcoming
    assert "Evening talk" in past


def test_the_programme_and_partnership_pages_link_organisations_to_their_pages(
    client,
):
    from partnerships import demo

    demo.load()
    from partnerships.models import Organisation

    involve = Organisation.objects.get(name="Involve")
    lead = OrganisationFactory(name="Leading Light")
    partnership = PartnershipFactory(lead_organisation=lead)

    programme_page = client.get("/partnerships/").content.decode()
    partnership_page = client.get(partnership.get_absolute_url()).content.decode()

    assert f'<a href="/organisations/{involve.slug}/">Involve</a>' in programme_page
    assert f'<a href="/organisations/{lead.slug}/">Leading Light</a>' in (
        partnership_page
    )


def test_event_times_in_the_markup_have_no_fractions_of_a_second(client):
    import re

    start = timezone.now().replace(microsecond=123456) + timedelta(days=3)
    event = EventFactory(
        published=True, starts_at=start, ends_at=start + timedelta(hours=1)
    )

    for url in ("/events/", event.get_absolute_url()):
        page = client.get(url).content.decode()
        stamps = re.findall(r'<time datetime="([^"]+)"', page)
        assert stamps
        assert not [stamp for stamp in stamps if "." in stamp]


def test_a_contributor_previews_their_own_draft_but_not_anothers(client, contributor):
    from blog.roles import CONTRIBUTORS
    from tests.factories import member

    mine = ProjectFactory(title="My draft", created_by=contributor)
    theirs = ProjectFactory(title="Their draft", created_by=member(CONTRIBUTORS, "o"))
    client.force_login(contributor)

    assert client.get(mine.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.get(theirs.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
