from decimal import Decimal

import pytest

from tests.factories import PhaseFactory, ProgrammeFactory


@pytest.fixture
def phases():
    """A programme's two phases: ten partnerships, then awards of up to £4.8m."""
    programme = ProgrammeFactory()
    return (
        PhaseFactory(programme=programme, number=1, partnerships_funded=10),
        PhaseFactory(programme=programme, number=2, max_award=Decimal("4800000")),
    )


@pytest.fixture
def no_page_cache(settings):
    """Measure the view itself, not the anonymous page cache in front of it."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("PageCacheMiddleware")
    ]
