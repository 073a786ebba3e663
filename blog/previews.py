"""Links that show a post's current draft to reviewers without an account.

Each link is a row (blog.models.ShareLink) with a random token: it shows the
post as it is when the link is followed, edits and all, until it expires or
is revoked. An expired or revoked link answers a page saying so, never the
post. Who may make links (`may_share`) is decided when one is made, on the
server.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from blog.models import ShareLink

# How long a new link works, in days, as offered on the post's page.
LIFETIMES = [1, 7, 30]
DEFAULT_DAYS = 7


def may_share(post, user):
    """Editors share any post; a contributor only a draft they created.

    A contributor may send their own draft to an outside reviewer; anything
    in review or scheduled is the editors' to show.
    """
    if not user.is_active or not user.has_perm("blog.view_post"):
        return False
    if user.has_perm("blog.publish_post"):
        return True
    return (
        post.status == post.Status.DRAFT
        and post.created_by_id is not None
        and post.created_by_id == user.pk
    )


def may_revoke(link, user):
    """Editors revoke any link; anyone the link they made."""
    if not user.is_active:
        return False
    return user.has_perm("blog.publish_post") or (
        link.created_by_id is not None and link.created_by_id == user.pk
    )


def make_link(post, *, by, days=DEFAULT_DAYS):
    if not may_share(post, by):
        raise PermissionDenied("This account may not share this post.")
    if days not in LIFETIMES:
        raise ValidationError("Choose how long the link should work.", code="days")
    return ShareLink.objects.create(
        post=post, created_by=by, expires_at=timezone.now() + timedelta(days=days)
    )


def revoke(link, *, by):
    if not may_revoke(link, by):
        raise PermissionDenied("This account may not revoke this link.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def link_for(token):
    """The link with this token, working or not, or None if there is none."""
    if not token or len(token) > 64:
        return None
    links = ShareLink.objects.select_related("post", "created_by")
    return links.filter(token=token).first()


def maker_left(link):
    """Whether the account that made the link is gone or switched off."""
    return link.created_by is None or not link.created_by.is_active
