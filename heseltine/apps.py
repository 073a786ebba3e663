from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class HeseltineConfig(AppConfig):
    """The project package as an app: caching, clean text, search, security."""

    name = "heseltine"
    verbose_name = "Site"

    def ready(self):
        from axes.signals import user_locked_out

        from heseltine import cache, security, text, users

        cache.connect_invalidation()
        users.register()
        text.connect_cleaning()
        user_locked_out.connect(security.log_lockout, dispatch_uid="log-lockout")


class TagsConfig(TaggitAppConfig):
    """django-taggit, under the name editors know it by in the admin."""

    verbose_name = "Tags"
