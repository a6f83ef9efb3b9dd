"""Who may open which clinician page (roles.py). Anonymous visitors, including a patient holding an intake link,
are sent to the staff log-in; a signed-in user without the permission gets 403. Clinical pages are never cached.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.views.decorators.cache import never_cache

from ..roles import VIEW_CLINICAL


def _htmx_to_login(view):
    """An htmx request (the worklist poll) whose session has ended sends the whole page to the log-in, instead of
    swapping the log-in form into a corner of the page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.headers.get("HX-Request") and not request.user.is_authenticated:
            page = urlsplit(request.headers.get("HX-Current-URL", "")).path or request.path
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}"
            return response
        return view(request, *args, **kwargs)

    return wrapped


def staff_view(*perms: str):
    def decorate(view):
        guarded = view
        if perms:
            guarded = permission_required(perms, raise_exception=True)(guarded)
        return wraps(view)(never_cache(_htmx_to_login(login_required(guarded))))

    return decorate


def clinical_view(*extra: str):
    return staff_view(VIEW_CLINICAL, *extra)
