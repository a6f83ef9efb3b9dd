"""De-identified outcomes for research and service evaluation: one row per trend point (baseline intake and each
check-in), with no name, email or date of birth. A patient appears under an opaque subject id (a keyed hash of
the record id: stable across exports, not reversible without the server's secret key); dates are given only as
days since the patient's baseline; ages of 90 and over are written "90+".
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.crypto import salted_hmac

from .trends import MEASURES, trend_points

COLUMNS = (
    "subject",
    "timepoint",
    "source",
    "days_since_baseline",
    "out_of_window",
    "overall_tier",
    "age",
    "sex",
    *(m.key for m in MEASURES),
)


def subject_id(patient_id: int) -> str:
    return salted_hmac("intake.clinician.outcomes.subject", str(patient_id)).hexdigest()[:16]


def _age(value) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        return ""
    return "90+" if value >= 90 else str(value)


def outcome_rows(patient_ids: list[int] | None = None) -> Iterator[list[str]]:
    """The header, then the rows, ordered by subject id (not by record id, which would reveal enrolment order)."""
    yield list(COLUMNS)
    points = trend_points(patient_ids)
    for subject, patient_points in sorted(((subject_id(pid), pts) for pid, pts in points.items()), key=lambda t: t[0]):
        start = patient_points[0].when
        for point in patient_points:
            extra = point.extra
            yield [
                subject,
                point.label,
                point.kind,
                str((point.when - start).days),
                "yes" if point.out_of_window else "no",
                extra.get("tier") or "",
                _age(extra.get("age")),
                extra.get("sex") or "",
                *("" if point.values.get(m.key) is None else f"{point.values[m.key]:g}" for m in MEASURES),
            ]
