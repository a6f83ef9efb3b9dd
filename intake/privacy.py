"""A patient's rights over their data (issue #7): export everything held about them, and erase it on request; and
the retention clean-up of `manage.py purge_expired`.

Every row that names or describes the patient is found by following the database's relations from the Patient and
their intakes (the same walk the admin does before a delete), so a model added later with a foreign key to Patient
or Intake (check-ins, FHIR identifiers, reviews, ...) is exported and erased without a change here. API tokens and
staff accounts are not patient data and are never touched.

The audit trail is append-only (intake/clinician/models.py) with one sanctioned exception made here: erasure removes
the patient's name from earlier events (record names, and any page or search that held the name) and keeps who did
what, when; then it appends the event of the erasure itself, which names the patient's id only.

Export and erasure are for practice admins: the admin actions on Patient (`can_handle_requests`) and the commands
`manage.py patient_export ID` and `manage.py patient_erase ID --confirm`.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .models import Intake, IntakeDraft, Patient

log = logging.getLogger(__name__)

EXPORT_FORMAT = "clinic-intake patient export 1"
# Link secrets (hashes and nonces) are no use to the patient and stay out of the export.
SECRET_FIELDS = {"token_hash", "link_nonce"}
ERASED = "(patient erased)"


def can_handle_requests(user) -> bool:
    """Practice admins (and superusers): export and erasure carry every clinical detail of a patient."""
    from intake.clinician.roles import VIEW_CLINICAL

    return user.is_active and user.has_perm("intake.delete_patient") and user.has_perm(VIEW_CLINICAL)


# ---------------------------------------------------------------- which rows
def patient_records(patient: Patient) -> dict[type[models.Model], list[models.Model]]:
    """Every row that belongs to the patient: the Patient, its intakes and everything hanging off either."""
    collector = NestedObjects(using=router.db_for_write(Patient))
    # Intake.patient is PROTECT (a submitted intake is a clinical record), so the intakes are roots of the walk.
    collector.collect([patient])
    intakes = list(Intake.objects.filter(patient=patient))
    if intakes:
        collector.collect(intakes)
    return {model: sorted(rows, key=lambda row: row.pk) for model, rows in collector.data.items() if rows}


def _counts(records: dict) -> dict[str, int]:
    return {model._meta.label_lower: len(rows) for model, rows in sorted(records.items(), key=lambda i: str(i[0]))}


# ---------------------------------------------------------------- export
def _serialise(rows: list[models.Model]) -> list[dict]:
    out = []
    for item in serializers.serialize("python", rows):
        fields = {k: v for k, v in item["fields"].items() if k not in SECRET_FIELDS}
        out.append({"id": item["pk"], **fields})
    return out


def patient_export_data(patient: Patient) -> dict:
    """Everything held about the patient, as JSON-ready data: every row, with every answer and every summary."""
    records = patient_records(patient)
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "patient_id": patient.pk,
        "records": {model._meta.label_lower: _serialise(rows) for model, rows in records.items()},
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def patient_export_json(patient: Patient) -> str:
    return json.dumps(patient_export_data(patient), indent=2, ensure_ascii=False, sort_keys=True)


def patient_summary_pdfs(patient: Patient) -> dict[str, bytes]:
    """The clinician summary of each of the patient's intakes as a PDF (the dashboard's own PDF code)."""
    from intake.clinician.pdf import summary_pdf
    from intake.clinician.selectors.summary import intake_for_summary, summary_view

    pdfs = {}
    for pk in Intake.objects.filter(patient=patient).order_by("pk").values_list("pk", flat=True):
        pdfs[f"intake-{pk}-summary.pdf"] = summary_pdf(summary_view(intake_for_summary(pk)))
    return pdfs


def patient_export_zip(patient: Patient) -> bytes:
    """patient-<id>.json and one summary PDF per intake, in one zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"patient-{patient.pk}.json", patient_export_json(patient))
        for name, pdf in patient_summary_pdfs(patient).items():
            archive.writestr(name, pdf)
    return buffer.getvalue()


def patient_export(*, patient: Patient, user=None, via: str, ip_address: str | None = None) -> bytes:
    """The export zip, recorded in the audit trail."""
    content = patient_export_zip(patient)
    counts = _counts(patient_records(patient))
    privacy_audit(action="export", patient_pk=patient.pk, user=user, via=via, ip_address=ip_address,
                  object_repr=f"Patient {patient.pk} (data export)", detail={"records": counts})
    return content


# ---------------------------------------------------------------- erasure
def privacy_audit(*, action: str, patient_pk: int, user, via: str, object_repr: str, detail: dict,
           ip_address: str | None = None, object_type: str = "intake.patient", object_id: int | None = None):
    from intake.clinician.models import AuditEvent

    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else f"({via})",
        ip_address=ip_address,
        action=action,
        object_type=object_type,
        object_id=str(object_id if object_id is not None else patient_pk),
        object_repr=object_repr,
        patient_pk=patient_pk,
        path="",
        detail={"via": via, **detail},
    )


def _identifying_strings(patient: Patient) -> list[str]:
    full = f"{patient.first_name} {patient.last_name}".strip()
    strings = [full, patient.email, patient.last_name if len(patient.last_name) >= 3 else ""]
    return sorted({s for s in strings if s}, key=len, reverse=True)


def _names_any(field: str, strings: list[str]) -> Q:
    query = Q(pk__in=[])
    for text in strings:
        query |= Q(**{f"{field}__icontains": text})
    return query


def _redact_audit_trail(patient: Patient, records: dict) -> int:
    """Remove the patient's name from earlier audit events: the sanctioned exception to append-only."""
    from intake.clinician.models import AuditEvent

    keys = Q(patient_pk=patient.pk)
    for model, rows in records.items():
        keys |= Q(object_type=model._meta.label_lower, object_id__in=[str(row.pk) for row in rows])
    strings = _identifying_strings(patient)
    # A plain QuerySet: AuditEventQuerySet refuses every update, rightly, except this one.
    events = models.QuerySet(model=AuditEvent, using=router.db_for_write(AuditEvent))
    events = events.annotate(detail_text=Cast("detail", TextField()))
    changed = events.filter(keys | _names_any("object_repr", strings)).update(
        object_repr=Concat(F("object_type"), Value(" "), F("object_id"), Value(f" {ERASED}"))
    )
    changed += events.filter(_names_any("path", strings)).update(path=ERASED)
    changed += events.filter(_names_any("detail_text", strings)).update(detail={"redacted": ERASED})
    return changed


def _redact_admin_log(patient: Patient, records: dict) -> int:
    """Django's own admin history (LogEntry) names the records it changed."""
    query = _names_any("object_repr", _identifying_strings(patient))
    for model, rows in records.items():
        content_type = ContentType.objects.get_for_model(model)
        query |= Q(content_type=content_type, object_id__in=[str(row.pk) for row in rows])
    return LogEntry.objects.filter(query).update(object_repr=ERASED)


def patient_erase(*, patient: Patient, user=None, via: str, ip_address: str | None = None) -> dict[str, int]:
    """Delete every row of the patient (patient_records), scrub their name from the audit trail and the admin
    history, and record the erasure. One transaction: all of it, or nothing. Returns the rows deleted by model."""
    pk = patient.pk
    with transaction.atomic():
        records = patient_records(patient)
        counts = _counts(records)
        redacted = _redact_audit_trail(patient, records) + _redact_admin_log(patient, records)
        Intake.objects.filter(patient=patient).delete()  # first: an intake PROTECTs its patient
        patient.delete()
        privacy_audit(action="delete", patient_pk=pk, user=user, via=via, ip_address=ip_address,
                      object_repr=f"Patient {pk} {ERASED}",
                      detail={"erasure": True, "records": counts, "audit_events_redacted": redacted})
    log.info("patient %s erased on request (%s)", pk, via)
    return counts


# ---------------------------------------------------------------- retention
def drafts_purge(*, now=None) -> int:
    """Delete unfinished drafts untouched for DRAFT_RETENTION_DAYS (the link, if still valid, starts afresh)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DRAFT_RETENTION_DAYS)
    deleted, _by_model = IntakeDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


def intakes_purge(*, now=None) -> int:
    """With INTAKE_RETENTION_DAYS > 0, delete intakes submitted before the retention period (flags, reviews and
    check-ins with them), each recorded in the audit trail. 0 (the default) keeps every intake."""
    days = settings.INTAKE_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    purged = 0
    for pk, patient_pk in Intake.objects.filter(submitted_at__lt=cutoff).values_list("pk", "patient_id"):
        with transaction.atomic():
            Intake.objects.filter(pk=pk).delete()
            privacy_audit(action="delete", patient_pk=patient_pk, user=None, via="purge_expired",
                          object_type="intake.intake", object_id=pk,
                          object_repr=f"Intake {pk} (retention period ended)", detail={"retention_days": days})
        purged += 1
    return purged
