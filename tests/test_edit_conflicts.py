"""One editor never silently overwrites another's change.

Driven as editors drive it: each opens the change page, and the form is
submitted exactly as the admin rendered it (django-webtest), hidden version
field and all.
"""

import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from django_webtest import DjangoTestApp

from blog.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def post_with_author(**kwargs):
    post = factories.PostFactory(**kwargs)
    factories.PostAuthorFactory(post=post)
    return post


# Every model editors change, with a text field to change in its form.
MODELS = {
    "post": (post_with_author, "title"),
    "page": (factories.PageFactory, "title"),
    "person": (factories.PersonFactory, "name"),
    "theme": (factories.ResearchThemeFactory, "title"),
    "objective": (factories.ObjectiveFactory, "title"),
    "pillar": (factories.PillarFactory, "title"),
    "profile": (factories.InstituteProfileFactory, "name"),
    "programme": (factories.ProgrammeFactory, "name"),
    "phase": (factories.PhaseFactory, "name"),
    "partnership": (factories.PartnershipFactory, "name"),
    "organisation": (factories.OrganisationFactory, "name"),
}


@pytest.fixture
def editors():
    return [
        factories.UserFactory(username=name, is_staff=True, is_superuser=True)
        for name in ("edith", "ellis")
    ]


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def opened_form(app, obj, user):
    response = app.get(change_url(obj), user=user)
    return response.forms[f"{obj._meta.model_name}_form"]


@pytest.mark.parametrize("kind", MODELS)
def test_a_stale_form_is_refused_keeping_its_input_and_saying_what_differs(
    django_app, editors, kind
):
    make, field = MODELS[kind]
    obj = make()
    first, second = editors
    mine = opened_form(django_app, obj, second)
    theirs = opened_form(django_app, obj, first)
    assert mine["opened_at"].value, "the version is rendered into the form"

    theirs[field] = "Their version"
    assert theirs.submit("_save", user=first).status_code == HTTPStatus.FOUND

    mine[field] = "My version"
    refused = mine.submit("_save", user=second)
    assert refused.status_code == HTTPStatus.OK
    assert "after you opened it" in refused.text
    assert "Your version differs from theirs in:" in refused.text
    obj.refresh_from_db()
    assert getattr(obj, field) == "Their version"

    # The refused form keeps the input, and submitting it again is on purpose.
    again = refused.forms[f"{obj._meta.model_name}_form"]
    assert again[field].value == "My version"
    assert again.submit("_save", user=second).status_code == HTTPStatus.FOUND
    obj.refresh_from_db()
    assert getattr(obj, field) == "My version"


def test_an_unchanged_record_saves_normally(django_app, editors):
    page = factories.PageFactory(title="Original")
    form = opened_form(django_app, page, editors[0])
    form["title"] = "Revised"
    assert form.submit("_save", user=editors[0]).status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.title == "Revised"


def test_a_stale_form_cannot_republish_a_post_another_editor_unpublished(
    django_app, editors
):
    post = post_with_author(published=True, title="Embargo lifted too soon")
    first, second = editors
    stale = opened_form(django_app, post, second)

    changelist = django_app.get(reverse("admin:blog_post_changelist"), user=first)
    action = changelist.forms["changelist-form"]
    action["action"] = "unpublish"
    action.get("_selected_action", index=0).checked = True
    action.submit(user=first).follow(user=first)
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT

    stale["standfirst"] = "A late tweak."
    assert stale.submit("_save", user=second).status_code == HTTPStatus.OK
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_a_form_that_does_not_say_its_version_is_refused(admin_client):
    page = factories.PageFactory(title="Original")
    response = admin_client.post(
        change_url(page),
        {"title": "Sneaky", "slug": page.slug, "standfirst": "x", "body": "<p>x</p>"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "did not say which version" in response.content.decode()
    page.refresh_from_db()
    assert page.title == "Original"


def save_together(forms, editors):
    """Submit two rendered forms at the same instant; return their statuses."""
    start = threading.Barrier(len(forms))
    statuses = []

    def submit(form, user):
        start.wait()
        try:
            statuses.append(form.submit("_save", user=user).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=pair)
        for pair in zip(forms, editors, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite admits one writer at a time",
)
def test_of_two_simultaneous_saves_exactly_one_wins(django_app, editors):
    outcomes = []
    for _ in range(10):
        page = factories.PageFactory(title="Original")
        apps = [django_app, DjangoTestApp()]
        forms = [
            opened_form(app, page, user)
            for app, user in zip(apps, editors, strict=True)
        ]
        for n, form in enumerate(forms):
            form["title"] = f"Editor {n}"
        outcomes.append(save_together(forms, editors))
    assert outcomes == [[HTTPStatus.OK, HTTPStatus.FOUND]] * 10
