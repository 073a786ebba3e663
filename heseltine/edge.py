"""Telling the edge (Varnish, deploy/varnish/) of every content change.

With FRONTEND_CACHE_URLS set, every new content stamp (heseltine.cache: a
save, a delete, a scheduled post falling due, a debt paid after a Redis
outage) sends a BAN to each Varnish, which drops every page it keeps. The
site has one stamp, so the BAN names no page: any change may show on any.

It is sent at once, so the next request through Varnish shows the change,
and waits at most FRONTEND_CACHE_TIMEOUT for a Varnish that does not answer.
A Varnish that failed is left to a thread, which sends it the BAN again
(every second, then less often) until it is taken, and meanwhile saves do
not wait for it. Never an error for the save. One more BAN follows a second
after the last change, for a page in flight at the change: rendered from
before it, but reaching Varnish just after the first BAN (the page cache also
leaves s-maxage off a page whose stamp changed while it was rendered).
"""

import http.client
import logging
import os
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

FOLLOW_UP = 1.0
RETRY_AFTER = 1.0
RETRY_AT_MOST = 30.0

logger = logging.getLogger(__name__)


class BanRefused(Exception):
    """Varnish answered, but did not take the BAN (its `purgers` ACL, say)."""


def send_ban(url, timeout):
    """BAN everything at the Varnish whose base URL is `url`."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection
        if parts.scheme == "https"
        else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("BAN", (parts.path.rstrip("/") or "") + "/")
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise BanRefused(f"{response.status} {response.reason}")


class _Frontend:
    """One Varnish: whether it is failing, and when a BAN is next owed to it."""

    def __init__(self, url):
        self.url = url
        self.down_since = None
        self.retry_delay = RETRY_AFTER
        self.due_at = None
        # Bumped at each change, so a BAN sent before a change never settles it.
        self.generation = 0


class Edge:
    def __init__(self):
        self.condition = threading.Condition()
        self.frontends = {}
        self.thread = None
        self.pid = None

    def _frontend(self, url):
        if url not in self.frontends:
            self.frontends[url] = _Frontend(url)
        return self.frontends[url]

    def content_changed(self):
        """BAN at each Varnish now, and once more a moment later."""
        urls = settings.FRONTEND_CACHE_URLS
        if not urls:
            return
        for url in urls:
            with self.condition:
                frontend = self._frontend(url)
                frontend.generation += 1
                down = frontend.down_since is not None
            if not down:
                self._send(frontend, frontend.generation, follow_up=True)
        self._ensure_thread()

    def _send(self, frontend, generation, follow_up=False):
        try:
            send_ban(frontend.url, settings.FRONTEND_CACHE_TIMEOUT)
        except (OSError, http.client.HTTPException, BanRefused) as error:
            with self.condition:
                first = frontend.down_since is None
                if first:
                    frontend.down_since = time.monotonic()
                    frontend.retry_delay = RETRY_AFTER
                else:
                    frontend.retry_delay = min(frontend.retry_delay * 2, RETRY_AT_MOST)
                frontend.due_at = time.monotonic() + frontend.retry_delay
                self.condition.notify()
            if first:
                logger.warning(
                    "Varnish at %s did not take a BAN (%s): pages it keeps may "
                    "be out of date until it does; sending it again",
                    frontend.url,
                    error,
                )
            return False
        with self.condition:
            if frontend.down_since is not None:
                logger.info(
                    "Varnish at %s took the BAN after %.1f s",
                    frontend.url,
                    time.monotonic() - frontend.down_since,
                )
                frontend.down_since = None
            # Changed while this was sent: covered by the BAN a moment later.
            if follow_up or frontend.generation != generation:
                frontend.due_at = time.monotonic() + FOLLOW_UP
            self.condition.notify()
        return True

    def _ensure_thread(self):
        with self.condition:
            # A forked worker does not inherit the thread.
            if self.thread is not None and self.pid == os.getpid():
                return
            if not any(f.due_at is not None for f in self.frontends.values()):
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(
                target=self._run, name="edge-ban", daemon=True
            )
            self.thread.start()

    def _run(self):
        while True:
            with self.condition:
                now = time.monotonic()
                # Only those still configured (tests change the setting).
                configured = set(settings.FRONTEND_CACHE_URLS)
                due = [
                    f
                    for f in self.frontends.values()
                    if f.due_at is not None and f.url in configured
                ]
                if not due:
                    # Nothing owed: the next change starts another.
                    self.thread = None
                    return
                ready = [f for f in due if f.due_at <= now]
                if not ready:
                    wait = min(f.due_at for f in due) - now
                    self.condition.wait(timeout=max(wait, 0.01))
                    continue
                sending = [(f, f.generation) for f in ready]
                for frontend, _ in sending:
                    frontend.due_at = None
            for frontend, generation in sending:
                self._send(frontend, generation)


edge = Edge()


def content_changed():
    edge.content_changed()
