"""Staff sessions end when the browser closes, and 12 hours after logging in.

Logged in through the admin's login form as rendered; the clock is controlled.
Anonymous visitors never get a session, so the page cache serves them as before.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session

from blog.roles import EDITORS
from tests.factories import InstituteProfileFactory, PostFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(django_app, time_machine):
    """An editor's browser, logged in at 9:00 through the login form."""
    time_machine.move_to("2024-07-18 09:00 +01:00", tick=False)
    member(EDITORS, "edith")
    form = django_app.get("/admin/login/?next=/admin/").forms["login-form"]
    form["username"] = "edith"
    form["password"] = "correct-horse-battery"
    django_app.login_response = form.submit()
    return django_app


def can_open_the_admin(app):
    return app.get("/admin/", expect_errors=True).status_code == HTTPStatus.OK


def test_the_session_cookie_lasts_only_while_the_browser_is_open(logged_in):
    cookie = next(
        value
        for name, value in logged_in.login_response.headerlist
        if name == "Set-Cookie" and value.strip().startswith("sessionid=")
    )
    attributes = {part.split("=")[0].strip().lower() for part in cookie.split(";")}
    assert "expires" not in attributes
    assert "max-age" not in attributes
    assert "httponly" in attributes


def test_a_session_lasts_a_working_day_and_no_longer(logged_in, time_machine):
    for _ in range(11):  # busy all day
        time_machine.shift(timedelta(hours=1))
        assert can_open_the_admin(logged_in)
    time_machine.shift(timedelta(hours=1, seconds=1))
    assert not can_open_the_admin(logged_in)


def test_logging_in_again_starts_a_new_day(logged_in, time_machine):
    time_machine.shift(timedelta(hours=13))
    assert not can_open_the_admin(logged_in)
    form = logged_in.get("/admin/login/?next=/admin/").forms["login-form"]
    form["username"] = "edith"
    form["password"] = "correct-horse-battery"
    form.submit()
    time_machine.shift(timedelta(hours=11))
    assert can_open_the_admin(logged_in)


def test_anonymous_visitors_get_no_session_and_cached_pages(client):
    InstituteProfileFactory()
    PostFactory(published=True)
    for url in ("/", "/blog/"):
        first = client.get(url)
        again = client.get(url)
        assert again["X-Page-Cache"] == "hit"
        for response in (first, again):
            assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
