"""Structured logs: one JSON line per request and per error, with a request id.

`RequestLogMiddleware` (first in MIDDLEWARE) gives each request an id, taken
from an X-Request-ID header that nginx or a load balancer set, or new, returns
it in the response's X-Request-ID, and logs one line when the response is
ready. `RequestIdFilter` puts the id on every record logged meanwhile (an
error's traceback, a cache failure), so a request's lines can be found
together; `JSONFormatter` writes each record as one line of JSON.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.db import DatabaseError

request_id = ContextVar("request_id", default=None)
# What an id from outside may be: a UUID, nginx's $request_id, a trace id.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
logger = logging.getLogger("heseltine.requests")
# The attributes every LogRecord has; anything else was passed in `extra`.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request it was logged in, or "-"."""

    def filter(self, record):
        record.request_id = request_id.get() or "-"
        return True


class JSONFormatter(logging.Formatter):
    """One line of JSON a record: time, level, logger, message, extras, traceback."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and key not in line:
                line[key] = value
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def staff_id(request):
    """The id of the staff member making the request, if one is.

    A page from the page cache has no user, an anonymous visitor's costs no
    query, and a staff page has loaded its user already. The database may be
    what failed: the log line goes without the id rather than fail the answer.
    """
    user = getattr(request, "user", None)
    try:
        if user is not None and user.is_authenticated and user.is_staff:
            return user.pk
    except DatabaseError:
        return None
    return None


class RequestLogMiddleware:
    """Give each request an id and log one line for it when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            details = {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            if (user_id := staff_id(request)) is not None:
                details["user_id"] = user_id
            logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra=details,
            )  # fmt: skip
            return response
        finally:
            request_id.reset(token)
