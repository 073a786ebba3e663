from django import template

from blog.models import Post

register = template.Library()


@register.inclusion_tag("admin/blog/editorial_queue.html", takes_context=True)
def editorial_queue(context):
    """Posts waiting for an editor: in review, and scheduled to go live."""
    user = context["request"].user
    if not user.has_perm("blog.publish_post"):
        return {"show": False}
    posts = Post.objects.only("title", "status", "published_at", "updated_at")
    return {
        "show": True,
        "in_review": list(
            posts.filter(status=Post.Status.REVIEW).order_by("updated_at")
        ),
        "scheduled": list(posts.scheduled()),
    }
