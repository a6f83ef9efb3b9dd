"""Response headers Django's SecurityMiddleware does not set (the Content-Security-Policy is django-csp's), and the
sessions' idle expiry."""

from __future__ import annotations

import time

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


class SessionTouchMiddleware:
    """Idle expiry without a database write on every request (issue #7).

    A session ends SESSION_COOKIE_AGE after its last save. Saving it on every request (SESSION_SAVE_EVERY_REQUEST)
    costs an UPDATE and a commit per page; instead, a request that uses a session saves it again only when the last
    save is at least SESSION_TOUCH_SECONDS old, so a session ends between SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS
    and SESSION_COOKIE_AGE after the last request. Placed just after SessionMiddleware, whose response step saves
    the session when it is modified.
    """

    KEY = "_touched"

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = max(0, int(getattr(settings, "SESSION_TOUCH_SECONDS", 60)))

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request read (or wrote), and never an empty one (a signed-out visitor, a flush).
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        last = session.get(self.KEY)
        if not isinstance(last, int) or now - last >= self.every:
            session[self.KEY] = now
        return response
