"""Reads of the check-in app (HackSoft style: selectors own their select_related).

The clinician worklist gets check-in responses from here, ordered like intakes: tier_rank (9 = summary failed, then
ED_NOW 4 … NONE 0), unacknowledged first, oldest first.

- `worklist_rows()`: the rows on their own (plain dicts), for any caller.
- `CheckInSource`: the same rows in the shape of the dashboard's worklist sources
  (intake.clinician.selectors.worklist: `kind`, `keys(filters)`, `rows(ids)`); apps.py registers it.
- `CheckInTrendSource`: one trend point per answered or missed check-in for the dashboard's trends page
  (intake.clinician.selectors.trends); apps.py registers it. The change statuses are the follow-up summary's
  (intake/triage/change.py), read from the stored response, never recomputed.
- `response_for_page(pk)`: one response with what the clinician's check-in response page shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import CharField, F, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.urls import reverse

from intake.models import patient_list_name
from intake.triage.change import per_28_days
from intake.triage.checkin_schema import TIME_POINTS

from .models import CheckIn, CheckInResponse

ORDER = ("-tier_rank", "-unacknowledged", "submitted_at", "pk")


def _flag_ids(response: CheckInResponse) -> list[str]:
    return [f["id"] for f in (response.summary or {}).get("red_flags", [])]


def _flag_q(flag_id: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(summary__red_flags__contains=[{"id": flag_id}])
    return Q(summary__icontains=f'"id": "{flag_id}"')


def response_url(response_id: int) -> str:
    return reverse("clinician:checkin_response", args=[response_id])


def response_for_page(pk: int) -> CheckInResponse:
    return get_object_or_404(
        CheckInResponse.objects.select_related("patient", "checkin__plan__intake", "acknowledged_by"), pk=pk
    )


def worklist_rows(*, awaiting_only: bool = True, min_rank: int | None = None, limit: int | None = None) -> list[dict]:
    """Check-in responses for the worklist, in worklist order. Each row:

    kind "checkin", pk, url, patient_id, patient_name, time_point, tier, tier_rank, triage_failed, unacknowledged,
    submitted_at, flag_ids, notes (tiered note ids), free_text (the patient's message, always for a clinician).
    """
    qs = CheckInResponse.objects.select_related("patient", "checkin")
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
                "patient_name": _list_name(patient),
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
                patient_name=_list_name(patient),
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


def _list_name(patient) -> str:
    return patient_list_name(patient.first_name, patient.last_name, patient.email, patient.pk)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def failed_checkins() -> QuerySet:
    """Rows staff must look at: sends that failed for good, and clinician alerts that could not be sent."""
    return CheckIn.objects.filter(status=CheckIn.Status.FAILED).select_related("patient")


# The trends page's measures (intake.clinician.selectors.trends.MEASURES) that a change entry of the follow-up
# summary (changes[].measure, docs/checkin-contract.md C.4) carries, with its normalised `followup` value.
TREND_CHANGE_MEASURES = ("nprs_back", "nprs_head", "headache_days", "rmdq", "odi", "ndi", "hit6", "midas", "psfs")
_TREND_COLUMNS = {
    "patient_id": "patient_id",
    "time_point": "time_point",
    "status": "status",
    "target_at": "target_at",
    "response_id": "response__pk",
    "submitted_at": "response__submitted_at",
    "out_of_window": "response__out_of_window",
    "triage_status": "response__triage_status",
    "tier": "response__overall_tier",
    "nprs_back": "response__answers__nprs_back",
    "nprs_head": "response__answers__nprs_head",
    "ha_days": "response__answers__ha_days_window",
    "med_any": "response__answers__med_days_window__any_acute",
    "changes": "response__summary__changes",
    "med_per_28": "response__summary__medication__per_28_days",
    "med_at_threshold": "response__summary__medication__classes_at_threshold",
}


def _trend_number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


class CheckInTrendSource:
    """A trend source for intake.clinician.selectors.trends (register_trend_source): one query for any number of
    patients, reading only the few JSON values the page needs (never whole summaries)."""

    kind = "checkin"

    def points(self, patient_ids):
        from intake.clinician.selectors.trends import TrendPoint

        qs = CheckIn.objects.filter(status__in=[CheckIn.Status.ANSWERED, CheckIn.Status.MISSED])
        if patient_ids is not None:
            qs = qs.filter(patient_id__in=patient_ids)
        out: dict[int, list] = {}
        names = list(_TREND_COLUMNS)
        for values in qs.order_by("target_at", "pk").values_list(*_TREND_COLUMNS.values()).iterator(2000):
            row = dict(zip(names, values, strict=True))
            spec = TIME_POINTS[row["time_point"]]
            label = f"{spec['weeks']}-week check-in"
            if row["response_id"] is None:  # missed (a late answer would have made it answered): a gap
                out.setdefault(row["patient_id"], []).append(
                    TrendPoint(when=row["target_at"], label=f"{label} (missed)", kind=self.kind, values={},
                               window_days=spec["window_days"], missed=True)
                )
                continue
            window = spec["window_days"]
            entries = {c["measure"]: c for c in row["changes"] or () if isinstance(c, dict)}
            values = {
                "nprs_back": _trend_number(row["nprs_back"]),
                "nprs_head": _trend_number(row["nprs_head"]),
                "headache_days": per_28_days(row["ha_days"], window) if _trend_number(row["ha_days"]) is not None
                else None,
                "medication_days": per_28_days(row["med_any"], window) if _trend_number(row["med_any"]) is not None
                else None,
            }
            changes = {}
            for key in TREND_CHANGE_MEASURES:
                entry = entries.get(key)
                if entry is None:
                    continue
                if values.get(key) is None:
                    values[key] = _trend_number(entry.get("followup"))
                changes[key] = {k: entry.get(k) for k in ("status", "delta", "pct", "reason")}
            failed = row["triage_status"] != CheckInResponse.TriageStatus.OK
            if not failed:
                changes["medication_days"] = {"status": "no_mcid", "detail": _medication_detail(row)}
            out.setdefault(row["patient_id"], []).append(
                TrendPoint(
                    when=row["submitted_at"],
                    label=label,
                    kind=self.kind,
                    values=values,
                    window_days=window,
                    out_of_window=bool(row["out_of_window"]),
                    url=response_url(row["response_id"]),
                    extra={"tier": row["tier"], "age": None, "sex": None},
                    changes=changes,
                    default_status="summary_failed" if failed else "not_comparable",
                )
            )
        return out


def _medication_detail(row: dict) -> str:
    """Per class per 28 days (R11), and the classes at their §4.7 MOH-risk level, from the follow-up summary."""
    per_28 = {k: v for k, v in (row["med_per_28"] or {}).items() if k != "any_acute" and v}
    text = ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in sorted(per_28.items()))
    at = row["med_at_threshold"] or []
    if at:
        text += ("; " if text else "") + "at MOH-risk level (§4.7): " + ", ".join(at)
    return text


def patient_checkins(patient_id: int) -> QuerySet:
    return CheckIn.objects.filter(patient_id=patient_id).select_related("response").order_by("due_at")
