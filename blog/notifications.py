"""Emails about a post's progress through the workflow.

Editors hear when a post is submitted for review; its author (who created
it, and bylined people with an account) when it is published, scheduled or
sent back. Nobody is emailed about their own action, nor anyone who has
turned these emails off (NotificationSettings, on their own admin page).
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from blog.models import PostEvent
from blog.roles import EDITORS

logger = logging.getLogger(__name__)
Action = PostEvent.Action

TO_EDITORS = {Action.SUBMITTED}
TO_AUTHORS = {Action.PUBLISHED, Action.SCHEDULED, Action.CHANGES_REQUESTED}


def editors():
    users = get_user_model().objects.filter(is_active=True)
    publish = Q(
        user_permissions__codename="publish_post",
        user_permissions__content_type__app_label="blog",
    )
    return users.filter(Q(groups__name=EDITORS) | publish).distinct()


def authors(post):
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(
        Q(pk=post.created_by_id) | Q(person__post_authors__post=post)
    ).distinct()


def recipients(event):
    if event.action in TO_EDITORS:
        users = editors()
    elif event.action in TO_AUTHORS:
        users = authors(event.post)
    else:
        return []
    return wanting(users, event)


def wanting(users, event):
    """Those of `users` to email about `event`: not whoever took the step, with
    an address, and not turned these emails off."""
    return list(
        users.exclude(pk=event.by_id)
        .exclude(email="")
        .exclude(blog_notifications__workflow_emails=False)
        .order_by("pk")
    )


def admin_link(item):
    """The address of `item`'s page in the admin, for an email."""
    meta = item._meta
    path = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk])
    return getattr(settings, "SITE_URL", "") + path


def send_for(event):
    """Email everyone who should hear of `event`; return how many were sent."""
    return deliver(event, event.post, recipients(event))


def deliver(event, item, people):
    """Email `people` about `event`, a step of `item`'s workflow.

    A mail server that is down is logged, not raised: the item has moved on
    either way, and its page says so.
    """
    if not people:
        return 0
    # The emails name only the item's title and link to its page.
    context = {"event": event, "post": item, "link": admin_link(item)}
    subject = " ".join(
        render_to_string("admin/blog/workflow_subject.txt", context).split()
    )
    messages = [
        EmailMessage(
            subject,
            render_to_string(
                "admin/blog/workflow_email.txt", {**context, "user": user}
            ),
            None,
            [user.email],
        )
        for user in people
    ]
    try:
        return get_connection().send_messages(messages) or 0
    except (OSError, smtplib.SMTPException):
        logger.exception(
            "Workflow email about %s %s not sent", item._meta.verbose_name, item.pk
        )
        return 0
