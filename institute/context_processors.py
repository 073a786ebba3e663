from django.conf import settings
from django.utils.functional import SimpleLazyObject

from institute.models import InstituteProfile, Page


def site(request):
    """Give every template the institute's profile and the footer's pages.

    Both are lazy: a page that never shows them runs no query for them.
    """
    return {
        "site_url": settings.SITE_URL,
        "institute": SimpleLazyObject(InstituteProfile.objects.first),
        "footer_pages": SimpleLazyObject(
            lambda: list(
                Page.objects.published()
                .filter(show_in_footer=True)
                .order_by("footer_order", "title")
                .only("title", "slug")
            )
        ),
    }
