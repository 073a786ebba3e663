"""Site-wide views that belong to no app: search, health, robots, error pages."""

import hashlib
import json
import logging
import os
from functools import partial
from http import HTTPStatus

from ckeditor_uploader import utils as ckeditor_utils, views as ckeditor_views
from ckeditor_uploader.backends import get_backend
from ckeditor_uploader.forms import SearchForm
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from heseltine import search as site_search
from heseltine.cache import cache_answers, cached_by_content
from heseltine.images import stored_image_name, stripped_image, validate_image_upload
from institute.views import public_themes

logger = logging.getLogger(__name__)
RESULTS_PER_PAGE = 10


def search(request):
    """One ranked list of everything public that matches, with filters."""
    query = site_search.clean_query(request.GET.get("q", ""))
    kinds = dict(site_search.KIND_CHOICES)
    kind = request.GET.get("kind") or None
    themes = cached_by_content("public-themes", public_themes)
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
        find = partial(site_search.found, query, kind=kind, theme=theme)
        if problems:
            found, first = find()
        else:
            # The counts and first results change only with the content, like
            # the lists' pages; kept for the searches the page cache would keep.
            asked = json.dumps([query, kind, theme and theme.pk]).encode()
            found, first = cached_by_content(
                f"search:{hashlib.sha256(asked).hexdigest()}", find
            )
        paginator = Paginator(first, RESULTS_PER_PAGE)
        paginator.count = sum(found.values())
        page_obj = paginator.get_page(request.GET.get("page"))
        if page_obj.end_index() > len(first):
            # Past the results kept: this page's rows from the database.
            matches = site_search.search(
                query, kind=kind, theme=theme, among={k for k, n in found.items() if n}
            )
            rows = matches[page_obj.start_index() - 1 : page_obj.end_index()]
            page_obj.object_list = site_search.results(rows, query)
        results = page_obj.object_list
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
    """The state of the database and of the cache, in JSON.

    503 when the database does not answer: the site cannot serve. 200 when it
    does, "degraded" if the cache does not, since pages are then rendered
    without it and saves still work: a load balancer should keep this server.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        database = False
    else:
        database = True
    cache = cache_answers()
    return JsonResponse(
        {
            "status": "unavailable" if not database else "ok" if cache else "degraded",
            "database": "ok" if database else "error",
            "cache": "ok" if cache else "error",
        },
        status=HTTPStatus.OK if database else HTTPStatus.SERVICE_UNAVAILABLE,
    )


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


# Uploads are served as what they are and can run nothing, even if a browser
# were persuaded to read one as a page. Production's web server sends the same.
MEDIA_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}


def serve_media(request, path):
    """Uploaded files, for `make serve` and small single-host set-ups."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    return response


@staff_member_required
@require_POST
def ckeditor_upload(request):
    """CKEditor's image upload: the one route by which rich-text images arrive.

    Checks the file's content (format, bytes, pixels), stores it re-encoded
    without metadata under a name ending in the detected format, and answers
    CKEditor's JSON. The CSRF check stays: CKEditor sends the token as a header
    (static/js/ckeditor-config.js).
    """
    upload = request.FILES.get("upload")
    try:
        if upload is None:
            raise ValidationError("Choose an image to upload.")
        kind = validate_image_upload(upload)
    except ValidationError as error:
        # CKEditor shows this message in its dialog; any non-2xx answer would
        # be shown as a bare HTTP error instead.
        return JsonResponse(
            {"uploaded": 0, "error": {"message": " ".join(error.messages)}}
        )
    name = ckeditor_views.get_upload_filename(
        stored_image_name(upload.name, kind), request
    )
    image = ContentFile(stripped_image(upload, kind), name=os.path.basename(name))
    saved = get_backend()(ckeditor_utils.storage, image).save_as(name)
    return JsonResponse(
        {
            "uploaded": 1,
            "fileName": os.path.basename(saved),
            "url": ckeditor_utils.get_media_url(saved),
        }
    )


@never_cache
@staff_member_required
def ckeditor_browse(request):
    """CKEditor's image browser: editors see every upload, others their own.

    django-ckeditor's own view shows everything to superusers only; uploads
    are kept under each uploader's id (CKEDITOR_RESTRICT_BY_USER).
    """
    owner = None if request.user.has_perm("blog.publish_post") else request.user
    files = ckeditor_views.get_files_browse_urls(owner)
    form = SearchForm(request.POST or None)
    if form.is_valid():
        query = form.cleaned_data["q"].lower()
        files = [f for f in files if query in f["visible_filename"].lower()]
    return render(
        request,
        "ckeditor/browse.html",
        {"show_dirs": False, "dirs": [], "files": files, "form": form},
    )
