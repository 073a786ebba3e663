"""Editorial actions on posts and tags; the admin, views and demo call these."""

from contextlib import contextmanager

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from blog import notifications
from blog.models import Post, PostEvent, PostRedirect

Action = PostEvent.Action

# What a user may do to a post, by name: the buttons on its page, and the
# only moves the server accepts from that page.
SAVE = "save"
SUBMIT = "submit"
PUBLISH = "publish"
SCHEDULE = "schedule"
REQUEST_CHANGES = "request_changes"
UNPUBLISH = "unpublish"
WITHDRAW = "withdraw"


def _require_publisher(user):
    if not user.has_perm("blog.publish_post"):
        raise ValidationError(
            "Only editors can publish, schedule or unpublish posts. "
            "Submit the post for review instead.",
            code="not_an_editor",
        )


@contextmanager
def _version(*, by, comment):
    """Keep a version of what the action saves, with who did it and what."""
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        yield


def post_is_editable_by(*, post: Post, user) -> bool:
    """Editors edit any post; contributors only their own drafts."""
    if not user.has_perm("blog.change_post"):
        return False
    if user.has_perm("blog.publish_post"):
        return True
    return post.created_by_id == user.pk and post.status == Post.Status.DRAFT


def _is_editor(user):
    return user.has_perm("blog.publish_post")


def post_actions(*, post: Post | None, user) -> list[str]:
    """The workflow moves `user` may make on `post` (None: a new post), in order.

    Contributors save and submit their own drafts, and withdraw them from
    review; editors also publish, schedule, send back and unpublish.
    """
    if not user.has_perm("blog.change_post" if post else "blog.add_post"):
        return []
    editor = _is_editor(user)
    status = post.status if post else Post.Status.DRAFT
    creator = post is None or (
        post.created_by_id is not None and post.created_by_id == user.pk
    )
    editable = post is None or post_is_editable_by(post=post, user=user)
    actions = []
    if editable:
        actions.append(SAVE)
    if status == Post.Status.DRAFT and editable:
        actions.append(SUBMIT)
    if editor and status in (Post.Status.DRAFT, Post.Status.REVIEW):
        actions += [PUBLISH, SCHEDULE]
    if editor and post is not None and post.is_scheduled:
        actions += [PUBLISH, SCHEDULE]
    if editor and status == Post.Status.REVIEW:
        actions.append(REQUEST_CHANGES)
    if status == Post.Status.REVIEW and creator:
        actions.append(WITHDRAW)
    if editor and status == Post.Status.PUBLISHED:
        actions.append(UNPUBLISH)
    return actions


def _record(post, action, by, **details):
    event = PostEvent.objects.create(post=post, action=action, by=by, **details)
    # Only once the change is in the database: a rolled-back step sends nothing.
    transaction.on_commit(lambda: notifications.send_for(event))
    return event


def latest_event(post):
    return post.events.select_related("by").first()


def post_sent_back_note(post):
    """The editor's note, while the post is a draft sent back to its author."""
    if post.status != Post.Status.DRAFT:
        return None
    event = latest_event(post)
    if event is None or event.action != Action.CHANGES_REQUESTED:
        return None
    return event


@transaction.atomic
def post_submit_for_review(*, post: Post, by) -> Post:
    if post.status != Post.Status.DRAFT:
        raise ValidationError(
            "“%(post)s” is not a draft, so it cannot be submitted for review.",
            params={"post": post},
            code="not_a_draft",
        )
    if not post_is_editable_by(post=post, user=by):
        raise ValidationError(
            "You can only submit your own drafts for review.", code="not_yours"
        )
    post.status = Post.Status.REVIEW
    post.updated_by = by
    with _version(by=by, comment="Submitted for review."):
        post.save(update_fields=["status", "updated_by", "updated_at"])
    _record(post, Action.SUBMITTED, by)
    return post


@transaction.atomic
def post_request_changes(*, post: Post, by, note: str) -> Post:
    """Send a post in review back to its author as a draft, with a note."""
    _require_publisher(by)
    if post.status != Post.Status.REVIEW:
        raise ValidationError(
            "“%(post)s” is not in review, so it cannot be sent back.",
            params={"post": post},
            code="not_in_review",
        )
    note = note.strip()
    if not note:
        raise ValidationError(
            "Say what should change: the author sees this note.", code="no_note"
        )
    post.status = Post.Status.DRAFT
    post.updated_by = by
    with _version(by=by, comment="Sent back with changes requested."):
        post.save(update_fields=["status", "updated_by", "updated_at"])
    _record(post, Action.CHANGES_REQUESTED, by, note=note)
    return post


@transaction.atomic
def post_withdraw(*, post: Post, by) -> Post:
    """Take a post out of review, back to draft: whoever submitted it.

    Editors who did not write it send it back with a note instead.
    """
    if WITHDRAW not in post_actions(post=post, user=by):
        raise ValidationError(
            "Only the post’s author can withdraw it, and only while it is in review.",
            code="not_withdrawable",
        )
    post.status = Post.Status.DRAFT
    post.updated_by = by
    with _version(by=by, comment="Withdrawn from review."):
        post.save(update_fields=["status", "updated_by", "updated_at"])
    _record(post, Action.WITHDRAWN, by)
    return post


@transaction.atomic
def post_publish(*, post: Post, by, at=None) -> Post:
    """Publish `post` at `at` (now if not given; a future time schedules it).

    Each byline keeps the author's role as it is now, so a later change of job
    does not rewrite it.
    """
    _require_publisher(by)
    if post.is_published and at is None:
        raise ValidationError(
            "“%(post)s” is already published.", params={"post": post}, code="live"
        )
    authors = list(post.post_authors.select_related("person"))
    if not authors:
        raise ValidationError(
            "“%(post)s” has no author; add one before publishing it.",
            params={"post": post},
            code="no_author",
        )
    for author in authors:
        author.role = author.person.role
    type(authors[0]).objects.bulk_update(authors, ["role"])
    post.status = Post.Status.PUBLISHED
    post.published_at = at or timezone.now()
    post.updated_by = by
    scheduled = post.published_at > timezone.now()
    with _version(by=by, comment="Scheduled." if scheduled else "Published."):
        post.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    if scheduled:
        _record(post, Action.SCHEDULED, by, scheduled_for=post.published_at)
    else:
        _record(post, Action.PUBLISHED, by)
    return post


@transaction.atomic
def post_unpublish(*, post: Post, by) -> Post:
    """Take a published or scheduled post back to draft."""
    _require_publisher(by)
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError(
            "“%(post)s” is not published.", params={"post": post}, code="not_live"
        )
    post.status = Post.Status.DRAFT
    post.published_at = None
    post.updated_by = by
    with _version(by=by, comment="Unpublished (back to draft)."):
        post.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    _record(post, Action.UNPUBLISHED, by)
    return post


def post_record_old_slug(*, post: Post, old_slug: str) -> None:
    """Keep a published post's old address answering with a redirect."""
    if old_slug == post.slug:
        return
    # A slug back in use by a post no longer redirects anywhere.
    PostRedirect.objects.filter(old_slug=post.slug).delete()
    PostRedirect.objects.update_or_create(old_slug=old_slug, defaults={"post": post})


@transaction.atomic
def tag_merge(*, source: Tag, target: Tag) -> int:
    """Move everything tagged `source` to `target`, then delete `source`.

    Items that had both tags keep one. Returns how many items were moved.
    """
    if source.pk == target.pk:
        raise ValidationError(
            "A tag cannot be merged into itself; choose another tag.",
            code="same_tag",
        )
    moved = 0
    for item in TaggedItem.objects.filter(tag=source):
        has_target = TaggedItem.objects.filter(
            tag=target, content_type_id=item.content_type_id, object_id=item.object_id
        ).exists()
        if has_target:
            item.delete()
        else:
            item.tag = target
            item.save(update_fields=["tag"])
            moved += 1
    source.delete()
    return moved
