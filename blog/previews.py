"""Signed preview links for reviewers without an account.

A token carries the post's id and a fingerprint of its `updated_at`, so any
change to the post revokes every link made before it; tokens expire after a
week.
"""

import hashlib
from datetime import timedelta

from django.core import signing
from django.urls import reverse

SALT = "blog.preview"
MAX_AGE = timedelta(days=7)


def _fingerprint(post):
    return hashlib.sha256(post.updated_at.isoformat().encode()).hexdigest()[:16]


def preview_token(post):
    return signing.dumps({"post": post.pk, "version": _fingerprint(post)}, salt=SALT)


def preview_url(post):
    return reverse("blog:post_preview", kwargs={"token": preview_token(post)})


def post_from_token(token, posts):
    """Return the post a token names from `posts`, or None if it is not valid now."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    post = posts.filter(pk=data.get("post")).first()
    if post is None or _fingerprint(post) != data.get("version"):
        return None
    return post
