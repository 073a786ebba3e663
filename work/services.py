"""The workflow of projects, publications and events, as posts have it.

Contributors save and submit their own drafts, and withdraw them from review;
editors (who hold the model's publish permission) also publish, schedule, send
back with a note and unpublish. The admin's buttons and actions call these;
each move keeps a version and a WorkEvent, and emails who should hear of it.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blog.services import (
    PUBLISH,
    REQUEST_CHANGES,
    SAVE,
    SCHEDULE,
    SUBMIT,
    UNPUBLISH,
    WITHDRAW,
)
from work import notifications
from work.models import Status, WorkEvent

Action = WorkEvent.Action


def publish_permission(model):
    """The permission that lets a user publish rows of `model` (editors have it)."""
    return f"work.publish_{model._meta.model_name}"


def may_publish(*, user, model) -> bool:
    return user.has_perm(publish_permission(model))


def _noun(item):
    return type(item)._meta.verbose_name


def _require_publisher(user, item):
    if not may_publish(user=user, model=type(item)):
        raise ValidationError(
            "Only editors can publish, schedule, unpublish or send back %(kind)s. "
            "Submit it for review instead.",
            params={"kind": type(item)._meta.verbose_name_plural},
            code="not_an_editor",
        )


def is_editable_by(*, item, user) -> bool:
    """Editors edit any item; contributors only their own drafts."""
    model = type(item)
    if not user.has_perm(f"work.change_{model._meta.model_name}"):
        return False
    if may_publish(user=user, model=model):
        return True
    return item.created_by_id == user.pk and item.status == Status.DRAFT


def item_actions(*, model, item, user) -> list[str]:
    """The moves `user` may make on `item` of `model` (None: a new one), in order."""
    name = model._meta.model_name
    if not user.has_perm(f"work.{'change' if item else 'add'}_{name}"):
        return []
    editor = may_publish(user=user, model=model)
    status = item.status if item else Status.DRAFT
    creator = item is None or (
        item.created_by_id is not None and item.created_by_id == user.pk
    )
    editable = item is None or is_editable_by(item=item, user=user)
    actions = []
    if editable:
        actions.append(SAVE)
    if status == Status.DRAFT and editable:
        actions.append(SUBMIT)
    if editor and (status != Status.PUBLISHED or item.is_scheduled):
        actions += [PUBLISH, SCHEDULE]
    if editor and status == Status.REVIEW:
        actions.append(REQUEST_CHANGES)
    if status == Status.REVIEW and creator:
        actions.append(WITHDRAW)
    if editor and status == Status.PUBLISHED:
        actions.append(UNPUBLISH)
    return actions


def sent_back_note(item):
    """The editor's note, while the item is a draft sent back to its author."""
    if item.status != Status.DRAFT:
        return None
    event = item.events.select_related("by").first()
    if event is None or event.action != Action.CHANGES_REQUESTED:
        return None
    return event


def _move(item, *, by, action, status, comment, **details):
    """Save `item`'s new state with a version, and record and announce the step."""
    item.status = status
    fields = ["status", "published_at", "updated_at"]
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        item.save(update_fields=fields)
    event = WorkEvent.objects.create(item=item, action=action, by=by, **details)
    # Only once the change is in the database: a rolled-back step sends nothing.
    transaction.on_commit(lambda: notifications.send_for(event))
    return item


@transaction.atomic
def item_submit_for_review(*, item, by):
    if item.status != Status.DRAFT:
        raise ValidationError(
            "“%(item)s” is not a draft, so it cannot be submitted for review.",
            params={"item": item},
            code="not_a_draft",
        )
    return _move(
        item,
        by=by,
        action=Action.SUBMITTED,
        status=Status.REVIEW,
        comment="Submitted for review.",
    )


@transaction.atomic
def item_request_changes(*, item, by, note: str):
    """Send an item in review back to its author as a draft, with a note."""
    _require_publisher(by, item)
    if item.status != Status.REVIEW:
        raise ValidationError(
            "“%(item)s” is not in review, so it cannot be sent back.",
            params={"item": item},
            code="not_in_review",
        )
    if not (note := note.strip()):
        raise ValidationError(
            "Say what should change: the author sees this note.", code="no_note"
        )
    return _move(
        item,
        by=by,
        action=Action.CHANGES_REQUESTED,
        status=Status.DRAFT,
        comment="Sent back with changes requested.",
        note=note,
    )


@transaction.atomic
def item_withdraw(*, item, by):
    """Take an item out of review, back to draft: whoever created it."""
    if WITHDRAW not in item_actions(model=type(item), item=item, user=by):
        raise ValidationError(
            "Only whoever wrote this %(kind)s can withdraw it, and only while it "
            "is in review.",
            params={"kind": _noun(item)},
            code="not_withdrawable",
        )
    return _move(
        item,
        by=by,
        action=Action.WITHDRAWN,
        status=Status.DRAFT,
        comment="Withdrawn from review.",
    )


@transaction.atomic
def item_publish(*, item, by, at=None):
    """Publish `item` at `at` (now if not given; a future time schedules it)."""
    _require_publisher(by, item)
    if item.is_published and at is None:
        raise ValidationError(
            "“%(item)s” is already published.", params={"item": item}, code="live"
        )
    item.published_at = at or timezone.now()
    if item.published_at > timezone.now():
        return _move(
            item,
            by=by,
            action=Action.SCHEDULED,
            status=Status.PUBLISHED,
            comment="Scheduled.",
            scheduled_for=item.published_at,
        )
    return _move(
        item,
        by=by,
        action=Action.PUBLISHED,
        status=Status.PUBLISHED,
        comment="Published.",
    )


@transaction.atomic
def item_unpublish(*, item, by):
    """Take a published or scheduled item back to draft."""
    _require_publisher(by, item)
    if item.status != Status.PUBLISHED:
        raise ValidationError(
            "“%(item)s” is not published.", params={"item": item}, code="not_live"
        )
    item.published_at = None
    return _move(
        item,
        by=by,
        action=Action.UNPUBLISHED,
        status=Status.DRAFT,
        comment="Unpublished (back to draft).",
    )
