"""Rate limits of the patient link pages: a fixed-window counter in Django's cache, per client address and per link.

The pages are named in settings.RATELIMIT_VIEWS (URL name -> "link" or "page"):

- "link" pages carry the link's token in the URL (`/i/<token>/`, `/checkin/<token>/`). Counting them per address
  stops someone trying tokens; counting them per token stops one leaked link being hammered.
- "page" pages are the wizard behind the link (the session holds the invitation): per address, with room for a
  waiting room of patients behind one Wi-Fi address, and per link (the session's invitation, else the session).

Over a limit the answer is 429 with a friendly page and Retry-After. Counters live in the cache (Redis in
production, so every gunicorn worker shares them). If the cache is down the request goes through: a patient's
intake matters more than the limit (design.md: intake submission succeeds when Redis is down).
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)

SESSION_INVITATION = "intake_invitation_id"  # as intake/views/patient.py; read here, never written


def _digest(value: str) -> str:
    # Keys never hold a raw token or address.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]


def hit(key: str, *, limit: int, window: int) -> int:
    """Count one request against `key` in the current window; returns the seconds to wait if over the limit, else 0.

    Fixed window: the counter's key names the window, so it expires by itself and needs no clean-up.
    """
    now = int(time.time())
    bucket = now // window
    cache_key = f"{settings.RATELIMIT_KEY_PREFIX}:{key}:{window}:{bucket}"
    try:
        if cache.add(cache_key, 1, timeout=window + 1):
            count = 1
        else:
            try:
                count = cache.incr(cache_key)
            except ValueError:  # expired between add and incr
                cache.set(cache_key, 1, timeout=window + 1)
                count = 1
    except Exception:  # noqa: BLE001 - the cache is down: let the patient through (see module docstring)
        log.warning("rate limit: cache unavailable, request let through", exc_info=True)
        return 0
    if count > limit:
        return window - (now % window) or 1
    return 0


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR: behind a proxy, configure the proxy to set it (X-Forwarded-For can be forged by a client)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _link_identity(request: HttpRequest, scope: str, kwargs: dict) -> str | None:
    if scope == "link":
        token = kwargs.get("token")
        return f"token:{_digest(token)}" if token else None
    session = getattr(request, "session", None)
    if session is None:
        return None
    invitation = session.get(SESSION_INVITATION)
    if invitation:
        return f"invitation:{invitation}"
    return f"session:{_digest(session.session_key)}" if session.session_key else None


def limits(scope: str) -> tuple[int, int, int]:
    """(per address, per link, window seconds) of a scope."""
    window = settings.RATELIMIT_WINDOW_SECONDS
    if scope == "link":
        return settings.RATELIMIT_LINK_PER_ADDRESS, settings.RATELIMIT_LINK_PER_LINK, window
    return settings.RATELIMIT_PAGE_PER_ADDRESS, settings.RATELIMIT_PAGE_PER_LINK, window


def check(request: HttpRequest, scope: str, kwargs: dict) -> int:
    """Seconds to wait (0: go ahead). Both counters are counted, so each limit holds on its own."""
    per_address, per_link, window = limits(scope)
    waits = [hit(f"{scope}:addr:{_digest(client_address(request))}", limit=per_address, window=window)]
    identity = _link_identity(request, scope, kwargs)
    if identity is not None:
        waits.append(hit(f"{scope}:{identity}", limit=per_link, window=window))
    return max(waits)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "429.html", {"retry_minutes": max(1, round(retry_after / 60))}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Applies the limits to the views named in settings.RATELIMIT_VIEWS (runs after URL resolution)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.RATELIMIT_ENABLED:
            return None
        match = request.resolver_match
        scope = settings.RATELIMIT_VIEWS.get(match.view_name) if match is not None else None
        if scope is None:
            return None
        retry_after = check(request, scope, view_kwargs)
        if retry_after:
            log.info("rate limit: %s over its %s limit", match.view_name, scope)
            return too_many_requests(request, retry_after)
        return None
