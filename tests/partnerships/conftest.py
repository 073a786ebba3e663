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
