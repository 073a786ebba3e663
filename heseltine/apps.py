from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class HeseltineConfig(AppConfig):
    """The project package as an app: site-wide caching, search, discovery, security."""

    name = "heseltine"
    verbose_name = "Site"

    def ready(self):
        from axes.signals import user_locked_out

        from heseltine import cache, security

        cache.connect_invalidation()
        user_locked_out.connect(security.log_lockout, dispatch_uid="log-lockout")


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic, leaving out the pages CKEditor and django-ckeditor ship.

    CKEditor's manual-test pages and plugin frames, and the jQuery 1.3.2
    gallery of django-ckeditor's image browser (ours replaces it), would be
    published under /static/ with no policy of ours. The editor needs none of
    them.
    """

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "ckeditor/*.html",
        "ckeditor/*/tests/*",
        "ckeditor/galleriffic/*",
    ]
