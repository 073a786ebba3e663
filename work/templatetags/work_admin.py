from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery

from work.models import Event, Project, Publication, Status, WorkEvent
from work.services import may_publish

register = template.Library()

QUEUE_LENGTH = 10


@register.inclusion_tag("admin/work/queue.html", takes_context=True)
def work_queue(context):
    """Projects, publications and events on each user's queue, as for posts.

    Everyone: their own drafts sent back with a note, and their own waiting in
    review. Editors also: all in review, and all scheduled.
    """
    user = context["request"].user
    kinds = []
    for model in (Project, Publication, Event):
        meta = model._meta
        if not user.has_perm(f"work.change_{meta.model_name}"):
            continue
        rows = model.objects.only("title", "status", "published_at")
        latest = WorkEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
        ).order_by("-at", "-pk")
        mine = rows.filter(created_by=user.pk)
        kind = {
            "name": meta.verbose_name_plural,
            "url_name": f"admin:work_{meta.model_name}_change",
            "sent_back": list(
                mine.filter(status=Status.DRAFT)
                .annotate(last_action=Subquery(latest.values("action")[:1]))
                .filter(last_action=WorkEvent.Action.CHANGES_REQUESTED)
                .order_by("title")[:QUEUE_LENGTH]
            ),
            "in_review": [],
            "scheduled": [],
        }
        if may_publish(user=user, model=model):
            kind["in_review"] = list(rows.filter(status=Status.REVIEW)[:QUEUE_LENGTH])
            kind["scheduled"] = list(rows.scheduled()[:QUEUE_LENGTH])
        else:
            kind["in_review"] = list(mine.filter(status=Status.REVIEW)[:QUEUE_LENGTH])
        if kind["sent_back"] or kind["in_review"] or kind["scheduled"]:
            kinds.append(kind)
    return {"kinds": kinds}
