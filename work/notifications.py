"""Emails about a project's, publication's or event's progress, as for posts.

Editors hear when one is submitted for review; whoever created it when it is
published, scheduled or sent back. Nobody is emailed about their own action,
nor anyone who has turned workflow emails off (the same choice as for posts).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from blog.notifications import deliver, wanting
from blog.roles import EDITORS

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
    return wanting(users, event)


def send_for(event):
    """Email everyone who should hear of `event`; return how many were sent."""
    return deliver(event, event.item, recipients(event))
