"""Answers for when a service the site needs is unavailable."""

import logging
from http import HTTPStatus

from django.shortcuts import render

from heseltine.cache import DATABASE_UNAVAILABLE, never_cache_page

logger = logging.getLogger(__name__)
RETRY_AFTER = 30  # seconds: a database restart or failover


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, when the database cannot be reached.

    Connection failures only (OperationalError, InterfaceError); any other
    database error is a fault of ours and stays a 500. Pages in the page cache
    are served without the database and never get here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error(
            "The database is unavailable: answering %s with 503",
            request.path,
            exc_info=exception,
        )
        # 503.html, like 500.html, needs no database.
        response = render(request, "503.html", status=HTTPStatus.SERVICE_UNAVAILABLE)
        response["Retry-After"] = str(RETRY_AFTER)
        return never_cache_page(response)
