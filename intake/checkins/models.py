"""Follow-up check-ins (reference.md §6): the clinic's schedule, one plan per consenting intake, one outbox row per
check-in, and the patient's response.

A CheckIn row is the source of truth for its e-mail (design.md): beat finds due rows, a send task claims one with
a conditional UPDATE and moves it along

    scheduled ──► sending ──► sent ──► answered
        ▲            │  │        └──► missed      (window closed unanswered; a late answer is still stored)
        └─ retry ────┘  ├──► failed              (last SMTP attempt failed, or no address: staff see it)
                        └──► cancelled           (the patient opted out)

A row stuck in `sending` longer than CHECKIN_SENDING_TIMEOUT_SECONDS is claimed again (its worker died), so a
killed worker loses nothing. The reminder and the clinician alert are smaller outboxes on the same pattern.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import TIER_CHOICES, Intake, Patient
from intake.triage.checkin_schema import TIME_POINTS

TIME_POINT_CHOICES = [(key, f"{tp['weeks']} weeks") for key, tp in TIME_POINTS.items()]


def new_nonce() -> str:
    return secrets.token_hex(8)


class CheckInSchedule(models.Model):
    """The clinic's schedule (one row, edited in the admin). Changes apply to intakes submitted afterwards."""

    week2 = models.BooleanField(_("2 weeks"), default=True)
    week6 = models.BooleanField(_("6 weeks"), default=True)
    week12 = models.BooleanField(_("12 weeks"), default=True)
    # reference.md §6.2: the 26- and 52-week check-ins are optional, per clinic.
    week26 = models.BooleanField(_("26 weeks (optional)"), default=False)
    week52 = models.BooleanField(_("52 weeks (optional)"), default=False)
    send_hour = models.PositiveSmallIntegerField(
        _("send at (hour, patient's local time)"),
        default=10,
        validators=[MinValueValidator(8), MaxValueValidator(20)],
        help_text=_("The invitation goes out on the first day of the window at this hour; never 21:00–08:00."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"),
        default=3,
        validators=[MaxValueValidator(60)],
        help_text=_("One reminder to a patient who has not answered; 0 sends none."),
    )
    late_answer_days = models.PositiveSmallIntegerField(
        _("late answers accepted for (days)"),
        default=7,
        # At most 14: the shortest gap between two windows (2-week closes day 18, 6-week opens day 38) stays open.
        validators=[MaxValueValidator(14)],
        help_text=_(
            "After the window closes the link still works this long; a late answer is stored but not "
            "compared (reference §6.2)."
        ),
    )
    alert_email = models.EmailField(
        _("clinician alert address"),
        blank=True,
        help_text=_(
            "Where urgent check-in answers are sent when the patient has no clinician address. "
            "Empty: the CLINIC_ALERT_EMAIL setting."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("check-in schedule")
        verbose_name_plural = _("check-in schedule")

    def __str__(self) -> str:
        return str(_("Check-in schedule: %(points)s")) % {"points": ", ".join(self.time_points()) or "none"}

    @classmethod
    def current(cls) -> CheckInSchedule:
        schedule, _created = cls.objects.get_or_create(pk=1)
        return schedule

    def time_points(self) -> list[str]:
        return [tp for tp in TIME_POINTS if getattr(self, tp)]


class CheckInPlan(models.Model):
    """The check-ins of one intake, made when it was submitted with consent."""

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="checkin_plan")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="checkin_plans")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    clinician_email = models.EmailField(
        _("clinician alert address"), blank=True, help_text=_("Urgent answers of this patient are e-mailed here.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    opted_out_via = models.CharField(_("opted out via"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("check-in plan")

    def __str__(self) -> str:
        return f"Check-ins of intake {self.intake_id} ({self.patient})"


class CheckIn(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed: not sent")
        CANCELLED = "cancelled", _("Cancelled (opted out)")
        ANSWERED = "answered", _("Answered")
        MISSED = "missed", _("Missed")

    plan = models.ForeignKey(CheckInPlan, on_delete=models.CASCADE, related_name="checkins")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="checkins")
    time_point = models.CharField(_("time point"), max_length=8, choices=TIME_POINT_CHOICES)
    target_at = models.DateTimeField(_("target day"))
    window_opens_at = models.DateTimeField(_("window opens"))
    window_closes_at = models.DateTimeField(_("window closes"))
    expires_at = models.DateTimeField(_("link expires"))
    due_at = models.DateTimeField(_("due"), help_text=_("When the invitation is due (patient's local send hour)."))
    send_after = models.DateTimeField(_("next attempt"), db_index=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    link_nonce = models.CharField(max_length=32, default=new_nonce)

    reminder_due_at = models.DateTimeField(null=True, blank=True)
    reminder_enqueued_at = models.DateTimeField(null=True, blank=True)
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    reminder_attempts = models.PositiveSmallIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    missed_at = models.DateTimeField(null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("check-in")
        constraints = [models.UniqueConstraint(fields=["plan", "time_point"], name="one_checkin_per_time_point")]
        indexes = [
            models.Index(fields=["status", "send_after"], name="checkin_due"),
            models.Index(fields=["status", "reminder_due_at"], name="checkin_reminder_due"),
            models.Index(fields=["status", "window_closes_at"], name="checkin_window_close"),
        ]

    def __str__(self) -> str:
        return f"{self.get_time_point_display()} check-in of {self.patient} ({self.status})"

    @property
    def weeks(self) -> int:
        return TIME_POINTS[self.time_point]["weeks"]


class CheckInResponse(models.Model):
    """A patient's answers to one check-in, the follow-up summary, and the clinician's review."""

    class TriageStatus(models.TextChoices):
        OK = "ok", _("Summary ready")
        FAILED = "failed", _("Summary failed — review manually")

    class AlertStatus(models.TextChoices):
        NONE = "", _("No alert")
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="response")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="checkin_responses")
    answers = models.JSONField()
    summary = models.JSONField(null=True, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    triage_status = models.CharField(max_length=10, choices=TriageStatus.choices)
    triage_error = models.TextField(blank=True)
    overall_tier = models.CharField(max_length=20, choices=TIER_CHOICES, blank=True)
    tier_rank = models.PositiveSmallIntegerField(default=0, db_index=True)
    out_of_window = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    emergency_acknowledged_at = models.DateTimeField(null=True, blank=True)

    acknowledged_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    acknowledgement_note = models.TextField(blank=True)

    # The worklist's "unacknowledged first" (issue #7): awaiting review with something to acknowledge, a tier above
    # NONE or a failed summary. Computed and stored by the database from this row's own columns, so PostgreSQL pages
    # the worklist from the index below instead of sorting every response.
    unacknowledged = models.GeneratedField(
        expression=models.Case(
            models.When(triage_status=TriageStatus.FAILED, acknowledged_at__isnull=True, then=models.Value(True)),
            models.When(acknowledged_at__isnull=True, tier_rank__gt=0, then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    alert_status = models.CharField(max_length=10, choices=AlertStatus.choices, default="", blank=True)
    alert_to = models.EmailField(blank=True)
    alert_send_after = models.DateTimeField(null=True, blank=True)
    alert_enqueued_at = models.DateTimeField(null=True, blank=True)
    alert_claimed_at = models.DateTimeField(null=True, blank=True)
    alert_attempts = models.PositiveSmallIntegerField(default=0)
    alert_sent_at = models.DateTimeField(null=True, blank=True)
    alert_last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("check-in response")
        indexes = [
            models.Index(fields=["-tier_rank", "submitted_at"], name="checkin_response_worklist"),
            models.Index(fields=["-tier_rank", "-unacknowledged", "submitted_at", "id"], name="checkin_response_order"),
            models.Index(fields=["alert_status", "alert_send_after"], name="checkin_alert_due"),
        ]

    def __str__(self) -> str:
        return f"{self.checkin.get_time_point_display()} check-in answer of {self.patient}"

    @property
    def triage_failed(self) -> bool:
        return self.triage_status == self.TriageStatus.FAILED
