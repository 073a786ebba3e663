"""The sitemap: every public page, with when it last changed.

Each section starts from the same public() querysets as the pages themselves.
Every link is on `SITE_URL`, not the request's Host (the page cache also builds
the index, whose links Django takes from the Host, for `SITE_URL`'s host).
"""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max
from django.urls import reverse
from django.utils.functional import cached_property

from heseltine.cache import cached_by_content
from heseltine.links import url_for_slug

# URLs a sitemap page; the index links to each page of each section.
PAGE_SIZE = 1000


class SiteSitemap(Sitemap):
    """Links on SITE_URL's scheme and host, whatever the request's."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


def model(label):
    return apps.get_model(label)


def public_rows(label):
    return model(label).objects.public()


def latest_change(label):
    """When the newest public row of a model changed, kept until content changes.

    The sections and the index both ask, for several models each.
    """
    return cached_by_content(
        f"sitemap-latest:{label}",
        lambda: public_rows(label).aggregate(latest=Max("updated_at"))["latest"],
    )


class ContentSitemap(SiteSitemap):
    """Rows of one model that have their own page; `updated_at` is lastmod.

    Rows as (slug, updated_at) pairs, not instances with their bodies: a
    section lists up to PAGE_SIZE rows.
    """

    limit = PAGE_SIZE
    model_label = ""
    url_name = ""  # of the row's page, which takes its slug

    def items(self):
        rows = public_rows(self.model_label).order_by("pk")
        return rows.values_list("slug", "updated_at")

    def get_latest_lastmod(self):
        # For the index: not a lastmod() per row.
        return latest_change(self.model_label)

    def location(self, item):
        return url_for_slug(self.url_name, item[0])

    def lastmod(self, item):
        return item[1]


class ThemeSitemap(ContentSitemap):
    model_label = "institute.ResearchTheme"
    url_name = "institute:theme_detail"


class PersonSitemap(ContentSitemap):
    model_label = "institute.Person"
    url_name = "institute:person_detail"


class PageSitemap(ContentSitemap):
    model_label = "institute.Page"
    url_name = "institute:page_detail"


class PartnershipSitemap(ContentSitemap):
    model_label = "partnerships.Partnership"
    url_name = "partnerships:partnership_detail"


class PostSitemap(ContentSitemap):
    model_label = "blog.Post"
    url_name = "blog:post_detail"


class ProjectSitemap(ContentSitemap):
    model_label = "work.Project"
    url_name = "work:project_detail"


class PublicationSitemap(ContentSitemap):
    model_label = "work.Publication"
    url_name = "work:publication_detail"


class EventSitemap(ContentSitemap):
    model_label = "work.Event"
    url_name = "work:event_detail"


class OrganisationSitemap(ContentSitemap):
    model_label = "partnerships.Organisation"
    url_name = "work:organisation_detail"


class ArchiveSitemap(SiteSitemap):
    """Blog archives (by tag, theme, author) that list at least one public post.

    lastmod is when the newest post in the archive went live.
    """

    limit = PAGE_SIZE
    url_name = ""
    lookup = ""  # from a post to the archive's object

    def items(self):
        return self.archives

    @cached_property
    def archives(self):
        # Once per request: the index asks for the items twice.
        return self.find_archives()

    def find_archives(self):
        posts = model("blog.Post").objects.public()
        return list(
            posts.filter(**{f"{self.lookup}__isnull": False})
            .values(archive_slug=F(f"{self.lookup}__slug"))
            .annotate(latest=Max("published_at"))
            .order_by("archive_slug")
        )

    def location(self, item):
        return url_for_slug(self.url_name, item["archive_slug"])

    def lastmod(self, item):
        return item["latest"]


class TagArchiveSitemap(ArchiveSitemap):
    url_name = "blog:tag_archive"
    lookup = "tags"


class ThemeArchiveSitemap(ArchiveSitemap):
    url_name = "blog:theme_archive"
    lookup = "themes"

    def find_archives(self):
        active = self.active()
        archives = super().find_archives()
        return [item for item in archives if item["archive_slug"] in active]

    def active(self):
        themes = model("institute.ResearchTheme").objects.public()
        return set(themes.values_list("slug", flat=True))


class AuthorArchiveSitemap(ArchiveSitemap):
    url_name = "blog:author_archive"
    lookup = "post_authors__person"


class SectionSitemap(SiteSitemap):
    """The site's index pages; each changed when the newest of its content did."""

    sections = {
        "institute:home": "institute.InstituteProfile",
        "institute:about": "institute.InstituteProfile",
        "institute:theme_list": "institute.ResearchTheme",
        "institute:person_list": "institute.Person",
        "partnerships:partnership_list": "partnerships.Partnership",
        "blog:post_list": "blog.Post",
        "work:project_list": "work.Project",
        "work:publication_list": "work.Publication",
        "work:event_list": "work.Event",
    }

    def items(self):
        return self.latest

    @cached_property
    def latest(self):
        return [(name, latest_change(label)) for name, label in self.sections.items()]

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "sections": SectionSitemap,
    "themes": ThemeSitemap,
    "people": PersonSitemap,
    "pages": PageSitemap,
    "partnerships": PartnershipSitemap,
    "posts": PostSitemap,
    "projects": ProjectSitemap,
    "publications": PublicationSitemap,
    "events": EventSitemap,
    "organisations": OrganisationSitemap,
    "tags": TagArchiveSitemap,
    "theme-archives": ThemeArchiveSitemap,
    "authors": AuthorArchiveSitemap,
}
