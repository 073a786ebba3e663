"""Site search finds public projects, publications and events, on either database."""

import re

import pytest
from django.db import connection

from heseltine.search import KINDS, search
from tests.factories import ResearchThemeFactory
from tests.work.conftest import (
    EventFactory,
    ProjectFactory,
    PublicationFactory,
    london,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def found(client, query, **filters):
    response = client.get("/search/", {"q": query, **filters})
    return re.findall(r'<h3><a href="([^"]+)">', response.content.decode())


def test_projects_publications_and_events_are_found_by_their_words(client):
    project = ProjectFactory(
        published=True,
        title="Office for Civic Imagination",
        body="<p>Innovators explore public policy.</p>",
    )
    publication = PublicationFactory(
        published=True,
        title="The State of Liverpool City Region",
        summary="Devolution and a newly elected mayor.",
    )
    event = EventFactory(
        published=True, title="Wellbeing evening", venue="Guild Hall, Liverpool"
    )

    assert found(client, "imagination") == [project.get_absolute_url()]
    assert found(client, "innovators") == [project.get_absolute_url()]
    assert found(client, "devolution") == [publication.get_absolute_url()]
    assert found(client, "guild hall") == [event.get_absolute_url()]


def test_drafts_and_scheduled_items_are_not_found(client, time_machine):
    time_machine.move_to(london(2025, 5, 1, 9), tick=False)
    ProjectFactory(title="Hidden imagination")
    PublicationFactory(
        title="Future imagination",
        status="published",
        published_at=london(2025, 5, 2, 9),
    )
    EventFactory(title="Imagination draft event")

    assert found(client, "imagination") == []


def test_results_are_labelled_and_filtered_by_kind_and_theme(client):
    theme = ResearchThemeFactory()
    project = ProjectFactory(published=True, title="Housing project")
    project.themes.add(theme)
    PublicationFactory(published=True, title="Housing report")
    event = EventFactory(published=True, title="Housing talk")

    page = client.get("/search/", {"q": "housing"}).content.decode()
    assert '<span class="search-kind">Project</span>' in page
    assert '<span class="search-kind">Publication</span>' in page
    assert '<span class="search-kind">Event</span>' in page
    assert found(client, "housing", kind="event") == [event.get_absolute_url()]
    assert found(client, "housing", theme=theme.slug) == [project.get_absolute_url()]


@on_postgresql
@pytest.mark.parametrize(
    ("kind", "index"),
    [
        ("project", "project_search_idx"),
        ("publication", "publication_search_idx"),
        ("event", "event_search_idx"),
    ],
)
def test_postgresql_answers_each_new_kind_from_its_gin_index(kind, index):
    table = next(k for k in KINDS if k.key == kind).model._meta.db_table
    matches = search("housing", kind=kind)
    with connection.cursor() as cursor:
        # Leave the planner only the GIN index; the test's transaction puts
        # the others back.
        cursor.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        for (other,) in cursor.fetchall():
            if other != index:
                cursor.execute(f"DROP INDEX {other}")
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert f"Bitmap Index Scan on {index}" in matches.explain(verbose=True)
