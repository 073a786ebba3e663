"""Nothing is ever lost: versions to see, compare and restore, and a bin.

Driven through the admin as rendered (django-webtest): the change form, the
history page's compare form, a version's restore form, the delete
confirmation and the recover form.
"""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from reversion.models import Version

from blog.models import Post
from blog.roles import CONTRIBUTORS, EDITORS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return factories.member(EDITORS, "edith")


@pytest.fixture
def contributor():
    return factories.member(CONTRIBUTORS, "connor")


def admin_url(obj_or_model, view, *args):
    meta = obj_or_model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def change(app, obj, user, **values):
    form = app.get(admin_url(obj, "change", obj.pk), user=user).forms[
        f"{obj._meta.model_name}_form"
    ]
    for name, value in values.items():
        if name == "post_authors-0-person":
            form[name].force_value(value)  # an autocomplete: options come by XHR
        else:
            form[name] = value
    response = form.submit("_save", user=user)
    assert response.status_code == HTTPStatus.FOUND, response.text
    obj.refresh_from_db()
    return obj


def version_links(history):
    """The history page's links to each version, newest first."""
    return re.findall(r'<th scope="row"><a href="([^"]+/history/\d+/)"', history.text)


def published_post():
    post = factories.PostFactory(published=True, title="Devolution deals")
    factories.PostAuthorFactory(post=post, person=factories.PersonFactory(name="Ann"))
    post.tags.add("housing")
    return post


def test_each_save_keeps_a_version_that_can_be_compared_and_restored(
    django_app, editor
):
    page = factories.PageFactory(title="Housing", body="<p>Homes for all.</p>")
    change(django_app, page, editor, title="Housing in the city region")
    change(django_app, page, editor, body="<p>Homes for everyone in Liverpool.</p>")

    history = django_app.get(admin_url(page, "history", page.pk), user=editor)
    assert len(version_links(history)) == 2
    assert "edith" in history.text

    compared = history.forms["compare-versions"].submit(user=editor)
    assert compared.status_code == HTTPStatus.OK
    assert "<del>all.</del>" in compared.text
    assert "<ins>everyone in Liverpool.</ins>" in compared.text

    oldest = django_app.get(version_links(history)[-1], user=editor)
    restored = oldest.forms["page_form"].submit("_save", user=editor)
    assert restored.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.title == "Housing in the city region"
    assert page.body == "<p>Homes for all.</p>"

    history = django_app.get(admin_url(page, "history", page.pk), user=editor)
    assert len(version_links(history)) == 3, "restoring is itself a version"
    assert "Reverted to previous version" in history.text


def test_a_posts_versions_keep_its_tags_and_bylines(django_app, editor):
    post = published_post()
    change(django_app, post, editor, standfirst="First go.")
    other = factories.PersonFactory(name="Bea")
    change(
        django_app,
        post,
        editor,
        tags="devolution",
        **{"post_authors-0-person": str(other.pk)},
    )
    assert list(post.tags.names()) == ["devolution"]

    history = django_app.get(admin_url(post, "history", post.pk), user=editor)
    compared = history.forms["compare-versions"].submit(user=editor)
    assert "<del>housing</del> <ins>devolution</ins>" in compared.text

    oldest = django_app.get(version_links(history)[-1], user=editor)
    assert oldest.forms["post_form"].submit("_save", user=editor).status_code == 302
    post = Post.objects.get(pk=post.pk)
    assert list(post.tags.names()) == ["housing"]
    assert [a.person.name for a in post.post_authors.all()] == ["Ann"]


def test_workflow_actions_keep_a_version_saying_who_did_what(django_app, editor):
    post = factories.PostFactory(title="Ready to go")
    factories.PostAuthorFactory(post=post)
    changelist = django_app.get(admin_url(Post, "changelist"), user=editor)
    form = changelist.forms["changelist-form"]
    form["action"] = "publish_now"
    form.get("_selected_action", index=0).checked = True
    form.submit(user=editor).follow(user=editor)

    history = django_app.get(admin_url(post, "history", post.pk), user=editor)
    assert "Published" in history.text
    assert "edith" in history.text


def test_a_contributor_cannot_publish_by_restoring(django_app, editor, contributor):
    post = factories.PostFactory(title="My draft", created_by=contributor)
    factories.PostAuthorFactory(post=post)
    for action in ("publish_now", "unpublish"):
        changelist = django_app.get(admin_url(Post, "changelist"), user=editor)
        form = changelist.forms["changelist-form"]
        form["action"] = action
        form.get("_selected_action", index=0).checked = True
        form.submit(user=editor)
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT

    history = django_app.get(admin_url(post, "history", post.pk), user=contributor)
    published = [
        link
        for link in version_links(history)
        if Version.objects.get(pk=link.rstrip("/").rsplit("/", 1)[1]).field_dict[
            "status"
        ]
        == Post.Status.PUBLISHED
    ]
    assert published
    page = django_app.get(published[0], user=contributor)
    response = page.forms["post_form"].submit(user=contributor, expect_errors=True)
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_a_version_of_another_record_cannot_be_opened_here(django_app, editor):
    page = factories.PageFactory()
    change(django_app, page, editor, title="Changed")
    post = factories.PostFactory(pk=page.pk)
    page_version = Version.objects.get_for_object(page).first()
    response = django_app.get(
        admin_url(post, "revision", post.pk, page_version.pk),
        user=editor,
        expect_errors=True,
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_contributor_sees_no_history_of_anothers_draft(django_app, contributor):
    draft = factories.PostFactory(title="Someone else's draft")
    response = django_app.get(admin_url(draft, "history", draft.pk), user=contributor)
    assert response.status_code == HTTPStatus.FOUND
    assert "Someone else" not in response.follow(user=contributor).text


DELETABLE = {
    "post": published_post,
    "page": lambda: factories.PageFactory(published=True),
    "person": factories.PersonFactory,
    "theme": factories.ResearchThemeFactory,
    "partnership": factories.PartnershipFactory,
}


@pytest.mark.parametrize("kind", DELETABLE)
def test_a_deleted_record_can_be_recovered_by_an_editor(django_app, editor, kind):
    obj = DELETABLE[kind]()
    model, pk = type(obj), obj.pk
    public_url = obj.get_absolute_url() if kind in ("post", "page") else None
    confirm = django_app.get(admin_url(obj, "delete", pk), user=editor)
    [delete] = [form for form in confirm.forms.values() if "post" in form.fields]
    delete.submit(user=editor)
    assert not model.objects.filter(pk=pk).exists()
    if public_url:
        assert django_app.get(public_url, expect_errors=True).status_code == 404

    bin_page = django_app.get(admin_url(model, "recoverlist"), user=editor)
    link = re.search(r'href="([^"]+/recover/\d+/)"', bin_page.text).group(1)
    recover = django_app.get(link, user=editor)
    form = recover.forms[f"{model._meta.model_name}_form"]
    assert form.submit("_save", user=editor).status_code == HTTPStatus.FOUND
    recovered = model.objects.get(pk=pk)
    if kind == "post":
        assert list(recovered.tags.names()) == ["housing"]
        assert recovered.post_authors.count() == 1
    if public_url:
        assert django_app.get(public_url).status_code == HTTPStatus.OK


def test_only_editors_open_the_bin(django_app, contributor):
    response = django_app.get(
        admin_url(Post, "recoverlist"), user=contributor, expect_errors=True
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    changelist = django_app.get(admin_url(Post, "changelist"), user=contributor)
    assert "Recover deleted" not in changelist.text
