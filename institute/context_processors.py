from django.conf import settings
from django.utils.functional import SimpleLazyObject

from heseltine.cache import cached_by_content
from heseltine.links import url_for_slug
from institute.models import InstituteProfile, Page


def site(request):
    """Give every template the institute's profile and the footer's pages.

    Both are lazy, and cached until content next changes: most pages run no
    query for them.
    """
    return {
        "site_url": settings.SITE_URL,
        "institute": SimpleLazyObject(
            lambda: cached_by_content("profile", InstituteProfile.objects.first)
        ),
        "footer_pages": SimpleLazyObject(
            lambda: cached_by_content("footer-pages", footer_pages)
        ),
    }


def footer_pages():
    """[{title, url}] of the pages linked from every page's footer."""
    pages = Page.objects.public().filter(show_in_footer=True)
    return [
        {"title": title, "url": url_for_slug("institute:page_detail", slug)}
        for title, slug in pages.order_by("footer_order", "title").values_list(
            "title", "slug"
        )
    ]
