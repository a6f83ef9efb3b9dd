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
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)

SESSION_INVITATION = "intake_invitation_id"  # as intake/views/patient.py; read here, never written


def _digest(value: str) -> str:
    # Keys never hold a raw token or address.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]


def _bucket(key: str, window: int, now: int) -> str:
    # The key names its window, so a counter expires by itself and needs no clean-up.
    return f"{settings.RATELIMIT_KEY_PREFIX}:{key}:{window}:{now // window}"


def _count_redis(keys: list[str], window: int) -> list[int]:
    """Redis: INCR and EXPIRE of every key in one pipeline (one round trip for the request)."""
    backend = caches["default"]
    # One client per cache backend (and so per process and its connection pool): Django's get_client() builds a new
    # redis.Redis on every call, a tenth of a millisecond per request (issue #7).
    client = getattr(backend._cache, "_ratelimit_client", None)
    if client is None:
        client = backend._cache._ratelimit_client = backend._cache.get_client(write=True)
    pipe = client.pipeline(transaction=False)
    for key in keys:
        full = backend.make_and_validate_key(key)
        pipe.incr(full)
        pipe.expire(full, window + 1)
    return [int(n) for n in pipe.execute()[::2]]


def _count_generic(keys: list[str], window: int) -> list[int]:
    cache = caches["default"]
    counts = []
    for key in keys:
        if cache.add(key, 1, timeout=window + 1):
            counts.append(1)
            continue
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 1)
            counts.append(1)
    return counts


def count(keys: list[str], *, window: int) -> list[int] | None:
    """Count one request against each key in the current fixed window; None when the cache is unreachable."""
    now = int(time.time())
    buckets = [_bucket(key, window, now) for key in keys]
    try:
        if isinstance(caches["default"], RedisCache):
            return _count_redis(buckets, window)
        return _count_generic(buckets, window)
    except Exception:  # noqa: BLE001 - the cache is down: let the patient through (see module docstring)
        log.warning("rate limit: cache unavailable, request let through", exc_info=True)
        return None


def _wait(window: int) -> int:
    now = int(time.time())
    return window - (now % window) or 1


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
    keys, caps = [f"{scope}:addr:{_digest(client_address(request))}"], [per_address]
    identity = _link_identity(request, scope, kwargs)
    if identity is not None:
        keys.append(f"{scope}:{identity}")
        caps.append(per_link)
    counts = count(keys, window=window)
    if counts is None or all(n <= cap for n, cap in zip(counts, caps, strict=True)):
        return 0
    return _wait(window)


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
