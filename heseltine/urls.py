from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path, re_path

from heseltine import views
from heseltine.sitemaps import SITEMAPS

admin.site.site_header = "Heseltine Institute: editors"
admin.site.site_title = "Heseltine Institute admin"
admin.site.index_title = "Site content"
# Django's pages for the link an editor emails a new contributor, or anyone
# who needs a new password (heseltine.users), in the admin's frame.
ADMIN_NAMES = {
    "site_header": admin.site.site_header,
    "site_title": admin.site.site_title,
}

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("search/", views.search, name="search"),
    # An index of sections, each in pages, rather than one file of every URL.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "admin/password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_NAMES),
        name="password_reset_confirm",
    ),
    path(
        "admin/password/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_NAMES),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # Our own routes for CKEditor's uploads, not django-ckeditor's: its upload
    # view checks neither content nor size, and its patterns have no end anchor.
    path("ckeditor/upload/", views.ckeditor_upload, name="ckeditor_upload"),
    path("ckeditor/browse/", views.ckeditor_browse, name="ckeditor_browse"),
    path("blog/", include("blog.urls")),
    path("partnerships/", include("partnerships.urls")),
    # Projects, publications, events and organisations.
    path("", include("work.urls")),
    # Last: the institute owns the home page and catch-all page slugs.
    path("", include("institute.urls")),
]

if settings.SERVE_MEDIA:
    # Uploads served by Django: for development and small single-host setups.
    urlpatterns.insert(
        0,
        re_path(r"^media/(?P<path>.*)$", views.serve_media, name="media"),
    )

handler404 = "heseltine.views.page_not_found"
handler500 = "heseltine.views.server_error"
