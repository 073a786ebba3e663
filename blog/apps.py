from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    from blog.roles import ensure_roles

    ensure_roles()


def _next_scheduled_post_at():
    from blog.models import Post

    return Post.objects.scheduled().values_list("published_at", flat=True).first()


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from heseltine.cache import register_schedule

        # Scheduled posts go live by themselves: cached pages end at that time.
        register_schedule(_next_scheduled_post_at)
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="blog-roles")
