"""Site-wide views that belong to no app: search, health, robots, error pages."""

import json
import logging
from http import HTTPStatus

from ckeditor_uploader.views import upload as ckeditor_uploader_upload
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from heseltine import search as site_search
from heseltine.cache import cached_by_content
from heseltine.images import validate_image_upload
from institute.views import active_themes

logger = logging.getLogger(__name__)
RESULTS_PER_PAGE = 10


def search(request):
    """One ranked list of everything public that matches, with filters."""
    query = site_search.clean_query(request.GET.get("q", ""))
    kinds = dict(site_search.KIND_CHOICES)
    kind = request.GET.get("kind") or None
    themes = cached_by_content("active-themes", active_themes)
    theme_slug = request.GET.get("theme") or None
    theme = next((t for t in themes if t.slug == theme_slug), None)
    problems = []
    if kind is not None and kind not in kinds:
        problems.append("That kind of content is not one we search; showing all kinds.")
        kind = None
    if theme_slug and theme is None:
        problems.append("That research theme is not one we have; showing all themes.")
    page_obj = results = None
    if query:
        matches = site_search.search(query, kind=kind, theme=theme)
        page_obj = matches.page(request.GET.get("page"), RESULTS_PER_PAGE)
        results = site_search.results(page_obj.object_list, query)
    filters = {"q": query, "kind": kind or "", "theme": theme.slug if theme else ""}
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "was_cut": len(request.GET.get("q", "")) > site_search.MAX_QUERY_LENGTH,
            "kind": kind,
            "kinds": site_search.KIND_CHOICES,
            "theme": theme,
            "themes": themes,
            "problems": problems,
            "page_obj": page_obj,
            "results": results,
            "page_query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


@never_cache
def healthz(request):
    """Answer 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse(
            {"status": "unavailable", "database": "error"},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=HTTPStatus.NOT_FOUND)


# The last resort when even 500.html fails (its static files unlisted, say).
PLAIN_SERVER_ERROR = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Sorry, there is a problem | Heseltine Institute</title></head>"
    "<body><main><h1>Sorry, there is a problem</h1>"
    "<p>Please try again later.</p></main></body></html>"
)


def server_error(request):
    # 500.html extends nothing and needs no database: it may be what failed.
    try:
        return render(request, "500.html", status=HTTPStatus.INTERNAL_SERVER_ERROR)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponse(PLAIN_SERVER_ERROR, status=HTTPStatus.INTERNAL_SERVER_ERROR)


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    """Keep crawlers out of the admin, previews and search results."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ckeditor/",
        "Disallow: /blog/preview/",
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@staff_member_required
@csrf_exempt  # As django-ckeditor's own view: CKEditor 4's upload form sends no token.
@require_POST
def ckeditor_upload(request):
    """CKEditor's image upload, refusing what is not a real image of at most 5 MB."""
    upload = request.FILES.get("upload")
    try:
        if upload is None:
            raise ValidationError("Choose an image to upload.")
        validate_image_upload(upload)
    except ValidationError as error:
        message = " ".join(error.messages)
        callback = request.GET.get("CKEditorFuncNum", "")
        if callback.isdigit():
            # The editor's upload dialog reads the answer from a script.
            text = json.dumps(message).replace("<", "\\u003c")
            return HttpResponse(
                "<script>window.parent.CKEDITOR.tools.callFunction("
                f"{callback}, '', {text});</script>"
            )
        return JsonResponse(
            {"uploaded": 0, "error": {"message": message}},
            status=HTTPStatus.BAD_REQUEST,
        )
    return ckeditor_uploader_upload(request)
