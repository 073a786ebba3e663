from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import factory
import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory
from pypdf import PdfWriter

from blog.roles import CONTRIBUTORS, EDITORS, ensure_roles
from tests.factories import member

LONDON = ZoneInfo("Europe/London")


class PublishedTraits:
    published = factory.Trait(
        status="published",
        published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
    )


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = "work.Project"

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "A project of the institute."

    Params = PublishedTraits


class PublicationFactory(DjangoModelFactory):
    class Meta:
        model = "work.Publication"

    title = factory.Sequence(lambda n: f"Publication {n}")
    slug = factory.Sequence(lambda n: f"publication-{n}")
    summary = "A report of the institute."

    Params = PublishedTraits


class PublicationAuthorFactory(DjangoModelFactory):
    class Meta:
        model = "work.PublicationAuthor"

    publication = factory.SubFactory(PublicationFactory)
    person = factory.SubFactory("tests.factories.PersonFactory")


class EventFactory(DjangoModelFactory):
    class Meta:
        model = "work.Event"

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "A talk at the institute."
    venue = "Liverpool"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))

    Params = PublishedTraits


def pdf_bytes(pages=1):
    """A real, small PDF, as a writer makes it."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def roles(db):
    ensure_roles()


@pytest.fixture
def editor(roles):
    return member(EDITORS, "edith")


@pytest.fixture
def contributor(roles):
    return member(CONTRIBUTORS, "connor")


def london(*args):
    return datetime(*args, tzinfo=LONDON)
