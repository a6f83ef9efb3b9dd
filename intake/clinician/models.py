"""The clinician side's own records: the audit trail, intake reviews and the patient's clinician.

The Intake, Flag and Patient rows belong to the `intake` app; this app never changes their schema.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import CLINICIAN


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted: the trail is append-only."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be updated")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """Who viewed or changed which record, when, and from which address (design.md "audit trail").

    Append-only: the ORM refuses to update or delete a row, the admin offers neither, and a user with events
    cannot be deleted (deactivate them instead), so the trail never loses its "who".
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        ACKNOWLEDGE = "acknowledge", _("acknowledged")
        REVIEW = "review", _("marked reviewed")
        EXPORT = "export", _("exported")
        SEND = "send", _("sent")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    patient_pk = models.BigIntegerField(_("patient id"), null=True, blank=True, db_index=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        # Append-only: no add/change/delete permission exists. Django hangs permissions on a model, so the
        # dashboard's own permissions (roles.py) live here too.
        default_permissions = ("view",)
        permissions = [
            ("view_clinical_data", "Can view clinical data (answers, summaries, flags, trends)"),
            ("acknowledge_flag", "Can acknowledge red flags"),
            ("review_intake", "Can mark intakes and check-ins reviewed"),
            ("export_outcomes", "Can export de-identified outcomes"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class IntakeReview(models.Model):
    """A clinician has looked at the whole intake (after acknowledging every flag); it leaves the worklist."""

    intake = models.OneToOneField("intake.Intake", on_delete=models.CASCADE, related_name="review")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Review of intake {self.intake_id} by {self.reviewed_by} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class PatientAssignment(models.Model):
    """The patient's clinician, set by the front desk; the worklist filters by it."""

    patient = models.OneToOneField("intake.Patient", on_delete=models.CASCADE, related_name="assignment")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_patients",
        limit_choices_to={"groups__name": CLINICIAN},
        verbose_name=_("clinician"),
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("clinician of a patient")

    def __str__(self) -> str:
        return f"{self.patient} → {self.clinician}"
