"""/healthz for the load balancer and docker compose: 200 "ok" once the database answers a query.

Served by a middleware placed first, so it answers before the host check (the container probes 127.0.0.1, which
is not in ALLOWED_HOSTS), the HTTPS redirect, sessions, log-in, two-factor and rate limits.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

PATH = "/healthz"


def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        log.exception("health check: the database did not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in (PATH, PATH + "/") and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
