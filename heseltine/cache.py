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

The cache is an optimisation, never a dependency. Every use of it goes through
`_cache_call`: when Redis fails (down, frozen past its timeout, still loading),
pages are rendered without it and saves go on, and the process leaves it alone
while a thread tries it every `RETRY_AFTER` seconds. What it could not write is
made safe rather than retried: a process that met a failure, or opened a new
connection, cannot know what changed meanwhile, so it owes the site a new
stamp, and pays it (deletes the stamp) before it reads anything more from the
cache. See the README's "Caching" for what this guarantees and its limits.

With FRONTEND_CACHE_URLS set, pages this cache keeps also carry s-maxage,
so Varnish in front keeps them too, and every new stamp sends it a BAN
(heseltine.edge); see `_mark_for_edge`.

A stored page is shared by every reader, so nothing a client chooses beyond the
page itself may shape it: the Host is validated before the cache answers, and
the page is rendered for `SITE_URL`'s host; only the query parameters a page
reads (`QUERY_PARAMETERS`) key it, and a request with any other is answered but
not stored, so junk in a URL cannot fill the cache.
"""

import contextlib
import hashlib
import logging
import os
import re
import secrets
import tempfile
import threading
import time
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import redis
from asgiref.local import Local
from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started, setting_changed
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

from heseltine import edge

CONTENT_APPS = ("institute", "blog", "partnerships", "work", "taggit")
SKIPPED_PREFIXES = ("/admin/", "/ckeditor/", "/media/", "/static/", "/healthz")
PAGE_TIMEOUT = 60 * 60
STAMP_KEY = "content-stamp"
# What a database that cannot be reached raises (see heseltine.middleware).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# What a cache that fails raises: redis-py's errors (refused, timed out,
# loading, out of memory), and the system's for the stamp file.
CACHE_ERRORS = (redis.RedisError, OSError)
# Seconds between tries of a cache that failed, until it answers.
RETRY_AFTER = 1.0

logger = logging.getLogger(__name__)

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
    "kind": re.compile(
        r"|post|theme|person|partnership|page|programme|project|publication|event"
    ),
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
    "work:project_list": LIST,
    "work:publication_list": LIST,
    "work:event_list": LIST,
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


class CacheUnavailable(Exception):
    """The cache failed just now, or has lately and is being left alone."""


class _CacheHealth:
    """This process's account of the cache: whether to use it, and what it owes.

    While the cache is down, requests leave it alone and a thread tries it
    every RETRY_AFTER seconds (should that thread stop, requests try it
    themselves every few seconds). Each failure, and each connection opened
    to Redis, is a debt: the process cannot know what changed while it was out
    of touch (a stamp it could not write, Redis restarted from disk with an old
    one), so before it next reads the stamp it deletes it, and the page after
    takes a new one. A restart of Redis breaks every connection, so every
    process on every app server pays.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0
        self.retrying = False
        self.debts = 0
        self.paid = 0

    @property
    def owed(self):
        return self.debts > self.paid

    def usable(self):
        return self.down_since is None or time.monotonic() >= self.retry_at

    def owe(self):
        with self.lock:
            self.debts += 1

    def connected(self, connection):
        """redis-py's callback for each connection opened (see ConnectionPool)."""
        self.owe()

    def failed(self, error):
        with self.lock:
            self.debts += 1
            self.retry_at = time.monotonic() + RETRY_AFTER * 5
            first = self.down_since is None
            if first:
                self.down_since = time.monotonic()
            start_retrying, self.retrying = not self.retrying, True
        if first:
            # Once an outage, not once a request: /healthz reports it meanwhile.
            logger.warning(
                "The cache is unavailable (%s): pages are rendered without it "
                "until it answers again",
                error,
            )
        if start_retrying:
            threading.Thread(
                target=self._retry, name="cache-retry", daemon=True
            ).start()

    def answered(self):
        if self.down_since is None:
            return
        with self.lock:
            down_since, self.down_since = self.down_since, None
        if down_since is not None:
            logger.info(
                "The cache answers again after %.1f s", time.monotonic() - down_since
            )

    def settle(self, probe=False):
        """Pay what is owed: delete the stamp, so the next page takes a new one."""
        debts = self.debts  # any failure from here on stays owed
        _cache_call(_delete_state, health=self, probe=probe)
        with self.lock:
            self.paid = max(self.paid, debts)

    def _retry(self):
        """Pay as soon as the cache answers, whether or not requests come."""
        while True:
            time.sleep(RETRY_AFTER)
            if _health is not self:
                return
            self.retry_at = time.monotonic() + RETRY_AFTER * 5
            with contextlib.suppress(CacheUnavailable):
                self.settle(probe=True)
            with self.lock:
                if not self.owed:
                    self.retrying = False
                    return


_health = _CacheHealth()


def _forget_cache_health(*, setting, **kwargs):
    # A new cache (the tests change CACHES) has a history of its own.
    global _health
    if setting == "CACHES":
        _health = _CacheHealth()


class ConnectionPool(redis.ConnectionPool):
    """redis-py's pool, telling the page cache of every connection it opens.

    Set as the Redis cache's `pool_class` (settings.py).
    """

    def make_connection(self):
        connection = super().make_connection()
        # Called at each connect, first or again; kept as a weak reference.
        connection.register_connect_callback(_health.connected)
        return connection


def _cache_call(operation, *args, health=None, probe=False):
    """`operation(*args)` on the cache; CacheUnavailable if it fails or is down."""
    health = health or _health
    if not (probe or health.usable()):
        raise CacheUnavailable
    try:
        result = operation(*args)
    except CACHE_ERRORS as error:
        health.failed(error)
        raise CacheUnavailable from error
    health.answered()
    return result


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


def _read_stamp_file():
    try:
        text = _stamp_file().read_text()
    except FileNotFoundError:
        return None
    stamp, _, next_change = text.partition(" ")
    return stamp, datetime.fromisoformat(next_change) if next_change else None


def _read_state():
    """The stored state, or None: there is none, or this process owes a new one."""
    health = _health
    owed = health.owed
    if _uses_stamp_file():
        state = _cache_call(_read_stamp_file)
    else:
        state = _cache_call(cache.get, STAMP_KEY)
    # Checked again: that read may have opened a connection.
    if owed or health.owed:
        health.settle()
        return None
    return state


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


def _delete_state():
    if _uses_stamp_file():
        _stamp_file().unlink(missing_ok=True)
    else:
        cache.delete(STAMP_KEY)


def content_state():
    """The current content stamp and the next scheduled change (one read a request).

    Once the scheduled change has come, the stamp is renewed first, so the page
    cache and `cached_by_content` both see it, with the page cache on or off.
    None when the cache cannot be used: nothing is read from it or kept in it.
    """
    if remembered := getattr(_request, "state", None):
        return remembered
    try:
        state = _read_state()
    except CacheUnavailable:
        return None
    if state is None or (state[1] and state[1] <= timezone.now()):
        return bump_content_stamp()
    return _remember(state)


def bump_content_stamp(**kwargs):
    """Give the site a new content stamp: every cached page is now stale.

    Also looks up when content next changes by itself, so page requests
    never have to. None if the cache could not take it: the process then owes
    a stamp, paid at its next contact with the cache.
    """
    times = [t for t in (schedule() for schedule in _schedules) if t is not None]
    state = (secrets.token_hex(8), min(times) if times else None)
    try:
        _cache_call(_write_state, *state)
    except CacheUnavailable:
        _health.owe()
        state = None
    # After the write, so a page Varnish fetches next is rendered anew; and
    # whether or not the cache took it, since content changed either way.
    edge.content_changed()
    return state and _remember(state)


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


_MISSING = object()


def cached_by_content(key, compute):
    """`compute()`'s value, computed once per content stamp and then reused.

    For values derived from public content (the month list of the blog, the
    institute's profile in every page's footer): exact for the same reason as
    the page cache, and it spares pages rendered afresh their queries.
    """
    if (state := content_state()) is None:
        return compute()
    key = f"content:{key}:{state[0]}"
    try:
        value = _cache_call(cache.get, key, _MISSING)
    except CacheUnavailable:
        return compute()
    if value is _MISSING:
        value = compute()
        with contextlib.suppress(CacheUnavailable):
            _cache_call(cache.add, key, value, PAGE_TIMEOUT)
    return value


def cache_answers():
    """Whether the cache is in use and answers now: a round trip, for /healthz."""
    try:
        _cache_call(cache.get, STAMP_KEY)
    except CacheUnavailable:
        return False
    return True


def _on_content_change(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        _bump_now_and_on_commit()


def _on_m2m_change(sender, action, **kwargs):
    if action.startswith("post_"):
        _bump_now_and_on_commit()


def connect_invalidation():
    request_started.connect(_begin_request, dispatch_uid="content-state-begin")
    request_finished.connect(_end_request, dispatch_uid="content-state-end")
    setting_changed.connect(_forget_cache_health, dispatch_uid="cache-health")
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


def _stamp_now():
    """The stamp as stored now, read afresh (not this request's), or None."""
    try:
        if _uses_stamp_file():
            state = _cache_call(_read_stamp_file)
        else:
            state = _cache_call(cache.get, STAMP_KEY)
    except CacheUnavailable:
        return None
    return state and state[0]


def _mark_for_edge(response, stamp, next_change):
    """Let Varnish keep this page (s-maxage) while it is sure to be told of a change.

    Only with FRONTEND_CACHE_URLS set (it is then sent a BAN at each new stamp);
    never past the next scheduled change; and not at all if the stamp changed
    while the page was rendered, since it may show what was there before and
    reach Varnish after the BAN.
    """
    if not settings.FRONTEND_CACHE_URLS:
        return
    seconds = PAGE_TIMEOUT
    if next_change:
        # Whole seconds, rounded down: Varnish drops it before the change.
        seconds = min(seconds, int((next_change - timezone.now()).total_seconds()))
    if seconds < 1 or _stamp_now() != stamp:
        return
    patch_cache_control(response, s_maxage=seconds)


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
            state = content_state()
        except DATABASE_UNAVAILABLE:
            # Renewing the stamp looks up the next scheduled change: the view
            # will find the database down too, and answer with a 503.
            return self.get_response(request)
        if state is None:  # the cache is down: the page is rendered afresh
            return self.get_response(request)
        stamp, next_change = state
        # Django's sitemap index and feeds build links from the Host: a page
        # stored for every reader is built for the site's own host instead.
        request.get_host = _site_host
        now = timezone.now()
        key = "page:{}:{}:{}".format(
            stamp,
            request.method == "HEAD" and "GET" or request.method,
            hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest(),
        )
        try:
            cached = _cache_call(cache.get, key)
        except CacheUnavailable:
            return self.get_response(request)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            _mark_for_edge(response, stamp, next_change)
            return get_conditional_response(
                request, etag=response["ETag"], response=response
            )

        response = self.get_response(request)
        if not self._is_cacheable_response(response):
            return response
        response["ETag"] = (
            f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        )
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        timeout = PAGE_TIMEOUT
        if next_change:
            timeout = max(1, min(timeout, int((next_change - now).total_seconds())))
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in {"set-cookie", "x-page-cache"}
        ]
        stored = (response.status_code, headers, response.content)
        with contextlib.suppress(CacheUnavailable):
            _cache_call(cache.set, key, stored, timeout)
        response["X-Page-Cache"] = "miss"
        _mark_for_edge(response, stamp, next_change)
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
