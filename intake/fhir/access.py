"""Who may use /fhir/: clinicians and practice admins (session), and API tokens with a scope.

Staff roles come from the clinician app (intake/clinician/roles.py): a session user may use the API when they hold
`clinician.view_clinical_data` (Clinician and Practice admin; never Front desk). The practice is one clinic and its
clinicians see all of its patients, so a caller that may use an endpoint may see every patient's data there; a
caller that may not gets 401 or 403 before any record is looked up (the answer is the same whether it exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone

from intake.clinician.roles import VIEW_CLINICAL
from intake.models import token_hash

from .models import READ, WRITE, ApiToken

LAST_USED_EVERY = timedelta(minutes=1)  # how often a token's last_used_at is written (not on every request)


@dataclass(frozen=True)
class Caller:
    user: object | None
    token: ApiToken | None
    scopes: frozenset

    @property
    def label(self) -> str:
        if self.token is not None:
            return f"api token {self.token.name} ({self.token.prefix}…)"
        return self.user.get_username() if self.user is not None else ""

    def audit_detail(self) -> dict:
        detail = {"via": "fhir"}
        if self.token is not None:
            detail.update(api_token=self.token.name, api_token_id=self.token.pk)
        return detail


class Denied(Exception):
    """401 (not authenticated) or 403 (authenticated, not allowed)."""

    def __init__(self, status: int, message: str, *, bearer_error: str = ""):
        self.status = status
        self.message = message
        self.bearer_error = bearer_error
        super().__init__(message)

    @property
    def www_authenticate(self) -> str:
        value = 'Bearer realm="fhir"'
        if self.bearer_error:
            value += f', error="{self.bearer_error}"'
        return value


def _token_caller(header: str) -> Caller:
    scheme, _, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise Denied(401, "use Authorization: Bearer <token>", bearer_error="invalid_request")
    token = ApiToken.objects.filter(token_hash=token_hash(raw)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now):
        raise Denied(401, "the token is unknown, revoked or expired", bearer_error="invalid_token")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    scopes = frozenset(s for s in token.scopes if s in (READ, WRITE)) if isinstance(token.scopes, list) else frozenset()
    return Caller(user=None, token=token, scopes=scopes)


def authenticate(request) -> Caller:
    """The caller of a /fhir/ request; raises Denied. A Bearer header decides alone, even with a session."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        return _token_caller(header)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise Denied(401, "log in as a clinician or use an API token")
    if not user.is_active or not user.has_perm(VIEW_CLINICAL):
        raise Denied(403, "your role may not see clinical data")
    return Caller(user=user, token=None, scopes=frozenset({READ, WRITE}))


def require(caller: Caller, scope: str) -> None:
    if scope not in caller.scopes:
        raise Denied(403, f"this needs the scope {scope}", bearer_error="insufficient_scope" if caller.token else "")


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def csrf_failure(request) -> str | None:
    """A browser session's write must carry the CSRF token (tokens are not cookies, so they need none)."""
    check = _CsrfCheck(lambda r: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})
