"""The institute's models keep their own rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from institute.models import InstituteProfile, Objective, Page, ResearchTheme
from tests.factories import (
    InstituteProfileFactory,
    ObjectiveFactory,
    PageFactory,
    PersonFactory,
    ResearchThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_profile():
    profile = InstituteProfileFactory()
    fields = {"name": profile.name, "university": profile.university}
    with pytest.raises(IntegrityError):
        InstituteProfile.objects.create(**fields)


def test_the_database_refuses_a_profile_that_is_not_the_singleton():
    with pytest.raises(IntegrityError):
        InstituteProfile.objects.create(singleton=False, name="Another")


def test_the_address_ends_with_the_postcode_and_country():
    profile = InstituteProfileFactory(address="PO Box 147\n\n Liverpool ")
    assert profile.address_lines == [
        "PO Box 147",
        "Liverpool",
        "L69 3BX",
        "United Kingdom",
    ]


def test_the_map_link_searches_for_the_postcode_without_a_location():
    profile = InstituteProfileFactory()
    # The postcode's space encoded: a URL may not contain one.
    assert profile.map_url == "https://www.openstreetmap.org/search?query=L69%203BX"


def test_the_map_link_points_at_the_location_when_there_is_one():
    profile = InstituteProfileFactory(
        latitude=Decimal("53.406600"), longitude=Decimal("-2.966700")
    )
    assert "mlat=53.406600&mlon=-2.966700" in profile.map_url


def test_objectives_come_in_their_editors_order():
    ObjectiveFactory(title="Inform", order=4)
    ObjectiveFactory(title="Lead", order=1)
    ObjectiveFactory(title="Convene", order=2)
    assert [o.title for o in Objective.objects.all()] == ["Lead", "Convene", "Inform"]


def test_retired_themes_are_not_active():
    live = ResearchThemeFactory()
    ResearchThemeFactory(retired=True)
    assert list(ResearchTheme.objects.public()) == [live]


def test_only_published_pages_are_published():
    page = PageFactory(published=True)
    PageFactory(published=False)
    assert list(Page.objects.public()) == [page]


@pytest.mark.parametrize("slug", ["about", "people", "Blog", "healthz", "admin"])
def test_a_page_may_not_take_a_slug_the_site_uses(slug):
    page = PageFactory.build(slug=slug)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "already used by another part of the site" in str(
        error.value.message_dict["slug"]
    )


def test_a_page_may_take_any_other_slug():
    PageFactory.build(slug="about-us").full_clean()


def test_a_photo_needs_a_description():
    photo = SimpleUploadedFile("face.gif", b"GIF89a", content_type="image/gif")
    person = PersonFactory.build(photo=photo, photo_alt=" ")
    with pytest.raises(ValidationError) as error:
        person.clean()
    assert "photo_alt" in error.value.message_dict


def test_a_person_is_shown_with_their_honorific():
    assert PersonFactory.build(honorific="Dr", name="Tom Arnold").display_name == (
        "Dr Tom Arnold"
    )
    assert PersonFactory.build(name="Belinda").display_name == "Belinda"
