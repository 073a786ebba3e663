"""Editorial services: publishing rules, tag merging, roles."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from taggit.models import Tag

from blog import services
from blog.models import Post
from blog.roles import CONTRIBUTORS, EDITORS, ensure_roles
from tests.factories import PostAuthorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_contributor_cannot_publish_through_the_service(contributor):
    post = PostFactory(created_by=contributor)
    PostAuthorFactory(post=post)
    with pytest.raises(ValidationError, match="Only editors can publish"):
        services.post_publish(post=post, by=contributor)
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_tags_are_case_insensitive():
    first, second = PostFactory(), PostFactory()
    first.tags.add("Devolution")
    second.tags.add("devolution")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Devolution"]
    assert set(Post.objects.filter(tags__name="Devolution")) == {first, second}


def test_merging_tags_keeps_every_post_tagged_once():
    only_source, only_target, both = PostFactory(), PostFactory(), PostFactory()
    only_source.tags.add("levelling-up")
    only_target.tags.add("levelling up")
    both.tags.add("levelling-up", "levelling up")
    source = Tag.objects.get(name="levelling-up")
    target = Tag.objects.get(name="levelling up")

    services.tag_merge(source=source, target=target)

    assert not Tag.objects.filter(pk=source.pk).exists()
    for post in (only_source, only_target, both):
        assert [tag.name for tag in post.tags.all()] == ["levelling up"]


def test_a_tag_cannot_be_merged_into_itself():
    tag = Tag.objects.create(name="devolution")
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        services.tag_merge(source=tag, target=tag)


def test_roles_can_be_ensured_again_without_change(roles):
    before = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    ensure_roles()
    after = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert after == before
    assert "publish_post" in after[EDITORS]
    assert "publish_post" not in after[CONTRIBUTORS]
    assert {"add_post", "change_post", "view_post"} <= after[CONTRIBUTORS]


def test_the_editor_command_puts_the_editor_in_the_editors_group(roles):
    from django.core.management import call_command

    call_command("ensure_editor", stdout=None)
    editor = UserFactory(username="editor")
    assert editor.has_perm("blog.publish_post")
