"""Merging tags from the admin, through an intermediate page."""

from http import HTTPStatus

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse
from taggit.models import Tag

from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


@pytest.fixture
def tagged():
    first, second = PostFactory(), PostFactory()
    first.tags.add("Levelling-up")
    second.tags.add("Levelling-up", "levelling up")
    return first, second


def test_the_merge_action_asks_which_tag_to_merge_into(editor_client, tagged):
    source = Tag.objects.get(name="Levelling-up")
    response = editor_client.post(
        CHANGELIST, {"action": "merge_tags", ACTION_CHECKBOX_NAME: [source.pk]}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Merge into" in response.content.decode()
    assert Tag.objects.filter(pk=source.pk).exists()


def test_merging_from_the_admin_moves_every_post(editor_client, tagged):
    source = Tag.objects.get(name="Levelling-up")
    target = Tag.objects.get(name="levelling up")
    response = editor_client.post(
        CHANGELIST,
        {
            "action": "merge_tags",
            ACTION_CHECKBOX_NAME: [source.pk],
            "target": target.pk,
            "apply": "Merge tags",
        },
        follow=True,
    )
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Merged Levelling-up into levelling up." in messages
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
