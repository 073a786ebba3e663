from django.contrib.staticfiles.management.commands import collectstatic

# What django-ckeditor ships that the editor never loads and no one should
# browse to under /static/: CKEditor's manual-test pages, its plugins' frame
# pages, and the jQuery 1.3.2 gallery of django-ckeditor's own image browser
# (ours, templates/ckeditor/browse.html, replaces it). Matched against each
# file's path, as Django's own ignore patterns are.
IGNORED = ["ckeditor/*.html", "ckeditor/*/tests/*", "ckeditor/galleriffic/*"]


class Command(collectstatic.Command):
    """Django's collectstatic, also leaving out CKEditor's sample pages.

    A StaticFilesConfig subclass in INSTALLED_APPS, the other way Django's
    docs give, would hide django.contrib.staticfiles from pytest-django's
    live server, which then serves no static files to the browser tests.
    """

    def set_options(self, **options):
        super().set_options(**options)
        if options["use_default_ignore_patterns"]:
            self.ignore_patterns = [*self.ignore_patterns, *IGNORED]
