from datetime import timedelta

from django import template
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from blog.models import Post, PostEvent

register = template.Library()

QUEUE_LENGTH = 10
RECENT_DAYS = 14


@register.inclusion_tag("admin/blog/editorial_queue.html", takes_context=True)
def editorial_queue(context):
    """Each user's own queue on the admin's home page.

    Everyone who writes: their drafts, those sent back first, and their posts
    waiting in review. Editors also: posts in review, scheduled, and recently
    published.
    """
    user = context["request"].user
    if not user.has_perm("blog.view_post"):
        return {"show": False}
    posts = Post.objects.only("title", "status", "published_at", "updated_at")
    latest = PostEvent.objects.filter(post=OuterRef("pk")).order_by("-at", "-pk")
    drafts = list(
        posts.filter(created_by=user, status=Post.Status.DRAFT)
        .annotate(
            last_action=Subquery(latest.values("action")[:1]),
            last_note=Subquery(latest.values("note")[:1]),
        )
        .order_by("-updated_at")[: QUEUE_LENGTH * 2]
    )
    sent_back = [
        p for p in drafts if p.last_action == PostEvent.Action.CHANGES_REQUESTED
    ]
    queue = {
        "show": True,
        "sent_back": sent_back,
        "my_drafts": [post for post in drafts if post not in sent_back][:QUEUE_LENGTH],
        "my_in_review": list(
            posts.filter(created_by=user, status=Post.Status.REVIEW).order_by(
                "updated_at"
            )[:QUEUE_LENGTH]
        ),
        "editor": user.has_perm("blog.publish_post"),
    }
    if queue["editor"]:
        since = timezone.now() - timedelta(days=RECENT_DAYS)
        queue.update(
            in_review=list(
                posts.filter(status=Post.Status.REVIEW).order_by("updated_at")
            ),
            scheduled=list(posts.scheduled()),
            recently_published=list(
                posts.public()
                .filter(published_at__gte=since)
                .order_by("-published_at")[:QUEUE_LENGTH]
            ),
            recent_days=RECENT_DAYS,
        )
    return queue
