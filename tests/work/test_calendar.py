"""Events as iCalendar files: parsed back with icalendar, times checked."""

from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.conf import settings
from icalendar import Calendar

from tests.work.conftest import EventFactory, london

pytestmark = pytest.mark.django_db


def parsed(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_an_events_file_gives_its_times_in_london_time_with_the_zone(
    client, time_machine
):
    time_machine.move_to(london(2025, 6, 1, 9), tick=False)
    event = EventFactory(
        published=True,
        title="Devolution at ten",
        venue="Liverpool",
        starts_at=london(2025, 7, 1, 18),
        ends_at=london(2025, 7, 1, 20),
    )

    response = client.get(f"/events/{event.slug}/calendar.ics")
    calendar = parsed(response)
    entry = calendar.events[0]

    assert response["Content-Disposition"] == (
        f'attachment; filename="{event.slug}.ics"'
    )
    assert str(entry["summary"]) == "Devolution at ten"
    assert str(entry["location"]) == "Liverpool"
    assert entry["url"] == settings.SITE_URL + event.get_absolute_url()
    # 18:00 in London in July (BST) is 17:00 UTC.
    start, end = entry.decoded("dtstart"), entry.decoded("dtend")
    assert start.astimezone(UTC) == datetime(2025, 7, 1, 17, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2025, 7, 1, 19, tzinfo=UTC)
    assert entry["dtstart"].params["TZID"] == "Europe/London"
    assert b"DTSTART;TZID=Europe/London:20250701T180000" in response.content
    assert [zone["tzid"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    # RFC 5545: DTSTAMP is in UTC.
    assert entry.decoded("dtstamp") == datetime(2025, 6, 1, 8, tzinfo=UTC)
    assert b"DTSTAMP:20250601T080000Z" in response.content


def test_a_winter_event_is_at_the_same_hour_in_utc(client):
    event = EventFactory(
        published=True,
        starts_at=london(2030, 1, 15, 18),
        ends_at=london(2030, 1, 15, 19, 30),
    )

    entry = parsed(client.get(f"/events/{event.slug}/calendar.ics")).events[0]

    assert entry.decoded("dtstart").astimezone(UTC) == datetime(
        2030, 1, 15, 18, tzinfo=UTC
    )


def test_the_feed_has_the_upcoming_public_events_only(client, time_machine):
    time_machine.move_to(london(2025, 6, 10, 12), tick=False)
    EventFactory(
        published=True,
        title="Coming up",
        starts_at=london(2025, 6, 20, 18),
        ends_at=london(2025, 6, 20, 20),
    )
    EventFactory(
        published=True,
        title="Over",
        starts_at=london(2025, 6, 1, 18),
        ends_at=london(2025, 6, 1, 20),
    )
    EventFactory(
        title="Draft",
        starts_at=london(2025, 6, 21, 18),
        ends_at=london(2025, 6, 21, 20),
    )

    calendar = parsed(client.get("/events/calendar.ics"))

    assert [str(event["summary"]) for event in calendar.events] == ["Coming up"]
    assert len({str(event["uid"]) for event in calendar.events}) == 1
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//Heseltine Institute")


def test_an_empty_feed_still_parses(client):
    calendar = parsed(client.get("/events/calendar.ics"))
    assert calendar.events == []


def test_a_draft_events_file_is_not_found(client):
    event = EventFactory()
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response.status_code == HTTPStatus.NOT_FOUND
