from django.apps import AppConfig


class HeseltineConfig(AppConfig):
    """The project package as an app: site-wide caching, search and discovery."""

    name = "heseltine"
    verbose_name = "Site"

    def ready(self):
        from heseltine import cache

        cache.connect_invalidation()
