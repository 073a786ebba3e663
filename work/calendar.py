"""Events as iCalendar (RFC 5545), for calendar apps.

Start and end are written in UK time with TZID=Europe/London and the zone's
VTIMEZONE, so an event at 18:00 in July stays at 18:00 London time whatever
the reader's zone; the stamps RFC 5545 requires in UTC are in UTC.
"""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event as CalendarEvent

LONDON = ZoneInfo("Europe/London")
PRODUCT = "-//Heseltine Institute//Events//EN"


def _uid(event):
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).netloc or 'localhost'}"


def ics(events):
    """An iCalendar file (bytes) of `events`."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Heseltine Institute events")
    calendar.add("x-wr-timezone", "Europe/London")
    now = timezone.now()
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", _uid(event))
        entry.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
        entry.add("dtstart", event.starts_at.astimezone(LONDON))
        entry.add("dtend", event.ends_at.astimezone(LONDON))
        entry.add("last-modified", event.updated_at.astimezone(ZoneInfo("UTC")))
        entry.add("summary", event.title)
        entry.add("description", event.summary)
        entry.add("location", event.where)
        entry.add("url", settings.SITE_URL + event.get_absolute_url())
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
