import pytest

from blog.roles import editors_group
from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    """A staff user in the Editors group, as `manage.py ensure_editor` makes."""
    user = UserFactory(staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
