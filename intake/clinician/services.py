"""The clinician side's operations (HackSoft style: services write; keyword-only arguments; <entity>_<action>)."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When
from django.template.loader import render_to_string
from django.utils import timezone

from intake import services as intake_services
from intake.models import ContentPack, Flag, Intake, Invitation, Patient

from .models import AuditEvent, IntakeReview

log = logging.getLogger(__name__)

NOTE_MAX = 2000


class FlagAlreadyAcknowledged(Exception):
    """Someone acknowledged this flag first; their note stands."""


class ReviewBlocked(Exception):
    """The intake still has unacknowledged flags; `flag_ids` names them."""

    def __init__(self, flag_ids: list[str]):
        self.flag_ids = flag_ids
        super().__init__(", ".join(flag_ids))


def client_address(request) -> str | None:
    """The client's address. Behind a proxy, configure it to set REMOTE_ADDR (X-Forwarded-For can be forged)."""
    return request.META.get("REMOTE_ADDR") or None


def _patient_pk(obj) -> int | None:
    if isinstance(obj, Patient):
        return obj.pk
    if isinstance(obj, Flag):
        return obj.intake.patient_id
    return getattr(obj, "patient_id", None)


def audit_record(*, request, action: str, obj=None, object_type: str = "", detail: dict | None = None) -> AuditEvent:
    """Append one event: who (the request's user), what (action on obj), when, from which address.

    `obj` is a model instance; without one, `object_type` names what was viewed (e.g. "worklist").
    """
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        ip_address=client_address(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        patient_pk=_patient_pk(obj) if obj is not None else None,
        path=request.get_full_path()[:300],
        detail=detail or {},
    )


def intake_refresh_unacknowledged(intakes) -> int:
    """Set `Intake.unacknowledged` of these intakes from their flags (and a failed summary): the worklist's order."""
    pending = Flag.objects.filter(intake=OuterRef("pk"), acknowledged_at__isnull=True)
    return intakes.update(
        unacknowledged=Case(
            When(triage_status=Intake.TriageStatus.FAILED, then=Value(True)),
            default=Exists(pending),
            output_field=BooleanField(),
        )
    )


def flag_acknowledge(*, flag: Flag, user, note: str) -> Flag:
    """Record who acknowledged the flag, when, and their note. Exactly once: a second click changes nothing."""
    note = (note or "").strip()[:NOTE_MAX]
    now = timezone.now()
    with transaction.atomic():
        # The intake's row is locked first, so two clinicians acknowledging its last two flags at once cannot both
        # see the other's flag still pending and leave `Intake.unacknowledged` set.
        list(Intake.objects.select_for_update().filter(pk=flag.intake_id).values_list("pk"))
        updated = Flag.objects.filter(pk=flag.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=user, acknowledgement_note=note
        )
        if updated != 1:
            raise FlagAlreadyAcknowledged(flag.flag_id)
        intake_refresh_unacknowledged(Intake.objects.filter(pk=flag.intake_id))
    flag.acknowledged_at, flag.acknowledged_by, flag.acknowledgement_note = now, user, note
    return flag


def intake_mark_reviewed(*, intake: Intake, user, note: str = "") -> IntakeReview:
    """The clinician has reviewed the whole intake; every flag must be acknowledged first (reference.md §0.3)."""
    pending = list(intake.flags.filter(acknowledged_at__isnull=True).values_list("flag_id", flat=True))
    if pending:
        raise ReviewBlocked(pending)
    try:
        with transaction.atomic():
            return IntakeReview.objects.create(intake=intake, reviewed_by=user, note=(note or "").strip()[:NOTE_MAX])
    except IntegrityError:  # reviewed in the meantime by someone else: theirs stands
        return IntakeReview.objects.get(intake=intake)


def invitation_link(raw_token: str) -> str:
    from intake.admin import invitation_link as link

    return link(raw_token)


def invitation_send(*, patient: Patient, created_by=None) -> Invitation:
    """Make a new intake link for the patient and email it. Raises ValueError without an email address."""
    if not patient.email:
        raise ValueError("the patient has no email address")
    invitation, raw = intake_services.invitation_create(email=patient.email, patient=patient, created_by=created_by)
    context = {
        "patient": patient,
        "link": invitation_link(raw),
        "expires_at": invitation.expires_at,
        "clinic_name": settings.CLINIC_NAME,
    }
    subject = render_to_string("email/invitation_subject.txt", context).strip()
    body = render_to_string("email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [patient.email])
    return invitation


def content_pack_parse(raw: bytes | str) -> object:
    """The JSON of an uploaded pack file; raises ValueError with a plain reason."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not valid JSON: {exc}") from exc


def content_pack_install(*, pack: ContentPack) -> ContentPack:
    """Save a validated pack. An active pack replaces the instrument's previous active one."""
    with transaction.atomic():
        if pack.active:
            ContentPack.objects.filter(instrument=pack.instrument, active=True).exclude(pk=pack.pk).update(active=False)
        pack.save()
    return pack


def staff_user_create(*, username: str, role: str, password: str | None = None, email: str = "", **names):
    """A staff account in one role group (roles.py); without a password it cannot sign in until one is set."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from .roles import ROLES

    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    user, _created = get_user_model().objects.get_or_create(username=username, defaults={"email": email, **names})
    user.is_staff = True
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def staff_demo_users(*, password: str) -> list:
    from .roles import CLINICIAN, FRONT_DESK, PRACTICE_ADMIN

    return [
        staff_user_create(username="clinician", role=CLINICIAN, password=password, first_name="Casey",
                          last_name="Clinician"),
        staff_user_create(username="frontdesk", role=FRONT_DESK, password=password, first_name="Frankie",
                          last_name="Desk"),
        staff_user_create(username="practiceadmin", role=PRACTICE_ADMIN, password=password, first_name="Pat",
                          last_name="Admin"),
    ]
