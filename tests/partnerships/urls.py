"""The site's URLs plus a stand-in theme page, while the institute's is not merged.

Partnership pages link to `institute:theme_detail` (/themes/<slug>/), which the
institute branch provides; the fixture in conftest.py uses this module only
when that name cannot be reversed yet.
"""

from django.http import HttpResponse
from django.urls import include, path

from heseltine.urls import handler404, handler500, urlpatterns as site_urlpatterns
from institute.urls import urlpatterns as institute_urlpatterns


def theme_stand_in(request, slug):
    return HttpResponse(slug, content_type="text/plain")


__all__ = ["handler404", "handler500", "urlpatterns"]

urlpatterns = [
    *(pattern for pattern in site_urlpatterns if pattern.pattern.describe() != "''"),
    path(
        "",
        include(
            (
                [
                    path("themes/<slug:slug>/", theme_stand_in, name="theme_detail"),
                    *institute_urlpatterns,
                ],
                "institute",
            )
        ),
    ),
]
