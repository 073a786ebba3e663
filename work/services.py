"""Publishing projects, publications and events: the admin's actions call these."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from work.models import Status


def publish_permission(model):
    """The permission that lets a user publish rows of `model` (editors have it)."""
    return f"work.publish_{model._meta.model_name}"


def may_publish(*, user, model) -> bool:
    return user.has_perm(publish_permission(model))


def _require_publisher(user, item):
    if not may_publish(user=user, model=type(item)):
        raise ValidationError(
            "Only editors can publish, schedule or unpublish %(kind)s.",
            params={"kind": type(item)._meta.verbose_name_plural},
            code="not_an_editor",
        )


def item_publish(*, item, by, at=None):
    """Publish `item` at `at` (now if not given; a future time schedules it)."""
    _require_publisher(by, item)
    if item.is_published and at is None:
        raise ValidationError(
            "“%(item)s” is already published.", params={"item": item}, code="live"
        )
    item.status = Status.PUBLISHED
    item.published_at = at or timezone.now()
    item.save(update_fields=["status", "published_at", "updated_at"])
    return item


def item_unpublish(*, item, by):
    """Take a published or scheduled item back to draft."""
    _require_publisher(by, item)
    if item.status != Status.PUBLISHED:
        raise ValidationError(
            "“%(item)s” is not published.", params={"item": item}, code="not_live"
        )
    item.status = Status.DRAFT
    item.published_at = None
    item.save(update_fields=["status", "published_at", "updated_at"])
    return item
