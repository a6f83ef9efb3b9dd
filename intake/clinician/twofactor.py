"""Two-factor authentication (django-otp, TOTP) for staff: with settings.REQUIRE_2FA, a signed-in user must also
have passed the one-time code of their authenticator app in this session before any staff page opens.

After the password (clinician:login or the admin log-in) the user is sent to clinician:2fa_verify, or, without a
confirmed device yet, to clinician:2fa_setup (QR code, then a first code confirms the device). Patient pages are
untouched (patients have no accounts). A FHIR call with a session but no second factor gets 403; a FHIR call with
a Bearer token is decided by the token alone (intake/fhir/access.py).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django_otp import user_has_device

GUARDED_NAMESPACES = {"clinician", "admin", "fhir"}
EXEMPT_VIEWS = {
    "clinician:login",
    "clinician:logout",
    "clinician:2fa_setup",
    "clinician:2fa_verify",
    "admin:login",
    "admin:logout",
}


def needs_second_factor(user) -> bool:
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # installed by django_otp's OTPMiddleware
    return not (is_verified and is_verified())


def second_factor_url(user, next_url: str = "") -> str:
    name = "clinician:2fa_verify" if user_has_device(user, confirmed=True) else "clinician:2fa_setup"
    url = resolve_url(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class Require2FAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace not in GUARDED_NAMESPACES or match.view_name in EXEMPT_VIEWS:
            return None
        if match.namespace == "fhir" and request.META.get("HTTP_AUTHORIZATION"):
            return None
        if not needs_second_factor(request.user):
            return None
        if match.namespace == "fhir":
            outcome = {"resourceType": "OperationOutcome", "issue": [{
                "severity": "error", "code": "forbidden",
                "diagnostics": "two-factor verification is required: sign in on the staff pages first"}]}
            return HttpResponse(json.dumps(outcome), status=403, content_type="application/fhir+json")
        if request.headers.get("HX-Request"):
            page = urlsplit(request.headers.get("HX-Current-URL", "")).path or request.path
            response = HttpResponse(status=204)
            response["HX-Redirect"] = second_factor_url(request.user, page)
            return response
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        return redirect(second_factor_url(request.user, next_url))
