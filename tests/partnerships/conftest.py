from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import PhaseFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def theme_pages(settings):
    """Give theme links a target until the institute's theme pages are merged."""
    try:
        reverse("institute:theme_detail", kwargs={"slug": "any"})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.partnerships.urls"


@pytest.fixture
def phases():
    """A programme's two phases: ten partnerships, then awards of up to £4.8m."""
    programme = ProgrammeFactory()
    return (
        PhaseFactory(programme=programme, number=1, partnerships_funded=10),
        PhaseFactory(programme=programme, number=2, max_award=Decimal("4800000")),
    )
