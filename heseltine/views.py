"""Site-wide views that belong to no app: health check and error pages."""

import logging
from http import HTTPStatus

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


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


def server_error(request):
    # 500.html extends nothing and needs no database: it may be what failed.
    return render(request, "500.html", status=HTTPStatus.INTERNAL_SERVER_ERROR)
