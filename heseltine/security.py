"""Who is knocking, and what the staff pages may load.

`client_ip` tells django-axes which address a login attempt came from;
`lockout_response` is its answer once it refuses one, and `log_lockout` says
so in the log; `SiteCSPMiddleware` gives the admin and CKEditor's pages a
policy of their own.
"""

import logging
from http import HTTPStatus

from axes.helpers import get_client_username
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render

logger = logging.getLogger(__name__)


def client_ip(request):
    """The address a request came from, as the last trusted proxy saw it.

    With no proxy configured this is the socket's address: X-Forwarded-For is
    written by the client then, and trusting it would let an attacker choose a
    new address for each guess. Behind N proxies that each append the address
    they were reached from, the client is the Nth entry from the right; entries
    further left were sent by the client and are ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the staff policy on the staff pages.

    The public site keeps `CONTENT_SECURITY_POLICY`; paths under
    `STAFF_CSP_URL_PREFIXES` (the admin and CKEditor's upload and browse
    routes) get `STAFF_CONTENT_SECURITY_POLICY`, which CKEditor 4 works under.
    A view's own policy (`@csp`, `@csp_replace`...) still wins.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.STAFF_CSP_URL_PREFIXES)
        ):
            parts.config = settings.STAFF_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def lockout_response(request, original_response, credentials):
    """django-axes' answer to a refused login: our page, in the admin's frame."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed attempts",
        "username": get_client_username(request, credentials),
        "minutes": minutes,
    }
    response = render(
        request, "admin/locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def log_lockout(sender, request, username, ip_address, **kwargs):
    """One line an administrator can act on (axes masks both in its own)."""
    logger.warning(
        "Login locked for %d minutes: username %r from %s",
        settings.AXES_COOLOFF_TIME.total_seconds() // 60,
        username,
        ip_address,
    )
