"""Response headers Django's SecurityMiddleware does not set (the Content-Security-Policy is django-csp's)."""

from __future__ import annotations

from django.conf import settings


class SecurityHeadersMiddleware:
    """Permissions-Policy: the browser features the app never uses (camera, location, payment, ...) stay off."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        return response
