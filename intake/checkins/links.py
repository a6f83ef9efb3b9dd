"""Patient links of the check-in e-mails: signed (django.core.signing, so no token is stored), expiring with the
row (`expires_at`), single use (an answered row no longer opens) and revocable (rotate `link_nonce`).

A GET never uses a link up (mail scanners open links); the submit does, atomically (services.response_submit).
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from . import conf
from .models import CheckIn, CheckInPlan

CHECKIN_SALT = "intake.checkins.link"
OPT_OUT_SALT = "intake.checkins.opt-out"


class LinkInvalid(Exception):
    """`reason` is unknown, expired, used or cancelled (each gets its own page)."""

    def __init__(self, reason: str, checkin: CheckIn | None = None):
        self.reason = reason
        self.checkin = checkin
        super().__init__(reason)


def checkin_token(checkin: CheckIn) -> str:
    return signing.dumps({"c": checkin.pk, "n": checkin.link_nonce}, salt=CHECKIN_SALT, compress=True)


def checkin_url(checkin: CheckIn) -> str:
    return conf.site_url() + reverse("checkins:form", args=[checkin_token(checkin)])


def opt_out_token(plan: CheckInPlan) -> str:
    return signing.dumps({"p": plan.pk}, salt=OPT_OUT_SALT, compress=True)


def opt_out_url(plan: CheckInPlan) -> str:
    return conf.site_url() + reverse("checkins:opt_out", args=[opt_out_token(plan)])


def checkin_from_token(token: str, *, now=None) -> CheckIn:
    """The check-in a link opens, or LinkInvalid. An answered row raises "used" (the caller may show the result)."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature:
        raise LinkInvalid("unknown") from None
    checkin = (
        CheckIn.objects.select_related("plan", "plan__intake", "patient").filter(pk=data.get("c")).first()
        if isinstance(data, dict)
        else None
    )
    if checkin is None or checkin.link_nonce != data.get("n"):
        raise LinkInvalid("unknown")
    if checkin.status == CheckIn.Status.ANSWERED:
        raise LinkInvalid("used", checkin)
    if checkin.status == CheckIn.Status.CANCELLED or checkin.plan.opted_out_at is not None:
        raise LinkInvalid("cancelled", checkin)
    if (now or timezone.now()) >= checkin.expires_at:
        raise LinkInvalid("expired", checkin)
    return checkin


def plan_from_token(token: str) -> CheckInPlan:
    try:
        data = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        raise LinkInvalid("unknown") from None
    plan = (
        CheckInPlan.objects.select_related("patient").filter(pk=data.get("p")).first()
        if isinstance(data, dict)
        else None
    )
    if plan is None:
        raise LinkInvalid("unknown")
    return plan
