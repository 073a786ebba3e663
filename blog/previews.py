"""Signed preview links for reviewers without an account.

A token carries the post's id, a fingerprint of its `updated_at` and the
account that made the link. Any change to the post revokes every link made
before it; tokens expire after a week; and a link works only while the
account that made it may still share the post (see `may_share`), so the rule
holds where the link is followed, not only where it is shown.
"""

import hashlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse

SALT = "blog.preview"
MAX_AGE = timedelta(days=7)


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


def _fingerprint(post):
    return hashlib.sha256(post.updated_at.isoformat().encode()).hexdigest()[:16]


def preview_token(post, by):
    if not may_share(post, by):
        raise PermissionDenied("This account may not share this post.")
    data = {"post": post.pk, "version": _fingerprint(post), "by": by.pk}
    return signing.dumps(data, salt=SALT)


def preview_url(post, by):
    """The reviewer's link to `post`, made by `by` (who must be allowed to)."""
    return reverse("blog:post_preview", kwargs={"token": preview_token(post, by)})


def post_from_token(token, posts):
    """Return the post a token names from `posts`, or None if it is not valid now."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    post = posts.filter(pk=data.get("post")).first()
    if post is None or _fingerprint(post) != data.get("version"):
        return None
    # Links made before they named their maker (by anyone) are refused too.
    maker = get_user_model().objects.filter(pk=data.get("by")).first()
    if maker is None or not may_share(post, maker):
        return None
    return post
