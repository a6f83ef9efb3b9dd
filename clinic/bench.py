"""The load test's ceiling (bench/load.py): the smallest Django view that makes one database query, served through
the full middleware stack. Mounted at /bench/query/ only with settings.BENCH (env BENCH=true), never in production.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse


def bench_query(request) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")
