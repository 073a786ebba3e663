"""Emails about a project's, publication's or event's progress, as for posts.

Editors hear when one is submitted for review; whoever created it when it is
published, scheduled or sent back. Nobody is emailed about their own action,
nor anyone who has turned workflow emails off (the same choice as for posts).
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from blog.roles import EDITORS

logger = logging.getLogger(__name__)

TO_EDITORS = {"submitted"}
TO_AUTHORS = {"published", "scheduled", "changes_requested"}


def recipients(event):
    users = get_user_model().objects.filter(is_active=True)
    if event.action in TO_EDITORS:
        meta = event.content_type.model_class()._meta
        publish = Q(
            user_permissions__codename=f"publish_{meta.model_name}",
            user_permissions__content_type=event.content_type,
        )
        users = users.filter(Q(groups__name=EDITORS) | publish).distinct()
    elif event.action in TO_AUTHORS:
        users = users.filter(pk=event.item.created_by_id)
    else:
        return []
    return list(
        users.exclude(pk=event.by_id)
        .exclude(email="")
        .exclude(blog_notifications__workflow_emails=False)
        .order_by("pk")
    )


def send_for(event):
    """Email everyone who should hear of `event`; return how many were sent.

    A mail server that is down is logged, not raised: the item has moved on
    either way, and its page says so.
    """
    people = recipients(event)
    if not people:
        return 0
    item = event.item
    meta = item._meta
    path = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk])
    # The posts' emails, which name only the title and link to it.
    context = {"event": event, "post": item, "link": settings.SITE_URL + path}
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
        logger.exception("Workflow email about %s %s not sent", meta.label, item.pk)
        return 0
