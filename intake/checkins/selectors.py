"""Reads of the check-in app (HackSoft style: selectors own their select_related).

The clinician worklist gets check-in responses from here, ordered like intakes: tier_rank (9 = summary failed, then
ED_NOW 4 … NONE 0), unacknowledged first, oldest first.

- `worklist_rows()`: the rows on their own (plain dicts), for any caller.
- `CheckInSource`: the same rows in the shape of the dashboard's worklist sources
  (intake.clinician.selectors.worklist: `kind`, `keys(filters)`, `rows(ids)`); apps.py registers it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Value, When
from django.urls import reverse

from .models import CheckIn, CheckInResponse

ORDER = ("-tier_rank", "-unacknowledged", "submitted_at", "pk")


def _flag_ids(response: CheckInResponse) -> list[str]:
    return [f["id"] for f in (response.summary or {}).get("red_flags", [])]


def _unacknowledged():
    """Awaiting review with something to acknowledge: a tier above NONE, or a failed summary."""
    return Case(
        When(triage_status=CheckInResponse.TriageStatus.FAILED, acknowledged_at__isnull=True, then=Value(True)),
        When(acknowledged_at__isnull=True, tier_rank__gt=0, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _flag_q(flag_id: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(summary__red_flags__contains=[{"id": flag_id}])
    return Q(summary__icontains=f'"id": "{flag_id}"')


def response_url(response_id: int) -> str:
    return reverse("admin:checkins_checkinresponse_change", args=[response_id])


def worklist_rows(*, awaiting_only: bool = True, min_rank: int | None = None, limit: int | None = None) -> list[dict]:
    """Check-in responses for the worklist, in worklist order. Each row:

    kind "checkin", pk, url, patient_id, patient_name, time_point, tier, tier_rank, triage_failed, unacknowledged,
    submitted_at, flag_ids, notes (tiered note ids), free_text (the patient's message, always for a clinician).
    """
    qs = CheckInResponse.objects.select_related("patient", "checkin").annotate(unacknowledged=_unacknowledged())
    if awaiting_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    if min_rank is not None:
        qs = qs.filter(tier_rank__gte=min_rank)
    qs = qs.order_by(*ORDER)
    if limit is not None:
        qs = qs[:limit]
    rows = []
    for r in qs:
        patient = r.patient
        summary = r.summary or {}
        rows.append(
            {
                "kind": "checkin",
                "pk": r.pk,
                "url": response_url(r.pk),
                "patient_id": patient.pk,
                "patient_name": f"{patient.last_name}, {patient.first_name}".strip(", ") or str(patient),
                "time_point": r.checkin.time_point,
                "tier": r.overall_tier,
                "tier_rank": r.tier_rank,
                "triage_failed": r.triage_failed,
                "unacknowledged": r.unacknowledged,
                "submitted_at": r.submitted_at,
                "flag_ids": _flag_ids(r),
                "notes": [n["id"] for n in summary.get("notes", []) if n.get("tier")],
                "free_text": (r.answers or {}).get("free_text", ""),
            }
        )
    return rows


class CheckInSource:
    """A worklist source for intake.clinician.selectors.worklist (register_source)."""

    kind = "checkin"
    kind_label = "Check-in"

    def keys(self, filters) -> QuerySet:
        from intake.clinician.selectors.worklist import FAILED, KEY_COLUMNS, date_q, patient_q

        qs = CheckInResponse.objects.annotate(
            kind=Value(self.kind, output_field=CharField()),
            item_id=F("pk"),
            unacknowledged=_unacknowledged(),
        ).filter(patient_q(filters), date_q(filters))
        if filters.status == "awaiting":
            qs = qs.filter(acknowledged_at__isnull=True)
        elif filters.status == "reviewed":
            qs = qs.filter(acknowledged_at__isnull=False)
        if filters.tiers:
            tier_q = Q(overall_tier__in=[t for t in filters.tiers if t != FAILED], triage_status="ok")
            if FAILED in filters.tiers:
                tier_q |= Q(triage_status=CheckInResponse.TriageStatus.FAILED)
            qs = qs.filter(tier_q)
        if filters.flag_id:
            qs = qs.filter(_flag_q(filters.flag_id))
        if filters.min_rank is not None:
            qs = qs.filter(tier_rank__gte=filters.min_rank)
        return qs.order_by().values(*KEY_COLUMNS)

    def rows(self, ids: Iterable[int]) -> dict:
        from intake.clinician.selectors.worklist import WorklistRow

        responses = CheckInResponse.objects.filter(pk__in=list(ids)).select_related(
            "patient", "patient__assignment__clinician", "checkin"
        )
        rows = {}
        for r in responses:
            patient = r.patient
            assignment = getattr(patient, "assignment", None)
            flags = _flag_ids(r)
            pending = r.acknowledged_at is None
            rows[r.pk] = WorklistRow(
                kind=self.kind,
                kind_label=f"{self.kind_label} ({r.checkin.get_time_point_display()})",
                pk=r.pk,
                url=response_url(r.pk),
                patient_id=patient.pk,
                patient_name=f"{patient.last_name}, {patient.first_name}".strip(", ") or str(patient),
                date_of_birth=patient.date_of_birth,
                clinician_name=_name(assignment.clinician) if assignment else "",
                tier=r.overall_tier,
                tier_rank=r.tier_rank,
                triage_failed=r.triage_failed,
                unacknowledged=pending and (r.triage_failed or r.tier_rank > 0),
                reviewed=not pending,
                submitted_at=r.submitted_at,
                flag_ids=flags,
                unacknowledged_flag_ids=flags if pending else [],
            )
        return rows


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def failed_checkins() -> QuerySet:
    """Rows staff must look at: sends that failed for good, and clinician alerts that could not be sent."""
    return CheckIn.objects.filter(status=CheckIn.Status.FAILED).select_related("patient")


def patient_checkins(patient_id: int) -> QuerySet:
    return CheckIn.objects.filter(patient_id=patient_id).select_related("response").order_by("due_at")
