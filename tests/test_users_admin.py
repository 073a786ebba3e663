"""Editors manage contributors' accounts, and nothing more (heseltine.users).

Each step goes through the admin's pages as rendered: the list, the add form,
the change form, the password form, the actions and the emailed link. The
refusals are tried through those forms and, as an extra check, by requests
crafted with the fields the forms leave out.
"""

import re
import socket
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from blog.roles import CONTRIBUTORS, EDITORS
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
NEW_PASSWORD = "a-river-runs-through-it"
USERS = "/admin/auth/user/"


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Many password hashes a test: a fast hash, as Django's docs suggest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    return member(EDITORS, "edith")


@pytest.fixture
def contributor():
    return member(CONTRIBUTORS, "connor")


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def change_url(user):
    return f"{USERS}{user.pk}/change/"


def log_in(app, username, password):
    app.reset()
    form = app.get("/admin/login/?next=/admin/").forms["login-form"]
    form["username"] = username
    form["password"] = password
    return form.submit()


def link_in(message):
    return re.search(r"https?://\S+", message.body).group()


def invite(app, editor, **fields):
    """Fill in and send the add form as an editor sees it."""
    form = app.get(f"{USERS}add/", user=editor).forms["user_form"]
    for name, value in {"username": "nadia", "email": "nadia@example.org"}.items():
        form[name] = fields.get(name, value)
    return form.submit("_save", user=editor)


# --- What editors see -----------------------------------------------------------


def test_an_editor_finds_accounts_in_the_admin_index(django_app, editor):
    index = django_app.get("/admin/", user=editor)
    assert index.html.select_one('a[href="/admin/auth/user/"]').text == "Users"


def test_an_editor_lists_only_contributors_accounts(
    django_app, editor, contributor, superuser
):
    member(EDITORS, "another-editor")
    both = member(CONTRIBUTORS, "both")
    both.groups.add(Group.objects.get(name=EDITORS))
    extra = member(CONTRIBUTORS, "extra")
    extra.user_permissions.add(Permission.objects.get(codename="publish_post"))
    UserFactory(username="nobody", is_staff=True)

    page = django_app.get(USERS, user=editor)
    listed = [a.text for a in page.html.select("#result_list th.field-username a")]
    assert listed == ["connor"]


def test_a_contributor_has_no_access_to_accounts(django_app, contributor):
    django_app.get(USERS, user=contributor, status=HTTPStatus.FORBIDDEN)
    django_app.get(f"{USERS}add/", user=contributor, status=HTTPStatus.FORBIDDEN)


# --- Inviting a contributor ---------------------------------------------------


def test_an_editor_invites_a_contributor_who_chooses_a_password_and_logs_in(
    django_app, editor, mailoutbox
):
    page = invite(django_app, editor).follow()
    assert "We emailed nadia@example.org a link to choose a password" in page

    nadia = User.objects.get(username="nadia")
    assert nadia.is_staff
    assert nadia.is_active
    assert not nadia.is_superuser
    assert not nadia.has_usable_password()
    assert [group.name for group in nadia.groups.all()] == [CONTRIBUTORS]

    (message,) = mailoutbox
    assert message.to == ["nadia@example.org"]
    assert message.subject == "Your Heseltine Institute admin account"
    assert "edith has made you a Heseltine Institute admin account" in message.body
    assert "Your username is nadia" in message.body

    choose = django_app.get(link_in(message)).maybe_follow()
    assert "Heseltine Institute: editors" in choose
    form = choose.form
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    done = form.submit().follow()
    assert "Your password has been set" in done

    assert log_in(django_app, "nadia", NEW_PASSWORD).status_code == HTTPStatus.FOUND
    assert django_app.get("/admin/blog/post/add/").status_code == HTTPStatus.OK


def test_an_invitation_link_works_once(django_app, editor, mailoutbox):
    invite(django_app, editor)
    link = link_in(mailoutbox[0])
    form = django_app.get(link).maybe_follow().form
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    form.submit()

    again = django_app.get(link).maybe_follow()
    assert "The password reset link was invalid" in again


def test_the_add_form_offers_no_staff_superuser_group_or_permission_fields(
    django_app, editor
):
    form = django_app.get(f"{USERS}add/", user=editor).forms["user_form"]
    fields = {name for name in form.fields if name and not name.startswith("_")}
    assert fields == {
        "csrfmiddlewaretoken",
        "username",
        "first_name",
        "last_name",
        "email",
    }


def test_an_invitation_needs_an_email_address_and_keeps_what_was_typed(
    django_app, editor, mailoutbox
):
    page = invite(django_app, editor, email="")
    assert "This field is required." in page
    assert page.forms["user_form"]["username"].value == "nadia"
    assert not User.objects.filter(username="nadia").exists()
    assert mailoutbox == []


def test_a_username_taken_in_another_case_is_refused(django_app, editor, contributor):
    page = invite(django_app, editor, username="Connor")
    assert "An account with this username already exists." in page


def test_an_invitation_that_cannot_be_sent_says_so_and_keeps_the_account(
    django_app, editor, settings
):
    # A mail server that is not there: nothing listens on this port.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port

    page = invite(django_app, editor).follow()
    assert "The email to nadia@example.org could not be sent" in page
    assert User.objects.filter(username="nadia", is_staff=True).exists()


def test_a_crafted_invitation_cannot_make_a_superuser_or_an_editor(
    django_app, editor, mailoutbox
):
    form = django_app.get(f"{USERS}add/", user=editor).forms["user_form"]
    form["username"] = "mallory"
    form["email"] = "mallory@example.org"
    fields = [*form.submit_fields("_save")]
    fields += [
        ("is_superuser", "on"),
        ("groups", str(Group.objects.get(name=EDITORS).pk)),
        ("user_permissions", str(Permission.objects.get(codename="add_user").pk)),
        ("password1", "chosen-by-mallory"),
        ("password2", "chosen-by-mallory"),
        ("usable_password", "true"),
    ]
    django_app.post(f"{USERS}add/", fields, user=editor)

    mallory = User.objects.get(username="mallory")
    assert not mallory.is_superuser
    assert [group.name for group in mallory.groups.all()] == [CONTRIBUTORS]
    assert not mallory.user_permissions.exists()
    assert not mallory.has_usable_password()


# --- Looking after a contributor's account -------------------------------------


def test_an_editor_changes_a_contributors_details_and_deactivates_them(
    django_app, editor, contributor
):
    form = django_app.get(change_url(contributor), user=editor).forms["user_form"]
    assert "is_superuser" not in form.fields
    assert "groups" not in form.fields
    form["email"] = "connor@example.net"
    form["is_active"] = False
    form.submit("_save", user=editor).follow()

    contributor.refresh_from_db()
    assert contributor.email == "connor@example.net"
    assert not contributor.is_active
    assert [group.name for group in contributor.groups.all()] == [CONTRIBUTORS]
    assert log_in(django_app, "connor", PASSWORD).status_code == HTTPStatus.OK


def test_an_editor_sets_a_contributors_password(django_app, editor, contributor):
    change = django_app.get(change_url(contributor), user=editor)
    form = change.click(href=r"\.\./password/").forms["user_form"]
    form["password1"] = form["password2"] = NEW_PASSWORD
    form.submit(user=editor).follow()

    assert log_in(django_app, "connor", NEW_PASSWORD).status_code == HTTPStatus.FOUND


def test_an_editor_emails_a_contributor_a_link_to_choose_a_new_password(
    django_app, editor, contributor, mailoutbox
):
    form = django_app.get(USERS, user=editor).forms["changelist-form"]
    form["action"] = "email_password_link"
    form["_selected_action"] = [str(contributor.pk)]
    page = form.submit(user=editor).follow()
    assert "We emailed connor@example.org a link to choose a password" in page

    (message,) = mailoutbox
    assert (
        message.subject
        == "Choose a new password for your Heseltine Institute admin account"
    )
    form = django_app.get(link_in(message)).maybe_follow().form
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    form.submit()
    assert log_in(django_app, "connor", NEW_PASSWORD).status_code == HTTPStatus.FOUND


def test_an_inactive_account_is_not_emailed_a_link(
    django_app, editor, contributor, mailoutbox
):
    contributor.is_active = False
    contributor.save()
    form = django_app.get(USERS, user=editor).forms["changelist-form"]
    form["action"] = "email_password_link"
    form["_selected_action"] = [str(contributor.pk)]
    page = form.submit(user=editor).follow()

    assert "No email sent to connor: the account is inactive" in page
    assert mailoutbox == []


def test_an_editor_deactivates_contributors_from_the_list(
    django_app, editor, contributor
):
    form = django_app.get(USERS, user=editor).forms["changelist-form"]
    form["action"] = "deactivate"
    form["_selected_action"] = [str(contributor.pk)]
    page = form.submit(user=editor).follow()

    assert "1 account deactivated." in page
    contributor.refresh_from_db()
    assert not contributor.is_active


# --- Refusals -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["editor", "superuser", "contributor and editor"])
def test_an_editor_cannot_open_or_change_an_editors_or_superusers_account(
    django_app, editor, kind
):
    if kind == "editor":
        other = member(EDITORS, "eve")
    elif kind == "superuser":
        other = UserFactory(username="eve", is_staff=True, is_superuser=True)
    else:
        other = member(CONTRIBUTORS, "eve")
        other.groups.add(Group.objects.get(name=EDITORS))

    page = django_app.get(change_url(other), user=editor).follow()
    assert "doesn’t exist" in page
    django_app.get(
        f"{USERS}{other.pk}/password/", user=editor, status=HTTPStatus.NOT_FOUND
    )

    # Crafted: the forms the editor was refused, sent anyway.
    token = (
        django_app.get(f"{USERS}add/", user=editor)
        .forms["user_form"]["csrfmiddlewaretoken"]
        .value
    )
    django_app.post(
        change_url(other),
        {"csrfmiddlewaretoken": token, "username": "eve", "is_active": ""},
        user=editor,
    )
    django_app.post(
        f"{USERS}{other.pk}/password/",
        {
            "csrfmiddlewaretoken": token,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        user=editor,
        status=HTTPStatus.NOT_FOUND,
    )
    other.refresh_from_db()
    assert other.is_active
    assert other.check_password(PASSWORD)


def test_a_crafted_change_cannot_promote_a_contributor(django_app, editor, contributor):
    form = django_app.get(change_url(contributor), user=editor).forms["user_form"]
    fields = [*form.submit_fields("_save")]
    fields += [
        ("is_superuser", "on"),
        ("groups", str(Group.objects.get(name=EDITORS).pk)),
        ("user_permissions", str(Permission.objects.get(codename="add_user").pk)),
    ]
    django_app.post(change_url(contributor), fields, user=editor)

    contributor.refresh_from_db()
    assert not contributor.is_superuser
    assert [group.name for group in contributor.groups.all()] == [CONTRIBUTORS]
    assert not contributor.user_permissions.exists()


def test_an_editor_cannot_delete_accounts(django_app, editor, contributor):
    django_app.get(
        f"{USERS}{contributor.pk}/delete/", user=editor, status=HTTPStatus.FORBIDDEN
    )


def test_an_editor_has_no_access_to_groups(django_app, editor):
    django_app.get("/admin/auth/group/", user=editor, status=HTTPStatus.FORBIDDEN)


def test_a_superuser_still_makes_editors_with_djangos_own_forms(
    django_app, superuser, contributor
):
    form = django_app.get(change_url(contributor), user=superuser).forms["user_form"]
    form["is_superuser"] = True
    form["groups"] = [str(Group.objects.get(name=EDITORS).pk)]
    form.submit("_save", user=superuser)

    contributor.refresh_from_db()
    assert contributor.is_superuser
    assert [group.name for group in contributor.groups.all()] == [EDITORS]


# --- In Chromium ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_invites_a_contributor_in_a_browser(
    browser, live_server, assert_accessible, mailoutbox
):
    member(EDITORS, "edith")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/auth/user/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/auth/user/")
    assert_accessible(page)

    page.get_by_role("link", name="Add user").click()
    assert_accessible(page)
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Email address").fill("nadia@example.org")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("We emailed nadia@example.org")
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(link_in(mailoutbox[0]).replace(settings.SITE_URL, live_server.url))
    expect(page.locator("#site-name")).to_have_text("Heseltine Institute: editors")
    assert_accessible(page)
    page.get_by_label("New password:").fill(NEW_PASSWORD)
    page.get_by_label("Confirm password:").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.locator("#content")).to_contain_text("Your password has been set")
    context.close()
