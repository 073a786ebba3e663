from django.apps import AppConfig


class HeseltineConfig(AppConfig):
    """The project package as an app: caching, clean text, search, discovery."""

    name = "heseltine"
    verbose_name = "Site"

    def ready(self):
        from heseltine import cache, text

        cache.connect_invalidation()
        text.connect_cleaning()
