import pytest
from django.contrib.auth.models import Group

from blog.roles import EDITORS, ensure_roles
from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    """A staff user in the Editors group, as `manage.py ensure_editor` makes."""
    user = UserFactory(staff=True)
    ensure_roles()
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
