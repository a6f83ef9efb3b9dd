"""The clinic's records. Answers and summaries are stored as JSON exactly as the engine takes and gives them."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TIER_CHOICES = [
    ("ED_NOW", "Emergency: now"),
    ("SAME_DAY", "Emergency: same day"),
    ("URGENT_REFERRAL", "Urgent referral"),
    ("ROUTINE", "Routine"),
    ("NONE", "None"),
]
# Worklist order (issue #5): ED_NOW → SAME_DAY → URGENT_REFERRAL → ROUTINE → NONE.
TIER_RANK = {"ED_NOW": 4, "SAME_DAY": 3, "URGENT_REFERRAL": 2, "ROUTINE": 1, "NONE": 0}


def token_hash(raw: str) -> str:
    """Invitation tokens are stored only as a SHA-256 hash: a database leak reveals no working link."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def patient_label(first_name: str, last_name: str, email: str, pk) -> str:
    """How a patient is named on screens: "First Last", else the e-mail address, else "Patient <id>"."""
    return f"{first_name} {last_name}".strip() or email or f"Patient {pk}"


def patient_list_name(first_name: str, last_name: str, email: str, pk) -> str:
    """How lists (the worklist) name a patient: "Last, First", else as patient_label."""
    return f"{last_name}, {first_name}".strip(", ") or patient_label(first_name, last_name, email, pk)


class Patient(models.Model):
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name"]), models.Index(fields=["date_of_birth"])]

    def __str__(self) -> str:
        return patient_label(self.first_name, self.last_name, self.email, self.pk)


class Invitation(models.Model):
    """An expiring, single-use intake link. GET never uses it up (mail scanners open links); the submit does."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.patient} (expires {self.expires_at:%Y-%m-%d})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)  # 256 bits of randomness

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class IntakeDraft(models.Model):
    """Server-side autosave of an unfinished intake: every step saves here, so nothing typed is lost."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(default=dict)
    step = models.CharField(max_length=40, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Draft for {self.invitation.patient} at step {self.step or 'start'}"


class Intake(models.Model):
    """One submitted intake: the answers, the engine's summary (or the fact that triage failed) and consents."""

    class TriageStatus(models.TextChoices):
        OK = "ok", "Summary ready"
        FAILED = "failed", "Summary failed — review manually"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="intakes")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL)
    answers = models.JSONField()
    summary = models.JSONField(null=True, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    triage_status = models.CharField(max_length=10, choices=TriageStatus.choices)
    triage_error = models.TextField(blank=True)
    overall_tier = models.CharField(max_length=20, choices=TIER_CHOICES, blank=True)
    tier_rank = models.PositiveSmallIntegerField(default=0, db_index=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    privacy_accepted_at = models.DateTimeField()
    checkins_opt_in = models.BooleanField(default=False)
    checkins_opt_in_at = models.DateTimeField(null=True, blank=True)
    emergency_acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The worklist's "unacknowledged first" (issue #5), stored so that PostgreSQL reads a page of the worklist from
    # the index below instead of sorting every intake (issue #7). True while the summary failed (manual review) or
    # any of its flags awaits acknowledgement; set by intake_submit, cleared by flag_acknowledge when the last flag
    # is acknowledged. The worklist's cells read the flags themselves.
    unacknowledged = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["-tier_rank", "submitted_at"]),
            models.Index(fields=["-tier_rank", "-unacknowledged", "submitted_at", "id"], name="intake_worklist_order"),
        ]

    def __str__(self) -> str:
        # No tier or status here: this string is shown on pages the front desk may see (issue #5 roles).
        return f"Intake {self.pk} — {self.patient}, {self.submitted_at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.triage_status == self.TriageStatus.FAILED:
            self.unacknowledged = True  # however it is created, a failed summary waits for a manual review
        super().save(*args, **kwargs)

    @property
    def triage_failed(self) -> bool:
        return self.triage_status == self.TriageStatus.FAILED


class Flag(models.Model):
    """One red flag of a summary, with its acknowledgement by a clinician."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="flags")
    flag_id = models.CharField(max_length=30, db_index=True)
    tier = models.CharField(max_length=12)
    action = models.CharField(max_length=20)
    triggered_by = models.JSONField(default=list)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ["intake", "id"]
        constraints = [models.UniqueConstraint(fields=["intake", "flag_id"], name="one_flag_id_per_intake")]

    def __str__(self) -> str:
        return f"{self.flag_id} ({self.action}) on intake {self.intake_id}"


class ContentPack(models.Model):
    """A clinic's licensed wording for one instrument we may not ship (reference.md §1.3 "bring your own").

    `content` is the pack JSON described in intake/content/packs.py; it is validated against the instrument's
    N_ITEMS and SCALE. Only an active, valid pack makes the wizard ask the instrument; otherwise it is left out.
    """

    instrument = models.CharField(_("instrument"), max_length=20)
    content = models.JSONField(_("wording (JSON)"))
    copyright_notice = models.TextField(_("copyright notice"))
    active = models.BooleanField(_("active"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["instrument", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument"], condition=models.Q(active=True), name="one_active_pack_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} pack ({'active' if self.active else 'inactive'}, {self.uploaded_at:%Y-%m-%d})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .content.packs import validate_pack

        errors = validate_pack(self.instrument, self.content)
        if errors:
            raise ValidationError({"content": errors})
        if not (self.copyright_notice or "").strip():
            raise ValidationError({"copyright_notice": _("A licensed instrument needs its copyright notice.")})
