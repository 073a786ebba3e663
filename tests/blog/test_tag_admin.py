"""Tags in the admin: the post form keeps them as typed; merging tags."""

from http import HTTPStatus

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from blog.forms import MAX_TAG_LENGTH, MAX_TAGS
from tests.blog.conftest import published_post
from tests.factories import PostAuthorFactory, PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


@pytest.fixture
def tagged():
    first, second = PostFactory(), PostFactory()
    first.tags.add("Levelling-up")
    second.tags.add("Levelling-up", "levelling up")
    return first, second


def choose_to_merge(django_app, user, name):
    """Tick `name` in the tag list, choose "Merge" and press Go."""
    changelist = django_app.get(CHANGELIST, user=user)
    form = changelist.forms["changelist-form"]
    form["action"] = "merge_tags"
    source = Tag.objects.get(name=name)
    for checkbox in form.fields[ACTION_CHECKBOX_NAME]:
        checkbox.checked = checkbox._value == str(source.pk)
    return form.submit("index")


def test_the_merge_action_asks_which_tag_to_merge_into(django_app, editor, tagged):
    response = choose_to_merge(django_app, editor, "Levelling-up")
    assert response.status_code == HTTPStatus.OK
    assert "Merge into" in response.text
    assert Tag.objects.filter(name="Levelling-up").exists()


def test_merging_from_the_admin_moves_every_post(django_app, editor, tagged):
    page = choose_to_merge(django_app, editor, "Levelling-up")
    form = next(form for form in page.forms.values() if "target" in form.fields)
    form.select("target", text="levelling up")
    page = form.submit("apply").follow()
    assert "Merged Levelling-up into levelling up." in page.text
    for post in tagged:
        assert [tag.name for tag in post.tags.all()] == ["levelling up"]


def test_a_contributor_has_no_merge_action(contributor_client, tagged):
    source = Tag.objects.get(name="Levelling-up")
    response = contributor_client.post(
        CHANGELIST, {"action": "merge_tags", ACTION_CHECKBOX_NAME: [source.pk]}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Tag.objects.filter(pk=source.pk).exists()


def test_taggits_own_merge_page_which_checks_no_permission_is_gone(editor_client):
    response = editor_client.get(CHANGELIST + "merge-tags/", follow=True)
    assert b"new_tag_name" not in response.content


# --- Tags in the post form, submitted as the admin renders it ------------------

TAG_NAMES = [
    "devolution",
    "King’s Speech",
    "levelling up",
    'the "northern powerhouse"',
]


def post_form(django_app, post, user):
    page = django_app.get(reverse("admin:blog_post_change", args=[post.pk]), user=user)
    return page.forms["post_form"]


def tags_of(post):
    return sorted((tag.name, tag.slug) for tag in post.tags.all())


def public_tag_links(django_app, post):
    page = django_app.get(post.get_absolute_url())
    return sorted(
        (link.text, link["href"]) for link in page.html.select('a[href^="/blog/tag/"]')
    )


def test_saving_a_post_twice_as_rendered_keeps_its_tags(django_app, editor):
    post = published_post()
    post.tags.add(*TAG_NAMES)
    before = tags_of(post)

    for _ in range(2):
        form = post_form(django_app, post, editor)
        assert form.submit("_save", user=editor).status_code == HTTPStatus.FOUND

    assert tags_of(post) == before
    assert Tag.objects.count() == len(TAG_NAMES)
    assert public_tag_links(django_app, post) == [
        ("#King’s Speech", "/blog/tag/kings-speech/"),
        ("#devolution", "/blog/tag/devolution/"),
        ("#levelling up", "/blog/tag/levelling-up/"),
        ('#the "northern powerhouse"', "/blog/tag/the-northern-powerhouse/"),
    ]


def test_a_contributor_saving_their_draft_twice_keeps_its_tags(django_app, contributor):
    post = PostFactory(created_by=contributor)
    PostAuthorFactory(post=post)
    post.tags.add(*TAG_NAMES)
    before = tags_of(post)

    for _ in range(2):
        form = post_form(django_app, post, contributor)
        assert form.submit("_save", user=contributor).status_code == HTTPStatus.FOUND

    assert tags_of(post) == before
    assert Tag.objects.count() == len(TAG_NAMES)


def test_the_tags_field_shows_names_as_typed_separated_by_commas(django_app, editor):
    post = published_post()
    post.tags.add(*TAG_NAMES)
    assert post_form(django_app, post, editor)["tags"].value == ", ".join(TAG_NAMES)


def test_quotes_around_a_tag_are_dropped_so_a_damaged_tag_mends_on_save(
    django_app, editor
):
    """Typed as taggit's own syntax would have it, or left by the old widget."""
    published_post().tags.add("levelling up")
    post = published_post()
    post.tags.add('"""levelling up"""')
    form = post_form(django_app, post, editor)
    form["tags"] = form["tags"].value + ', "devolution"'
    form.submit("_save", user=editor)

    assert tags_of(post) == [
        ("devolution", "devolution"),
        ("levelling up", "levelling-up"),
    ]


def test_a_tag_too_long_is_refused_with_a_message_keeping_the_input(django_app, editor):
    post = published_post()
    post.tags.add("devolution")
    form = post_form(django_app, post, editor)
    long_tag = "a tag that goes on " * 6
    form["title"] = "A new title"
    form["tags"] = f"devolution, {long_tag}"
    page = form.submit("_save", user=editor)

    assert page.status_code == HTTPStatus.OK
    assert f"A tag can have at most {MAX_TAG_LENGTH} characters" in page.text
    assert page.forms["post_form"]["tags"].value == f"devolution, {long_tag}"
    assert page.forms["post_form"]["title"].value == "A new title"
    assert tags_of(post) == [("devolution", "devolution")]
    assert Tag.objects.count() == 1


def test_a_post_may_have_at_most_so_many_tags(django_app, editor):
    post = published_post()
    form = post_form(django_app, post, editor)
    names = ", ".join(f"tag {n}" for n in range(MAX_TAGS + 1))
    form["tags"] = names
    page = form.submit("_save", user=editor)

    assert page.status_code == HTTPStatus.OK
    assert f"A post can have at most {MAX_TAGS} tags" in page.text
    assert page.forms["post_form"]["tags"].value == names
    assert Tag.objects.count() == 0

    form = page.forms["post_form"]
    form["tags"] = ", ".join(f"tag {n}" for n in range(MAX_TAGS))
    assert form.submit("_save", user=editor).status_code == HTTPStatus.FOUND
    assert post.tags.count() == MAX_TAGS


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("housing, planning", "A tag cannot contain a comma"),
        ("housing " * 7, f"A tag can have at most {MAX_TAG_LENGTH} characters"),
    ],
    ids=["comma", "too long"],
)
def test_renaming_a_tag_follows_the_post_forms_rules(django_app, editor, name, message):
    tag = Tag.objects.create(name="housing")
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    form = django_app.get(url, user=editor).forms["tag_form"]
    form["name"] = name
    page = form.submit("_save", user=editor)

    assert page.status_code == HTTPStatus.OK
    assert message in page.text
    assert Tag.objects.get(pk=tag.pk).name == "housing"
