"""The operations of the clinic (HackSoft style: services write; keyword-only arguments; <entity>_<action> names)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import TIER_RANK, Flag, Intake, IntakeDraft, Invitation, Patient, token_hash
from .triage import InvalidInput, evaluate_valid, validate

log = logging.getLogger(__name__)


class InvitationInvalid(Exception):
    """The link cannot be used; `reason` is one of unknown, expired, used (each gets its own 4xx page)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def invitation_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    created_by=None,
    patient: Patient | None = None,
    days: int | None = None,
) -> tuple[Invitation, str]:
    """Create a patient (or reuse one) and an invitation. Returns (invitation, raw token); only the hash is stored."""
    if patient is None:
        patient = Patient.objects.create(email=email, first_name=first_name, last_name=last_name)
    raw = Invitation.new_token()
    invitation = Invitation.objects.create(
        patient=patient,
        token_hash=token_hash(raw),
        expires_at=timezone.now() + timedelta(days=days or settings.INVITATION_VALID_DAYS),
        created_by=created_by,
    )
    return invitation, raw


def invitation_resolve(raw_token: str, *, allow_used: bool = False) -> Invitation:
    """Find the invitation of a link. GETs call this too, so it never marks the link as used."""
    invitation = Invitation.objects.select_related("patient").filter(token_hash=token_hash(raw_token or "")).first()
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.is_used and not allow_used:
        raise InvitationInvalid("used")
    if invitation.is_expired() and not invitation.is_used:
        raise InvitationInvalid("expired")
    return invitation


def draft_is_expired(draft: IntakeDraft) -> bool:
    return timezone.now() - draft.updated_at > timedelta(days=settings.INTAKE_DRAFT_DAYS)


def draft_get(*, invitation: Invitation) -> IntakeDraft:
    """The invitation's draft; an expired draft is started afresh (clinic setting INTAKE_DRAFT_DAYS, default 14)."""
    try:
        draft, created = invitation.draft, False  # no query when the caller used select_related("draft")
    except IntakeDraft.DoesNotExist:
        draft, created = IntakeDraft.objects.get_or_create(invitation=invitation)
    if not created and draft_is_expired(draft):
        draft.answers, draft.step = {}, ""
        draft.save()
    return draft


def draft_save(*, draft: IntakeDraft, answers: dict, step: str) -> IntakeDraft:
    draft.answers = answers
    draft.step = step
    draft.save(update_fields=["answers", "step", "updated_at"])
    return draft


def _store_flags(intake: Intake) -> None:
    Flag.objects.bulk_create(
        Flag(intake=intake, flag_id=f["id"], tier=f["tier"], action=f["action"], triggered_by=f["triggered_by"])
        for f in intake.summary["red_flags"]
    )


def intake_submit(
    *,
    patient: Patient,
    answers: dict,
    privacy_accepted: bool,
    checkins_opt_in: bool,
    invitation: Invitation | None = None,
) -> Intake:
    """Validate, save and triage one intake in the same request.

    Bad answers raise InvalidInput naming every field (nothing is saved). If the engine itself fails, the intake is
    still saved with triage_status=failed, so it shows at the top of the worklist as "summary failed — review
    manually", never as "no flags" (reference.md §0.2.1; design.md).
    """
    clean, errors = validate(answers)
    if errors:
        raise InvalidInput(errors)
    if not privacy_accepted:
        raise ValueError("the privacy notice must be accepted before an intake is stored")
    now = timezone.now()
    try:
        summary = evaluate_valid(clean)
        status, error = Intake.TriageStatus.OK, ""
    except Exception as exc:  # noqa: BLE001 - any engine failure is stored and shown, never lost
        log.exception("triage failed for patient %s", patient.pk)
        summary, status, error = None, Intake.TriageStatus.FAILED, f"{type(exc).__name__}: {exc}"
    with transaction.atomic():
        if invitation is not None:
            # Single use: the submit consumes the link, atomically, so a double submit cannot make two intakes.
            updated = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=now)
            if updated != 1:
                raise InvitationInvalid("used")
        tier = summary["overall_tier"] if summary else ""
        intake = Intake.objects.create(
            patient=patient,
            invitation=invitation,
            answers=answers,
            summary=summary,
            rules_version=summary["rules_version"] if summary else "",
            triage_status=status,
            triage_error=error,
            overall_tier=tier,
            # A failed summary ranks above every tier: it is shown first, for manual review.
            tier_rank=TIER_RANK[tier] if summary else 9,
            unacknowledged=bool(summary and summary["red_flags"]),  # a failed summary: Intake.save sets it
            submitted_at=now,
            privacy_accepted_at=now,
            checkins_opt_in=checkins_opt_in,
            checkins_opt_in_at=now if checkins_opt_in else None,
        )
        if summary:
            _store_flags(intake)
        if invitation is not None:
            IntakeDraft.objects.filter(invitation=invitation).delete()
        # Follow-up check-ins (issue #6): rows committed with the intake, never a broker call (beat sends them).
        from intake.checkins.services import checkins_schedule

        checkins_schedule(intake=intake, new=True)
    return intake


def intake_acknowledge_emergency(*, intake: Intake) -> None:
    if intake.emergency_acknowledged_at is None:
        intake.emergency_acknowledged_at = timezone.now()
        intake.save(update_fields=["emergency_acknowledged_at"])
