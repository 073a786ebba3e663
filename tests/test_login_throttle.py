"""Guessing a password through the admin's login form is stopped (django-axes).

Each attempt fetches the login page and submits its form as rendered, as a
person or a script at the door would. Five failures for one username from one
address lock that pair for 15 minutes; the right password is then refused too.
"""

import logging
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from playwright.sync_api import expect

from blog.roles import EDITORS
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Dozens of password checks a test: a fast hash, as Django's docs suggest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    return member(EDITORS, "edith")


def log_in(app, username, password, environ=None):
    """Fill in and send the admin's login form; answer the page that follows."""
    environ = dict(environ or {})
    page = app.get("/admin/login/?next=/admin/", extra_environ=environ)
    form = page.forms["login-form"]
    form["username"] = username
    form["password"] = password
    return form.submit(extra_environ=environ, expect_errors=True)


def is_logged_in(app):
    return app.get("/admin/", expect_errors=True).status_code == HTTPStatus.OK


def lock_out(app, username, environ=None):
    for _ in range(5):
        log_in(app, username, "wrong-guess", environ)


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(django_app, editor):
    answers = [log_in(django_app, "edith", f"guess-{n}").status_code for n in range(30)]
    # Four ordinary refusals, then the lockout.
    assert answers[:4] == [HTTPStatus.OK] * 4
    assert set(answers[4:]) == {HTTPStatus.TOO_MANY_REQUESTS}

    page = log_in(django_app, "edith", PASSWORD)
    assert page.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert page["Retry-After"] == "900"
    assert not is_logged_in(django_app)


def test_the_lockout_page_says_what_happened_and_what_to_do(django_app, editor):
    lock_out(django_app, "edith")
    page = log_in(django_app, "edith", PASSWORD)
    assert page.html.find("html")["lang"] == "en-gb"
    assert page.html.title.text.startswith("Too many failed attempts")
    alert = page.html.find(role="alert")
    assert " ".join(alert.text.split()) == (
        "Too many failed attempts to log in as edith."
    )
    assert "paused for 15 minutes" in page.text
    assert "ask an administrator to unlock the account" in page.text
    assert page.html.find("a", string="Back to the login page")["href"] == (
        "/admin/login/"
    )


def test_after_the_cool_off_the_right_password_logs_in(
    django_app, editor, time_machine
):
    time_machine.move_to("2024-07-18 09:00 +01:00", tick=False)
    lock_out(django_app, "edith")

    time_machine.shift(timedelta(minutes=14))
    assert log_in(django_app, "edith", PASSWORD).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )
    # That attempt started the wait again.
    time_machine.shift(timedelta(minutes=14))
    assert not is_logged_in(django_app)
    assert log_in(django_app, "edith", PASSWORD).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )

    time_machine.shift(timedelta(minutes=15, seconds=1))
    assert log_in(django_app, "edith", PASSWORD).status_code == HTTPStatus.FOUND
    assert is_logged_in(django_app)


def test_each_lockout_is_logged_with_the_username_and_address(
    django_app, editor, caplog
):
    def lockouts():
        records = caplog.records
        return [r.getMessage() for r in records if r.name == "heseltine.security"]

    with caplog.at_level(logging.WARNING, logger="heseltine.security"):
        for _ in range(4):
            log_in(django_app, "edith", "wrong-guess", ATTACKER)
        assert not lockouts()
        log_in(django_app, "edith", "wrong-guess", ATTACKER)
    assert lockouts() == [
        "Login locked for 15 minutes: username 'edith' from 203.0.113.9"
    ]


def test_the_lock_is_on_the_username_and_address_together(django_app, editor):
    lock_out(django_app, "edith", ATTACKER)
    other = member(EDITORS, "olwen")
    # Another account from the same address, and edith from her own.
    assert log_in(django_app, "olwen", PASSWORD, ATTACKER).status_code == (
        HTTPStatus.FOUND
    )
    assert other.last_login is None  # (refreshed below)
    other.refresh_from_db()
    assert other.last_login is not None
    django_app.reset()
    assert log_in(django_app, "edith", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(django_app, editor):
    lock_out(django_app, "edith", ATTACKER)
    forged = {**ATTACKER, "HTTP_X_FORWARDED_FOR": "198.51.100.77"}
    page = log_in(django_app, "edith", PASSWORD, forged)
    assert page.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_behind_a_proxy_the_address_it_saw_is_the_one_locked(
    django_app, editor, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def through_proxy(client, claimed=""):
        forwarded = f"{claimed}, {client}" if claimed else client
        return {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": forwarded}

    lock_out(django_app, "edith", through_proxy("203.0.113.9"))
    # A claim the client adds on the left is not believed.
    page = log_in(
        django_app, "edith", PASSWORD, through_proxy("203.0.113.9", "198.51.100.7")
    )
    assert page.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Another client behind the same proxy is not locked out.
    page = log_in(django_app, "edith", PASSWORD, through_proxy("198.51.100.7"))
    assert page.status_code == HTTPStatus.FOUND


def test_an_administrator_unlocks_with_axes_reset_username(django_app, editor):
    lock_out(django_app, "edith")
    call_command("axes_reset_username", "edith", stdout=None)
    assert log_in(django_app, "edith", PASSWORD).status_code == HTTPStatus.FOUND
    assert is_logged_in(django_app)


def test_an_administrator_unlocks_in_the_admin(django_app, editor):
    lock_out(django_app, "edith", ATTACKER)
    UserFactory(username="root", is_staff=True, is_superuser=True)

    attempts = django_app.get("/admin/axes/accessattempt/", user="root")
    attempt = attempts.click(href=r"/admin/axes/accessattempt/\d+/change/")
    assert "edith" in attempt
    confirm = attempt.click("Delete", index=0)
    confirm.forms[1].submit(user="root")
    django_app.reset()

    assert log_in(django_app, "edith", PASSWORD, ATTACKER).status_code == (
        HTTPStatus.FOUND
    )


def test_a_good_login_clears_earlier_failures(django_app, editor):
    for _ in range(4):
        log_in(django_app, "edith", "wrong-guess")
    assert log_in(django_app, "edith", PASSWORD).status_code == HTTPStatus.FOUND
    django_app.reset()
    for _ in range(4):
        assert log_in(django_app, "edith", "wrong-guess").status_code == HTTPStatus.OK
    assert log_in(django_app, "edith", PASSWORD).status_code == HTTPStatus.FOUND


def test_the_test_client_and_its_helpers_still_log_in(client, admin_client, editor):
    assert admin_client.get("/admin/").status_code == HTTPStatus.OK
    client.force_login(editor)
    assert client.get("/admin/").status_code == HTTPStatus.OK
    client.logout()
    # django-axes needs a request to know the address: its documented way.
    assert client.login(request=HttpRequest(), username="edith", password=PASSWORD)
    assert client.get("/admin/").status_code == HTTPStatus.OK


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lockout_page_is_accessible_in_a_browser(browser_page, assert_accessible):
    member(EDITORS, "edith")
    page = browser_page
    for _ in range(5):
        page.goto("/admin/login/")
        page.fill("#id_username", "edith")
        page.fill("#id_password", "wrong-guess")
        page.click("input[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts")
    assert_accessible(page)
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 429 "
        "(Too Many Requests)"
    ]
