"""Trends per patient across the baseline intake and the check-ins, with the meaningful-change thresholds of
reference.md §6.3. The change statuses (§6.4 R1–R6) are never computed here: each point brings the ones the
follow-up engine (intake/triage/change.py, the one implementation of the change rules) gave it, as stored in the
check-in response's summary. This module only draws the §6.3 threshold relative to the baseline.

Points come from sources, like the worklist's: an object with

    points(patient_ids: list[int] | None) -> dict[int, list[TrendPoint]]    None = every patient (outcomes export)

The intake source gives one point per intake with a summary. The check-in app registers its own source
(`register_trend_source`, in its AppConfig.ready) giving one point per answered check-in, with `changes` (measure
key → the change entry of change.py), `window_days` and `out_of_window` per §6.2, and one `missed` point per
missed check-in (a gap: never imputed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse

from intake.models import Intake
from intake.triage.change import THRESHOLDS
from intake.triage.instruments import INSTRUMENTS

LOWER, HIGHER = "lower_is_better", "higher_is_better"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    lo: float
    hi: float | None  # None: scale from the data
    direction: str = LOWER
    mcid_abs: float | None = None
    mcid_pct: float | None = None
    ref: str = "§6.3"
    note: str = ""
    unverified: bool = False
    abs_baseline: tuple[float, float] | None = None  # MIDAS: the points threshold applies to baselines 11–20
    pct_baseline_above: float | None = None  # MIDAS: the relative threshold applies to baselines above 20

    def thresholds(self, baseline: float) -> tuple[float | None, float | None]:
        """(absolute, relative) thresholds that apply to this baseline (§6.3)."""
        abs_, pct = self.mcid_abs, self.mcid_pct
        if self.abs_baseline is not None and not self.abs_baseline[0] <= baseline <= self.abs_baseline[1]:
            abs_ = None
        if self.pct_baseline_above is not None and baseline <= self.pct_baseline_above:
            pct = None
        return abs_, pct

    @property
    def threshold_text(self) -> str:
        if self.mcid_abs is None and self.mcid_pct is None:
            return self.note or "No meaningful-change threshold established"
        way = "increase" if self.direction == HIGHER else "reduction"
        parts = []
        if self.mcid_abs is not None:
            parts.append(f"{self.mcid_abs:g} points")
        if self.mcid_pct is not None:
            parts.append(f"{self.mcid_pct:g} %")
        text = f"Meaningful improvement: a {way} of at least {' or '.join(parts)} ({self.ref})"
        if self.unverified:
            text += "; threshold unverified"
        return text


def _from_instrument(key: str, label: str, lo: float, hi: float | None, **extra) -> Measure:
    mcid = INSTRUMENTS[key].MCID or {}
    return Measure(
        key=key,
        label=label,
        lo=lo,
        hi=hi,
        direction=mcid.get("direction", LOWER),
        mcid_abs=mcid.get("abs"),
        mcid_pct=mcid.get("pct"),
        unverified=bool(mcid.get("unverified")),
        abs_baseline=mcid.get("abs_baseline"),
        pct_baseline_above=mcid.get("pct_baseline_above"),
        **extra,
    )


MEASURES: tuple[Measure, ...] = (
    _from_instrument("nprs_back", "Back pain intensity (NPRS 0–10)", 0, 10),
    _from_instrument("nprs_head", "Headache intensity (NPRS 0–10)", 0, 10),
    # §6.3: ≥50 % reduction; §6.4 R6: intake "per month" read as per 28 days, baseline ≥4, window ≥28 days.
    Measure(
        "headache_days", "Headache days per 28 days", 0, 28, mcid_pct=float(THRESHOLDS["headache_days_pct"]),
        ref="§6.3, §6.4 R6",
        note="Compared only on 28-day windows (6 weeks on) and a baseline of at least "
        f"{THRESHOLDS['headache_days_min_baseline']} days per month (§6.4 R6)",
    ),
    Measure(
        "medication_days", "Acute-medication days per 28 days", 0, 28,
        note="Any acute medicine. No meaningful-change threshold (§6.3); §6.4 R11 watches the MOH-risk levels of "
        "§4.7 per class",
    ),
    _from_instrument("rmdq", "Roland-Morris Disability Questionnaire (RMDQ 0–24)", 0, 24),
    _from_instrument("odi", "Oswestry Disability Index (ODI %)", 0, 100),
    _from_instrument("ndi", "Neck Disability Index (NDI raw 0–50)", 0, 50),
    _from_instrument("hit6", "Headache Impact Test (HIT-6, 36–78)", 36, 78),
    _from_instrument("midas", "Migraine Disability Assessment (MIDAS)", 0, None,
                     note="3-month recall: compare baseline with week 12 only"),
    _from_instrument("psfs", "Patient-Specific Functional Scale (PSFS 0–10, higher is better)", 0, 10),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}

# Display words for the statuses of intake/triage/change.py (STATUSES) and the page's own three.
STATUS_LABEL = {
    "baseline": "Baseline",
    "improved_meaningful": "Meaningful improvement",
    "improved_relative_only": "Improved (relative change only)",
    "worse_meaningful": "Meaningfully worse",
    "no_meaningful_change": "No meaningful change",
    "not_assessable_floor": "Not assessable (baseline too low)",
    "not_assessable_window": "Not compared (window under 28 days)",
    "not_comparable": "Not comparable",
    "no_mcid": "No threshold",
    "out_of_window": "Not compared (answered outside its window)",
    "missed": "Missed: no data (not imputed)",
    "summary_failed": "Not compared (follow-up summary failed)",
    "later_intake": "Not compared (a later intake, not a check-in)",
}
# Short labels drawn next to each point of a chart.
STATUS_SHORT = {
    "improved_meaningful": "improved",
    "improved_relative_only": "improved (rel.)",
    "worse_meaningful": "worse",
    "no_meaningful_change": "no change",
    "not_assessable_floor": "n/a",
    "not_assessable_window": "not compared",
    "not_comparable": "n/a",
    "no_mcid": "",
    "out_of_window": "out of window",
    "summary_failed": "not compared",
    "later_intake": "",
}


@dataclass
class TrendPoint:
    when: datetime
    label: str
    kind: str  # "intake" | "checkin"
    values: dict[str, float | None]
    window_days: int | None = None
    out_of_window: bool = False
    url: str = ""
    extra: dict = field(default_factory=dict)  # export-only columns (tier, age, sex)
    # measure key → {"status", "delta", "pct", "reason", "detail"} as given by intake/triage/change.py
    changes: dict[str, dict] = field(default_factory=dict)
    missed: bool = False  # a missed check-in: no values, shown as a gap
    default_status: str = "not_comparable"  # for a measure without an entry in `changes`


@dataclass
class TrendRow:
    point: TrendPoint
    value: float | None
    days: int
    delta: float | None
    pct: float | None
    status: str
    reason: str = ""
    detail: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABEL.get(self.status, self.status)

    @property
    def status_short(self) -> str:
        return STATUS_SHORT.get(self.status, "")


@dataclass
class MeasureTrend:
    measure: Measure
    rows: list[TrendRow]
    baseline: float | None
    threshold: float | None  # the value a follow-up must reach for a meaningful improvement

    @property
    def follow_ups(self) -> int:
        return sum(1 for r in self.rows[1:] if r.value is not None)

    @property
    def worse_threshold(self) -> float | None:
        """The value at which a follow-up is meaningfully worse (R4: symmetric), the other edge of the band."""
        if self.baseline is None or self.threshold is None:
            return None
        return 2 * self.baseline - self.threshold


# ---------------------------------------------------------------- the §6.3 threshold line
def improvement_threshold(measure: Measure, baseline: float | None) -> float | None:
    """The value a follow-up must reach for a meaningful improvement (the dashed line of the chart)."""
    if baseline is None:
        return None
    mcid_abs, mcid_pct = measure.thresholds(baseline)
    if mcid_abs is not None:
        return baseline + mcid_abs if measure.direction == HIGHER else baseline - mcid_abs
    if mcid_pct is not None:
        return baseline * (1 - mcid_pct / 100)
    return None


# ---------------------------------------------------------------- sources
_SCORE_FIELDS = {
    "nprs_back": "summary__scores__nprs_back__total",
    "nprs_head": "summary__scores__nprs_head__total",
    "headache_days": "summary__headache_counts__headache_days_per_month",
    "medication_days": "answers__med_days__any_acute",
    "rmdq": "summary__scores__rmdq__total",
    "odi": "summary__scores__odi__total",
    "ndi": "summary__scores__ndi__total",
    "hit6": "summary__scores__hit6__total",
    "midas": "summary__scores__midas__total",
    "psfs": "summary__scores__psfs__total",
}


class IntakeTrendSource:
    """One point per intake with a summary. Only the few JSON values needed are read, never whole summaries."""

    kind = "intake"

    def points(self, patient_ids: list[int] | None) -> dict[int, list[TrendPoint]]:
        qs = Intake.objects.filter(triage_status=Intake.TriageStatus.OK)
        if patient_ids is not None:
            qs = qs.filter(patient_id__in=patient_ids)
        columns = ["pk", "patient_id", "submitted_at", "overall_tier", "answers__age", "answers__sex"]
        out: dict[int, list[TrendPoint]] = {}
        for row in qs.order_by("submitted_at", "pk").values(*columns, *_SCORE_FIELDS.values()).iterator(2000):
            values = {key: _number(row[name]) for key, name in _SCORE_FIELDS.items()}
            out.setdefault(row["patient_id"], []).append(
                TrendPoint(
                    when=row["submitted_at"],
                    label="Intake",
                    kind=self.kind,
                    values=values,
                    window_days=28,  # the intake's "per month" is read as per 28 days (§6.4 R6)
                    url=reverse("clinician:intake_summary", args=[row["pk"]]),
                    extra={"tier": row["overall_tier"], "age": row["answers__age"], "sex": row["answers__sex"]},
                )
            )
        return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    return value if isinstance(value, int | float) else None


TREND_SOURCES: list = [IntakeTrendSource()]


def register_trend_source(source) -> None:
    if all(s.kind != source.kind for s in TREND_SOURCES):
        TREND_SOURCES.append(source)


def trend_points(patient_ids: list[int] | None) -> dict[int, list[TrendPoint]]:
    """Every source's points per patient, oldest first; the first intake is the baseline."""
    merged: dict[int, list[TrendPoint]] = {}
    for source in TREND_SOURCES:
        for patient_id, points in source.points(patient_ids).items():
            merged.setdefault(patient_id, []).extend(points)
    for points in merged.values():
        points.sort(key=lambda p: (p.when, p.kind != "intake"))
        if points:
            points[0].label = "Baseline intake" if points[0].kind == "intake" else points[0].label
        for p in points[1:]:
            if p.kind == "intake":
                p.default_status = "later_intake"  # §6.4 compares check-ins with their baseline intake only
    return merged


def measure_trends(points: list[TrendPoint]) -> list[MeasureTrend]:
    """One trend per measure that has any value. Each follow-up row carries the status change.py gave its point
    (never recomputed here); a missed check-in is a row without a value (a gap in the chart)."""
    trends = []
    start = points[0].when if points else None
    for measure in MEASURES:
        if all(p.values.get(measure.key) is None for p in points):
            continue
        baseline = next((p.values.get(measure.key) for p in points if p.values.get(measure.key) is not None), None)
        rows, seen_baseline = [], False
        for p in points:
            value = p.values.get(measure.key)
            days = (p.when - start).days if start else 0
            if p.missed:
                if seen_baseline:
                    rows.append(TrendRow(p, None, days, None, None, "missed"))
                continue
            if value is None:
                continue
            if not seen_baseline:
                rows.append(TrendRow(p, value, days, None, None, "baseline"))
                seen_baseline = True
                continue
            change = p.changes.get(measure.key) or {}
            rows.append(
                TrendRow(
                    p, value, days, change.get("delta"), change.get("pct"), change.get("status") or p.default_status,
                    reason=change.get("reason") or "", detail=change.get("detail") or "",
                )
            )
        trends.append(MeasureTrend(measure, rows, baseline, improvement_threshold(measure, baseline)))
    return trends


def patient_trends(patient_id: int) -> tuple[list[TrendPoint], list[MeasureTrend]]:
    points = trend_points([patient_id]).get(patient_id, [])
    return points, measure_trends(points)
