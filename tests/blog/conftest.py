from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from blog.roles import CONTRIBUTORS, EDITORS, ensure_roles
from tests.factories import PersonFactory, PostAuthorFactory, PostFactory, member

LONDON = ZoneInfo("Europe/London")
JULY_18 = datetime(2024, 7, 18, 9, 0, tzinfo=LONDON)


@pytest.fixture
def roles(db):
    ensure_roles()


@pytest.fixture
def editor(roles):
    return member(EDITORS, "edith")


@pytest.fixture
def contributor(roles):
    return member(CONTRIBUTORS, "connor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


def published_post(**kwargs):
    """A live post with one author, as the public pages expect."""
    post = PostFactory(published=True, **kwargs)
    PostAuthorFactory(post=post)
    return post


@pytest.fixture
def author():
    return PersonFactory(name="Cleo Hachem", slug="cleo-hachem", role="Policy Fellow")
