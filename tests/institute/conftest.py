import pytest

from institute.services import editors_group_ensure
from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    """A staff user in the Editors group, as `manage.py ensure_editor` makes."""
    user = UserFactory(staff=True)
    user.groups.add(editors_group_ensure())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
