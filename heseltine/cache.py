"""Whole-page caching for anonymous visitors, invalidated exactly.

Every cached page is stored under the site's current *content stamp*. Any save,
delete or many-to-many change of a model in a content app changes the stamp,
so the very next request renders afresh; so does the arrival of the next
scheduled change (a post's publication time), found by the functions given to
`register_schedule`. No cron job, no stale page after an edit.

The stamp lives in the cache when the cache is shared (Redis), and in a small
file when the cache is local memory, so that every worker process on the host
sees a change at once. Staff (anyone with a session), previews and anything marked
private or no-store are never cached.

A stored page is shared by every reader, so nothing a client chooses beyond the
page itself may shape it: the Host is validated before the cache answers, and
the page is rendered for `SITE_URL`'s host; only the query parameters a page
reads (`QUERY_PARAMETERS`) key it, and a request with any other is answered but
not stored, so junk in a URL cannot fill the cache.
"""

import hashlib
import os
import re
import secrets
import tempfile
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from asgiref.local import Local
from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.db import InterfaceError, OperationalError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)

CONTENT_APPS = ("institute", "blog", "partnerships", "taggit")
SKIPPED_PREFIXES = ("/admin/", "/ckeditor/", "/media/", "/static/", "/healthz")
PAGE_TIMEOUT = 60 * 60
STAMP_KEY = "content-stamp"
# What a database that cannot be reached raises (see heseltine.middleware).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# The query parameters each page reads, by URL name, and the values each may
# take. Numbers are written plainly (a page past the last is a 404, never
# stored), so `?page=02` is not a second copy of page 2; choices are listed (a
# new one is answered, just not stored, until it is added here); an empty value
# is a form sent with "All ..." chosen. Search is keyed by its words and theme,
# whatever they are.
NUMBER = r"|[1-9][0-9]{0,5}"
PARAMETER_VALUES = {
    "page": re.compile(NUMBER + "|last"),
    "p": re.compile(NUMBER),
    "phase": re.compile(r"|[1-9][0-9]?"),
    "nation": re.compile(r"|england|northern_ireland|scotland|wales|not_stated"),
    "kind": re.compile(r"|post|theme|person|partnership|page"),
    "theme": re.compile(r"|[a-z0-9_-]{1,100}"),
    "q": re.compile(r".{0,200}", re.DOTALL),
}
LIST = ("page",)
QUERY_PARAMETERS = {
    "blog:post_list": LIST,
    "blog:tag_archive": LIST,
    "blog:theme_archive": LIST,
    "blog:author_archive": LIST,
    "blog:year_archive": LIST,
    "blog:month_archive": LIST,
    "partnerships:partnership_list": ("page", "phase", "nation"),
    "search": ("q", "kind", "theme", "page"),
    "django.contrib.sitemaps.views.sitemap": ("p",),
}

_schedules = []


def register_schedule(next_change_at):
    """Register a function returning the next time public content changes by itself."""
    _schedules.append(next_change_at)


def _stamp_file():
    if path := getattr(settings, "CONTENT_STAMP_FILE", None):
        return Path(path)
    return _default_stamp_file(settings.BASE_DIR)


@lru_cache
def _default_stamp_file(base_dir):
    # One per checkout, so two projects on one host never share a stamp. Kept:
    # the stamp is read several times a request.
    digest = hashlib.sha256(str(base_dir).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"heseltine-content-stamp-{digest}"


def _uses_stamp_file():
    return isinstance(caches["default"], LocMemCache)


# The state as this request first read it, so a page reads the stamp file or
# the shared cache once rather than at each cached value (a round trip each
# with Redis). A page keyed by the stamp it started with is consistent with it.
_request = Local()


def _begin_request(**kwargs):
    _request.state = None


def _end_request(**kwargs):
    if hasattr(_request, "state"):
        del _request.state


def _remember(state):
    if hasattr(_request, "state"):  # within a request
        _request.state = state
    return state


def _read_state():
    if _uses_stamp_file():
        try:
            text = _stamp_file().read_text()
        except FileNotFoundError:
            return None
        stamp, _, next_change = text.partition(" ")
        return stamp, datetime.fromisoformat(next_change) if next_change else None
    return cache.get(STAMP_KEY)


def _write_state(stamp, next_change):
    if _uses_stamp_file():
        # Written aside and renamed, so a reader never sees a half-written stamp.
        path = _stamp_file()
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name)
        with os.fdopen(fd, "w") as file:
            file.write(f"{stamp} {next_change.isoformat() if next_change else ''}")
        os.replace(temporary, path)
    else:
        cache.set(STAMP_KEY, (stamp, next_change), None)


def content_state():
    """The current content stamp and the next scheduled change (one read a request).

    Once the scheduled change has come, the stamp is renewed first, so the page
    cache and `cached_by_content` both see it, with the page cache on or off.
    """
    if remembered := getattr(_request, "state", None):
        return remembered
    state = _read_state()
    if state is None or (state[1] and state[1] <= timezone.now()):
        return bump_content_stamp()
    return _remember(state)


def bump_content_stamp(**kwargs):
    """Give the site a new content stamp: every cached page is now stale.

    Also looks up when content next changes by itself, so page requests
    never have to.
    """
    times = [t for t in (schedule() for schedule in _schedules) if t is not None]
    state = (secrets.token_hex(8), min(times) if times else None)
    _write_state(*state)
    return _remember(state)


# Whether this thread's transaction has changed content since its last stamp
# at commit.
_transaction = Local()


def _bump_at_commit():
    if getattr(_transaction, "changed", False):
        _transaction.changed = False
        bump_content_stamp()


def _bump_now_and_on_commit():
    bump_content_stamp()
    # A page rendered by another process before this transaction commits
    # shows the old content; a second stamp at commit orphans it. Once per
    # commit however many changes it holds: the first callback stamps, the
    # rest find nothing new (and a savepoint rolled back takes its own with it).
    if not transaction.get_autocommit():
        _transaction.changed = True
        transaction.on_commit(_bump_at_commit)


def cached_by_content(key, compute):
    """`compute()`'s value, computed once per content stamp and then reused.

    For values derived from public content (the month list of the blog, the
    institute's profile in every page's footer): exact for the same reason as
    the page cache, and it spares pages rendered afresh their queries.
    """
    stamp, _ = content_state()
    return cache.get_or_set(f"content:{key}:{stamp}", compute, PAGE_TIMEOUT)


def _on_content_change(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        _bump_now_and_on_commit()


def _on_m2m_change(sender, action, **kwargs):
    if action.startswith("post_"):
        _bump_now_and_on_commit()


def connect_invalidation():
    request_started.connect(_begin_request, dispatch_uid="content-state-begin")
    request_finished.connect(_end_request, dispatch_uid="content-state-end")
    post_save.connect(_on_content_change, dispatch_uid="page-cache-save")
    post_delete.connect(_on_content_change, dispatch_uid="page-cache-delete")
    for model in apps.get_models():
        if model._meta.app_label in CONTENT_APPS:
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_m2m_change,
                    sender=field.remote_field.through,
                    dispatch_uid=f"page-cache-m2m-{model._meta.label}-{field.name}",
                )


def never_cache_page(response):
    """Mark a response as private: it is neither cached here nor downstream."""
    add_never_cache_headers(response)
    return response


def _cache_query(request):
    """The request's query string as the page's cache key has it, or None.

    None when a parameter is one the page does not read, is given twice, or has
    a value not in its usual form: such a request is answered, not stored.
    """
    if not request.GET:
        return ""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return None
    read = QUERY_PARAMETERS.get(view_name, ())
    pairs = []
    for name, values in request.GET.lists():
        if name not in read or len(values) != 1:
            return None
        if not PARAMETER_VALUES[name].fullmatch(values[0]):
            return None
        pairs.append((name, values[0]))
    return urlencode(sorted(pairs))


def _site_host():
    return urlsplit(settings.SITE_URL).netloc


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache; see the module docs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Django's own check, before any cached page is answered: a Host not in
        # ALLOWED_HOSTS raises DisallowedHost, which Django answers with a 400.
        request.get_host()
        query = _cache_query(request) if self._is_cacheable_request(request) else None
        if query is None:
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True)
            return response

        try:
            stamp, next_change = content_state()
        except DATABASE_UNAVAILABLE:
            # Renewing the stamp looks up the next scheduled change: the view
            # will find the database down too, and answer with a 503.
            return self.get_response(request)
        # Django's sitemap index and feeds build links from the Host: a page
        # stored for every reader is built for the site's own host instead.
        request.get_host = _site_host
        now = timezone.now()
        key = "page:{}:{}:{}".format(
            stamp,
            request.method == "HEAD" and "GET" or request.method,
            hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest(),
        )
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(
                request, etag=response["ETag"], response=response
            )

        response = self.get_response(request)
        if not self._is_cacheable_response(response):
            return response
        response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        timeout = PAGE_TIMEOUT
        if next_change:
            timeout = max(1, min(timeout, int((next_change - now).total_seconds())))
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in {"set-cookie", "x-page-cache"}
        ]
        cache.set(key, (response.status_code, headers, response.content), timeout)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(
            request, etag=response["ETag"], response=response
        )

    @staticmethod
    def _is_cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(SKIPPED_PREFIXES)
        )

    @staticmethod
    def _is_cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(
                word in cache_control for word in ("private", "no-store", "no-cache")
            )
        )
