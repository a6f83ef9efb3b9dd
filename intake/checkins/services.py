"""The check-in operations (HackSoft style: keyword-only, `<entity>_<action>` names; tasks.py calls these).

Exactly once, never lost (design.md): every piece of scheduled work is a row. `checkins_sweep` (beat, each minute)
finds due rows, marks them enqueued under `select_for_update(skip_locked=True)` and publishes one task per row; a
task claims its row with a conditional UPDATE (`scheduled → sending`, or a `sending` row whose claim is older than
CHECKIN_SENDING_TIMEOUT_SECONDS), so a duplicate message, a retry, two workers or two beats send one e-mail; a
worker killed mid-send leaves its row `sending` until the timeout, and the next sweep sends it again.

The one window no outbox can close is between the SMTP server accepting a message and our commit of `sent`: a
crash exactly there sends it twice. emails.deliver() records `sent` before it even says QUIT, and each message has
a stable Message-ID (checkin-<kind>-<pk>@site) so such a duplicate can be recognised.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from intake.models import TIER_RANK, Intake
from intake.process_cache import ProcessCache
from intake.triage import RULES_VERSION, evaluate
from intake.triage.change import evaluate_followup
from intake.triage.checkin_schema import TIME_POINTS, baseline_view, validate_answers, validate_document
from intake.triage.engine import evaluate_valid
from intake.triage.errors import FieldError, InvalidInput

from . import conf, emails
from .models import CheckIn, CheckInPlan, CheckInResponse, CheckInSchedule
from .schedule import checkin_times, in_quiet_hours, local_date, next_allowed, patient_zone

log = logging.getLogger(__name__)

S = CheckIn.Status
ALERT = CheckInResponse.AlertStatus
# §0.3: EMERGENCY and URGENT answers alert the patient's clinician at once.
ALERT_MIN_RANK = TIER_RANK["URGENT_REFERRAL"]
FAILED_RANK = 9  # as intake.services: a failed summary ranks above every tier (shown first, review manually)


# ---------------------------------------------------------------- scheduling
_SCHEDULE = ProcessCache(CheckInSchedule.current, CheckInSchedule)


def checkins_schedule(*, intake: Intake, new: bool = False) -> list[CheckIn]:
    """Create the §6.2 check-ins of an intake submitted with consent (called inside intake_submit's transaction,
    so the intake and its schedule are committed together). No broker call: beat sends them when due.
    `new`: the intake was created in this transaction, so it has no plan yet (one query less)."""
    if not intake.checkins_opt_in or not new and CheckInPlan.objects.filter(intake=intake).exists():
        return []
    schedule = _SCHEDULE.get()
    zone = patient_zone(intake.patient.time_zone)
    plan = CheckInPlan.objects.create(intake=intake, patient=intake.patient, time_zone=zone.key)
    rows = []
    for time_point in schedule.time_points():
        times = checkin_times(
            submitted_at=intake.submitted_at,
            zone=zone,
            time_point=time_point,
            send_hour=schedule.send_hour,
            late_answer_days=schedule.late_answer_days,
        )
        rows.append(
            CheckIn(
                plan=plan,
                patient=intake.patient,
                time_point=time_point,
                target_at=times.target_at,
                window_opens_at=times.window_opens_at,
                window_closes_at=times.window_closes_at,
                expires_at=times.expires_at,
                due_at=times.due_at,
                send_after=times.due_at,
            )
        )
    return CheckIn.objects.bulk_create(rows)


# ---------------------------------------------------------------- claiming (conditional UPDATEs)
def _stale(now: datetime) -> datetime:
    return now - timedelta(seconds=conf.sending_timeout())


def backoff(attempt: int) -> timedelta:
    """Exponential backoff after the `attempt`-th failed try: base, 2×base, 4×base … capped at one hour."""
    return timedelta(seconds=min(3600, conf.retry_base() * 2 ** max(0, attempt - 1)))


def checkin_claim(*, checkin_id: int, now: datetime) -> datetime | None:
    """scheduled (due) → sending, or re-claim a `sending` row whose worker died. Returns the claim time, or None
    when another process has it or it is not due: `if updated != 1: another process got there first`."""
    updated = (
        CheckIn.objects.filter(pk=checkin_id, send_after__lte=now)
        .filter(Q(status=S.SCHEDULED) | Q(status=S.SENDING, claimed_at__lt=_stale(now)))
        .update(status=S.SENDING, claimed_at=now, status_changed_at=now, attempts=F("attempts") + 1)
    )
    return now if updated == 1 else None


def _finish(checkin_id: int, claim: datetime, **fields) -> bool:
    """Leave `sending` — only if our claim still holds (a worker that outlived its claim must not overwrite)."""
    if "status" in fields:
        fields.setdefault("status_changed_at", timezone.now())
    return CheckIn.objects.filter(pk=checkin_id, status=S.SENDING, claimed_at=claim).update(**fields) == 1


def _release(checkin_id: int, claim: datetime, *, send_after: datetime, error: str = "", undo_attempt=False) -> bool:
    fields = {"status": S.SCHEDULED, "send_after": send_after, "claimed_at": None, "enqueued_at": None}
    if error:
        fields["last_error"] = error[:2000]
    if undo_attempt:
        fields["attempts"] = F("attempts") - 1
    return _finish(checkin_id, claim, **fields)


# ---------------------------------------------------------------- sending an invitation
def checkin_send(*, checkin_id: int) -> str:
    """Send one check-in invitation. Safe to run any number of times, in any number of workers."""
    now = timezone.now()
    claim = checkin_claim(checkin_id=checkin_id, now=now)
    if claim is None:
        return "not_claimed"
    checkin = CheckIn.objects.select_related("plan", "patient").get(pk=checkin_id)
    zone = patient_zone(checkin.plan.time_zone)
    if checkin.plan.opted_out_at is not None:
        _finish(checkin_id, claim, status=S.CANCELLED)
        return "cancelled"
    if now >= checkin.window_closes_at:
        _finish(checkin_id, claim, status=S.MISSED, missed_at=now, last_error="window closed before it was sent")
        return "missed"
    if in_quiet_hours(now, zone):
        # Late (a backlog, or the broker was down): never at night; first thing in the morning instead.
        _release(checkin_id, claim, send_after=next_allowed(now, zone), undo_attempt=True)
        return "deferred_quiet_hours"
    if not checkin.patient.email:
        _finish(checkin_id, claim, status=S.FAILED, last_error="the patient has no e-mail address")
        return "failed"
    reminder_days = _reminder_days()

    def accepted() -> None:
        sent_at = timezone.now()
        reminder = None
        if reminder_days:
            reminder = next_allowed(sent_at + timedelta(days=reminder_days), zone)
            if reminder >= checkin.window_closes_at:
                reminder = None
        _finish(checkin_id, claim, status=S.SENT, sent_at=sent_at, last_error="", reminder_due_at=reminder)

    return _deliver(checkin, claim, emails.checkin_message(checkin), accepted, now)


def _reminder_days() -> int:
    return _SCHEDULE.get().reminder_after_days


def _deliver(checkin: CheckIn, claim: datetime, message, accepted, now: datetime) -> str:
    try:
        emails.deliver(message, accepted)
    except emails.PermanentFailure as exc:
        _finish(checkin.pk, claim, status=S.FAILED, last_error=str(exc)[:2000])
        return "failed"
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        if checkin.attempts >= conf.max_attempts():
            _finish(checkin.pk, claim, status=S.FAILED, last_error=error[:2000])
            log.warning("check-in %s failed after %s attempts: %s", checkin.pk, checkin.attempts, error)
            return "failed"
        zone = patient_zone(checkin.plan.time_zone)
        _release(checkin.pk, claim, send_after=next_allowed(now + backoff(checkin.attempts), zone), error=error)
        return "retry"
    return "sent"


# ---------------------------------------------------------------- the reminder (one, to non-responders)
def reminder_send(*, checkin_id: int) -> str:
    now = timezone.now()
    updated = (
        CheckIn.objects.filter(pk=checkin_id, status=S.SENT, reminder_sent_at__isnull=True, reminder_due_at__lte=now)
        .filter(Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=_stale(now)))
        .update(reminder_claimed_at=now, reminder_attempts=F("reminder_attempts") + 1)
    )
    if updated != 1:
        return "not_claimed"
    checkin = CheckIn.objects.select_related("plan", "patient").get(pk=checkin_id)
    mine = CheckIn.objects.filter(pk=checkin_id, reminder_claimed_at=now)
    zone = patient_zone(checkin.plan.time_zone)
    if checkin.plan.opted_out_at is not None or now >= checkin.window_closes_at or not checkin.patient.email:
        mine.update(reminder_due_at=None, reminder_claimed_at=None)
        return "skipped"
    if in_quiet_hours(now, zone):
        mine.update(
            reminder_due_at=next_allowed(now, zone),
            reminder_claimed_at=None,
            reminder_enqueued_at=None,
            reminder_attempts=F("reminder_attempts") - 1,
        )
        return "deferred_quiet_hours"
    try:
        emails.deliver(
            emails.checkin_message(checkin, reminder=True), lambda: mine.update(reminder_sent_at=timezone.now())
        )
    except (emails.PermanentFailure, smtplib.SMTPException, OSError) as exc:
        give_up = isinstance(exc, emails.PermanentFailure) or checkin.reminder_attempts >= conf.max_attempts()
        retry_at = next_allowed(now + backoff(checkin.reminder_attempts), zone)
        mine.update(
            reminder_due_at=None if give_up else retry_at,
            reminder_claimed_at=None,
            reminder_enqueued_at=None,
            last_error=f"reminder: {type(exc).__name__}: {exc}"[:2000],
        )
        return "failed" if give_up else "retry"
    return "sent"


# ---------------------------------------------------------------- the clinician alert
def clinician_address(plan: CheckInPlan) -> str:
    """The patient's clinician: the plan's address, else the assigned clinician's, else the clinic's, else
    settings.CLINIC_ALERT_EMAIL."""
    if plan.clinician_email:
        return plan.clinician_email
    assignment = getattr(plan.patient, "assignment", None)
    clinician = getattr(assignment, "clinician", None)
    if clinician is not None and getattr(clinician, "email", ""):
        return clinician.email
    return _SCHEDULE.get().alert_email or conf.alert_email_fallback()


def alert_send(*, response_id: int) -> str:
    now = timezone.now()
    updated = (
        CheckInResponse.objects.filter(pk=response_id, alert_send_after__lte=now)
        .filter(Q(alert_status=ALERT.PENDING) | Q(alert_status=ALERT.SENDING, alert_claimed_at__lt=_stale(now)))
        .update(alert_status=ALERT.SENDING, alert_claimed_at=now, alert_attempts=F("alert_attempts") + 1)
    )
    if updated != 1:
        return "not_claimed"
    response = CheckInResponse.objects.select_related("checkin", "checkin__plan", "patient").get(pk=response_id)
    mine = CheckInResponse.objects.filter(pk=response_id, alert_status=ALERT.SENDING, alert_claimed_at=now)
    to = clinician_address(response.checkin.plan)
    if not to:
        mine.update(alert_status=ALERT.FAILED, alert_last_error="no clinician address (set CLINIC_ALERT_EMAIL)")
        return "failed"
    try:
        emails.deliver(
            emails.alert_message(response, to),
            lambda: mine.update(alert_status=ALERT.SENT, alert_sent_at=timezone.now(), alert_to=to),
        )
    except (emails.PermanentFailure, smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if isinstance(exc, emails.PermanentFailure) or response.alert_attempts >= conf.max_attempts():
            mine.update(alert_status=ALERT.FAILED, alert_last_error=error)
            return "failed"
        mine.update(
            alert_status=ALERT.PENDING,
            alert_claimed_at=None,
            alert_enqueued_at=None,
            alert_send_after=now + backoff(response.alert_attempts),
            alert_last_error=error,
        )
        return "retry"
    return "sent"


# ---------------------------------------------------------------- the beat sweep
def _take(queryset, field: str, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` rows enqueued, skipping rows another sweep holds (select_for_update skip_locked)."""
    with transaction.atomic():
        ids = list(queryset.select_for_update(skip_locked=True).order_by().values_list("pk", flat=True)[:limit])
        if ids:
            queryset.model.objects.filter(pk__in=ids).update(**{field: now})
    return ids


def due_checkins(now: datetime):
    fresh = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - timedelta(seconds=conf.reenqueue_after()))
    due = Q(status=S.SCHEDULED, send_after__lte=now) | Q(status=S.SENDING, claimed_at__lt=_stale(now))
    return CheckIn.objects.filter(due & fresh)


def due_reminders(now: datetime):
    fresh = Q(reminder_enqueued_at__isnull=True) | Q(
        reminder_enqueued_at__lt=now - timedelta(seconds=conf.reenqueue_after())
    )
    unclaimed = Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=_stale(now))
    return CheckIn.objects.filter(
        fresh, unclaimed, status=S.SENT, reminder_sent_at__isnull=True, reminder_due_at__lte=now
    )


def due_alerts(now: datetime):
    fresh = Q(alert_enqueued_at__isnull=True) | Q(alert_enqueued_at__lt=now - timedelta(seconds=conf.reenqueue_after()))
    due = Q(alert_status=ALERT.PENDING, alert_send_after__lte=now) | Q(
        alert_status=ALERT.SENDING, alert_claimed_at__lt=_stale(now)
    )
    return CheckInResponse.objects.filter(due & fresh)


def checkins_mark_missed(*, now: datetime) -> int:
    """§6.2: a window that closed unanswered is `missed` (never imputed). A late answer is still accepted."""
    return CheckIn.objects.filter(status__in=[S.SCHEDULED, S.SENT], window_closes_at__lte=now).update(
        status=S.MISSED, missed_at=now, status_changed_at=now
    )


def checkins_sweep(*, publish, now: datetime | None = None) -> dict:
    """Find due work and hand each row to `publish(kind, ids)` (tasks.sweep publishes Celery tasks)."""
    now = now or timezone.now()
    counts = {"missed": checkins_mark_missed(now=now), "checkins": 0, "reminders": 0, "alerts": 0}
    batch, limit = conf.sweep_batch(), conf.sweep_limit()
    for kind, queryset_of, field in (
        ("alerts", due_alerts, "alert_enqueued_at"),
        ("checkins", due_checkins, "enqueued_at"),
        ("reminders", due_reminders, "reminder_enqueued_at"),
    ):
        while counts[kind] < limit:
            ids = _take(queryset_of(now), field, now, batch)
            if not ids:
                break
            publish(kind, ids)
            counts[kind] += len(ids)
    return counts


# ---------------------------------------------------------------- the patient's answers
def followup_document(*, checkin: CheckIn, answers: dict, answered_on) -> dict:
    """The follow-up input (docs/checkin-contract.md) of this check-in: baseline, earlier check-ins, this one."""
    plan = checkin.plan
    intake = plan.intake
    earlier = []
    previous = plan.checkins.filter(time_point__in=_before(checkin.time_point)).select_related("response")
    for row in sorted(previous, key=lambda c: TIME_POINTS[c.time_point]["order"]):
        response = getattr(row, "response", None)
        if response is not None and response.triage_status == CheckInResponse.TriageStatus.OK:
            earlier.append(
                {
                    "time_point": row.time_point,
                    "status": "answered",
                    "answered_on": local_date(response.submitted_at, plan.time_zone).isoformat(),
                    "answers": response.answers,
                }
            )
        else:
            # Not answered (missed, never sent, cancelled) or unreadable: no data, never imputed (§6.2); it also
            # breaks a run of "two consecutive check-ins" (R11).
            earlier.append({"time_point": row.time_point, "status": "missed"})
    return {
        "baseline": intake.answers,
        "rules_version": intake.rules_version or RULES_VERSION,
        "baseline_date": local_date(intake.submitted_at, plan.time_zone).isoformat(),
        "checkins": [
            *earlier,
            {
                "time_point": checkin.time_point,
                "status": "answered",
                "answered_on": answered_on.isoformat(),
                "answers": answers,
            },
        ],
    }


def _before(time_point: str) -> list[str]:
    order = TIME_POINTS[time_point]["order"]
    return [tp for tp, spec in TIME_POINTS.items() if spec["order"] < order]


def checkin_view(*, checkin: CheckIn) -> dict:
    """What decides the questions of this check-in: the baseline's gates and phenotype, as the engine reads them now
    (validate_document re-evaluates the baseline with the current rules, so the form must ask the same)."""
    intake = checkin.plan.intake
    try:
        summary = evaluate(intake.answers)
    except Exception:  # noqa: BLE001 - an old baseline the engine no longer reads: its answers are "summary failed"
        log.exception("baseline of intake %s cannot be read for check-in %s", intake.pk, checkin.pk)
        summary = {}
    return baseline_view(intake.answers, summary, checkin.time_point)


def checkin_validate(*, checkin: CheckIn, answers: dict) -> list[FieldError]:
    """The answers' own errors (paths relative to the answers), for the form."""
    _clean, errors = validate_answers(answers, "", checkin_view(checkin=checkin))
    return [FieldError(e.field.lstrip("."), e.problem, e.message) for e in errors]


def response_submit(*, checkin: CheckIn, answers: dict, now: datetime | None = None) -> CheckInResponse:
    """Store the answers and the follow-up summary; consume the link; queue the clinician alert (on commit).

    Bad answers raise InvalidInput (paths relative to the answers; nothing saved). If the engine itself fails (for
    example an old baseline that no longer validates), the answers are still saved, with triage_status=failed, and
    rank first on the worklist — never shown as "no flags" (reference §0.2.1).
    """
    now = now or timezone.now()
    errors = checkin_validate(checkin=checkin, answers=answers)
    if errors:
        raise InvalidInput(errors)
    answered_on = local_date(now, checkin.plan.time_zone)
    try:
        doc, doc_errors = validate_document(
            followup_document(checkin=checkin, answers=answers, answered_on=answered_on), evaluate_valid
        )
        if doc_errors:
            raise InvalidInput(doc_errors)
        summary = evaluate_followup(doc)
        status, error = CheckInResponse.TriageStatus.OK, ""
    except Exception as exc:  # noqa: BLE001 - stored and shown, never lost
        log.exception("follow-up summary failed for check-in %s", checkin.pk)
        summary, status, error = None, CheckInResponse.TriageStatus.FAILED, f"{type(exc).__name__}: {exc}"
    tier = summary["overall_tier"] if summary else ""
    rank = TIER_RANK[tier] if summary else FAILED_RANK
    with transaction.atomic():
        # Single use: the row is locked and moved to `answered` once; a double submit finds it answered.
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if locked.status in (S.ANSWERED, S.CANCELLED):
            raise AlreadyAnswered(locked.status)
        response = CheckInResponse.objects.create(
            checkin=locked,
            patient_id=locked.patient_id,
            answers=answers,
            summary=summary,
            rules_version=summary["rules_version"] if summary else "",
            triage_status=status,
            triage_error=error,
            overall_tier=tier,
            tier_rank=rank,
            out_of_window=not summary["in_window"] if summary else now > locked.window_closes_at,
            submitted_at=now,
            alert_status=ALERT.PENDING if rank >= ALERT_MIN_RANK else ALERT.NONE,
            alert_send_after=now if rank >= ALERT_MIN_RANK else None,
        )
        CheckIn.objects.filter(pk=locked.pk).update(
            status=S.ANSWERED, status_changed_at=now, draft={}, reminder_due_at=None
        )
        if response.alert_status == ALERT.PENDING:
            transaction.on_commit(lambda: _publish_alert(response.pk))
    return response


class AlreadyAnswered(Exception):
    pass


def _publish_alert(response_id: int) -> None:
    from . import broker, tasks

    broker.publish(tasks.send_clinician_alert, response_id)


def response_acknowledge_emergency(*, response: CheckInResponse) -> None:
    if response.emergency_acknowledged_at is None:
        CheckInResponse.objects.filter(pk=response.pk, emergency_acknowledged_at__isnull=True).update(
            emergency_acknowledged_at=timezone.now()
        )


def response_acknowledge(*, response: CheckInResponse, user, note: str = "") -> None:
    """A clinician has reviewed the answers; the worklist shows it as reviewed."""
    CheckInResponse.objects.filter(pk=response.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=user, acknowledgement_note=note
    )


def checkin_save_draft(*, checkin: CheckIn, answers: dict) -> None:
    CheckIn.objects.filter(pk=checkin.pk).update(draft=answers)


# ---------------------------------------------------------------- opting out
def plan_opt_out(*, plan: CheckInPlan, via: str, now: datetime | None = None) -> int:
    """Stop every future check-in of this patient and record when and how. Returns the rows cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        CheckInPlan.objects.filter(patient_id=plan.patient_id, opted_out_at__isnull=True).update(
            opted_out_at=now, opted_out_via=via
        )
        rows = CheckIn.objects.filter(plan__patient_id=plan.patient_id)
        cancelled = rows.filter(status__in=[S.SCHEDULED, S.FAILED]).update(status=S.CANCELLED, status_changed_at=now)
        rows.filter(status=S.SENT).update(reminder_due_at=None)
    log.info("patient %s opted out of check-ins via %s (%s cancelled)", plan.patient_id, via, cancelled)
    return cancelled


def checkin_retry(*, checkin: CheckIn, now: datetime | None = None) -> bool:
    """Staff: try a failed row again (for example after fixing the patient's address)."""
    now = now or timezone.now()
    return (
        CheckIn.objects.filter(pk=checkin.pk, status=S.FAILED).update(
            status=S.SCHEDULED, send_after=now, attempts=0, claimed_at=None, enqueued_at=None, status_changed_at=now
        )
        == 1
    )
