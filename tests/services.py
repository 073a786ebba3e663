"""What a test does when a service it needs is not on this machine."""

import os

import pytest


def missing_service(reason):
    """Skip the test, or fail it where CI says every service must be there.

    `.ci/run` sets REQUIRE_SERVICES=1, so an outage test that could not stop a
    real service never passes CI by being skipped.
    """
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)
