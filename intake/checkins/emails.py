"""The check-in e-mails: the invitation and its reminder (HTML + plain text, signed link, opt-out link) and the
clinician alert. Rendering only; services.py decides when to send and records the outcome.
"""

from __future__ import annotations

import smtplib
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import conf, links
from .models import CheckIn, CheckInResponse


class PermanentFailure(Exception):
    """The message can never be sent as it is (a 5xx answer, no address): the row is `failed` at once."""


def _domain() -> str:
    return conf.site_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def _message_id(kind: str, pk: int) -> str:
    # Stable per check-in and kind, so a duplicate (the one SMTP accept → commit window, see services.py) can be
    # recognised downstream.
    return f"<checkin-{kind}-{pk}@{_domain()}>"


def checkin_message(checkin: CheckIn, *, reminder: bool = False) -> EmailMultiAlternatives:
    patient = checkin.patient
    opt_out = links.opt_out_url(checkin.plan)
    context = {
        "patient": patient,
        "clinic_name": settings.CLINIC_NAME,
        "link": links.checkin_url(checkin),
        "opt_out_link": opt_out,
        "weeks": checkin.weeks,
        "expires_at": checkin.window_closes_at,
        "reminder": reminder,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("checkin/email/invitation_subject.txt", context).strip()
        text = render_to_string("checkin/email/invitation.txt", context)
        html = render_to_string("checkin/email/invitation.html", context)
    kind = "reminder" if reminder else "invitation"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[patient.email],
        headers={
            "Message-ID": _message_id(kind, checkin.pk),
            "X-Clinic-Checkin": f"{checkin.pk} {kind}",
            # RFC 8058 one-click opt-out; the page also offers a button.
            "List-Unsubscribe": f"<{opt_out}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def alert_message(response: CheckInResponse, to: str) -> EmailMultiAlternatives:
    summary = response.summary or {}
    context = {
        "response": response,
        "checkin": response.checkin,
        "patient": response.patient,
        "tier": response.overall_tier or "review manually",
        "flags": summary.get("red_flags", []),
        "notes": [n for n in summary.get("notes", []) if n.get("tier")],
        "link": conf.site_url() + reverse("clinician:checkin_response", args=[response.pk]),
        "clinic_name": settings.CLINIC_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("checkin/email/alert_subject.txt", context).strip()
        text = render_to_string("checkin/email/alert.txt", context)
    return EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": _message_id("alert", response.pk), "X-Clinic-Checkin-Alert": str(response.pk)},
    )


# A worker keeps its SMTP connection open between messages (up to this many seconds), like any mail client: one
# TCP + EHLO per worker instead of per e-mail. A connection the server closed meanwhile is reopened once, at once.
SMTP_REUSE_SECONDS = 60
_local = threading.local()


def _connection_key() -> tuple:
    return (settings.EMAIL_BACKEND, getattr(settings, "EMAIL_HOST", ""), getattr(settings, "EMAIL_PORT", 0))


def _cached_connection(fresh: bool = False):
    cached = getattr(_local, "smtp", None)
    if cached is not None:
        connection, key, opened = cached
        if fresh or key != _connection_key() or time.monotonic() - opened > SMTP_REUSE_SECONDS:
            _drop(connection)
            cached = None
    if cached is None:
        connection = get_connection(fail_silently=False)
        connection.open()
        _local.smtp = cached = (connection, _connection_key(), time.monotonic())
    return cached[0]


def _drop(connection) -> None:
    _local.smtp = None
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 - closing a broken connection must not turn a success into a retry
        pass


def _send(message) -> int:
    reused = getattr(_local, "smtp", None) is not None
    connection = _cached_connection()
    try:
        return connection.send_messages([message])
    except smtplib.SMTPServerDisconnected:
        if not reused:
            raise
        # The server dropped an idle connection: nothing was accepted; open a new one and send now.
        return _cached_connection(fresh=True).send_messages([message])


def deliver(message: EmailMultiAlternatives, on_accepted: Callable[[], None]) -> None:
    """Send through Django's e-mail backend and call `on_accepted` as soon as the server has taken the message, so
    the window between "accepted" and "recorded" stays as small as it can be.

    Raises PermanentFailure for a 5xx answer; any other error (4xx, refused connection, timeout) propagates and is
    retried by the caller. After any error the connection is closed, so the next message starts clean.
    """
    try:
        try:
            sent = _send(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"recipient refused: {exc.recipients}") from exc
            raise
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise
        if not sent:
            raise smtplib.SMTPException("the e-mail backend sent nothing")
    except Exception:
        cached = getattr(_local, "smtp", None)
        if cached is not None:
            _drop(cached[0])
        raise
    on_accepted()
