from django.apps import AppConfig


class HeseltineConfig(AppConfig):
    """The project package as an app: site-wide caching, search, discovery, security."""

    name = "heseltine"
    verbose_name = "Site"

    def ready(self):
        from axes.signals import user_locked_out

        from heseltine import cache, security

        cache.connect_invalidation()
        user_locked_out.connect(security.log_lockout, dispatch_uid="log-lockout")
