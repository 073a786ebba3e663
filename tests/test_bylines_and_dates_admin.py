"""Editors mark a byline as an organisation and a post as dated by day only,
in the admin as rendered, and the public pages follow."""

import json
import re
from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from blog.roles import editors_group
from tests import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def editor():
    user = factories.UserFactory(staff=True)
    user.groups.add(editors_group())
    return user


def change_form(app, obj, user):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return app.get(url, user=user).forms[f"{meta.model_name}_form"]


def json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_an_editor_marks_a_byline_as_an_organisation(django_app, editor, client):
    institute = factories.PersonFactory(name="Heseltine Institute", slug="hi")
    post = factories.PostFactory(published=True)
    factories.PostAuthorFactory(post=post, person=institute)
    assert "/people/hi/" in client.get("/people/").text

    form = change_form(django_app, institute, editor)
    form["is_organisation"] = True
    assert form.submit("_save", user=editor).status_code == HTTPStatus.FOUND

    assert "/people/hi/" not in client.get("/people/").content.decode()
    page = client.get("/people/hi/").content.decode()
    assert json_ld(page)["@type"] == "Organization"
    assert 'aria-hidden="true">HI</span>' not in page  # no initials for it
    authors = json_ld(client.get(post.get_absolute_url()).content.decode())["author"]
    assert authors == [{"@type": "Organization", "name": "Heseltine Institute"}]


def test_an_editor_marks_a_post_as_dated_by_day_only(django_app, editor, client):
    post = factories.PostFactory(
        published=True, published_at=datetime(2024, 7, 18, 0, 0, tzinfo=LONDON)
    )
    factories.PostAuthorFactory(post=post)  # the admin asks for a byline
    before = client.get(post.get_absolute_url()).content.decode()
    assert "T" in json_ld(before)["datePublished"]  # a time, until told otherwise

    form = change_form(django_app, post, editor)
    assert form["is_date_only"].value is None  # unticked
    form["is_date_only"] = True
    assert form.submit("_save", user=editor).status_code == HTTPStatus.FOUND

    post.refresh_from_db()
    assert post.is_date_only
    html = client.get(post.get_absolute_url()).content.decode()
    assert json_ld(html)["datePublished"] == "2024-07-18"
    assert '<meta property="article:published_time" content="2024-07-18">' in html
    assert '<time datetime="2024-07-18">18 July 2024</time>' in html
