"""Trends per patient across the baseline intake and the check-ins, with the meaningful-change thresholds of
reference.md §6.3 and the change rules of §6.4 (R2–R6).

Points come from sources, like the worklist's: an object with

    points(patient_ids: list[int] | None) -> dict[int, list[TrendPoint]]    None = every patient (outcomes export)

The intake source gives one point per intake with a summary. The check-in app registers its own source
(`register_trend_source`, in its AppConfig.ready) giving one point per check-in response, with `window_days` set
to the recall window of its day counts and `out_of_window` per §6.2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse

from intake.models import Intake
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
    floor: float | None = None  # R5: below this baseline, not assessable
    min_baseline: float | None = None  # R6: headache days
    min_window_days: int | None = None  # R6: the ≥50 % rule needs a ≥28-day window
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
        "headache_days", "Headache days per 28 days", 0, 28, mcid_pct=50, ref="§6.3, §6.4 R6", min_baseline=4,
        min_window_days=28,
    ),
    Measure(
        "medication_days", "Acute-medication days per 28 days", 0, 28,
        note="No meaningful-change threshold (§6.3); §6.4 R11 watches the MOH-risk levels of §4.7",
    ),
    _from_instrument("rmdq", "Roland-Morris Disability Questionnaire (RMDQ 0–24)", 0, 24, floor=4),
    _from_instrument("odi", "Oswestry Disability Index (ODI %)", 0, 100),
    _from_instrument("ndi", "Neck Disability Index (NDI raw 0–50)", 0, 50),
    _from_instrument("hit6", "Headache Impact Test (HIT-6, 36–78)", 36, 78),
    _from_instrument("midas", "Migraine Disability Assessment (MIDAS)", 0, None,
                     note="3-month recall: compare baseline with week 12 only"),
    _from_instrument("psfs", "Patient-Specific Functional Scale (PSFS 0–10, higher is better)", 0, 10),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}

STATUS_LABEL = {
    "baseline": "Baseline",
    "improved_meaningful": "Meaningful improvement",
    "improved_relative_only": "Improved (relative change only)",
    "worse_meaningful": "Meaningfully worse",
    "no_meaningful_change": "No meaningful change",
    "not_assessable_floor": "Not assessable (baseline too low)",
    "window_too_short": "Not compared (window under 28 days)",
    "out_of_window": "Not compared (answered outside its window)",
    "no_threshold": "No threshold",
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


@dataclass
class TrendRow:
    point: TrendPoint
    value: float | None
    days: int
    delta: float | None
    pct: float | None
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABEL.get(self.status, self.status)


@dataclass
class MeasureTrend:
    measure: Measure
    rows: list[TrendRow]
    baseline: float | None
    threshold: float | None  # the value a follow-up must reach for a meaningful improvement

    @property
    def follow_ups(self) -> int:
        return sum(1 for r in self.rows[1:] if r.value is not None)


# ---------------------------------------------------------------- change rules (§6.4 R2–R6)
def change_status(measure: Measure, baseline: float, value: float, *, window_days: int | None = None,
                  out_of_window: bool = False) -> tuple[str, float, float | None]:
    """(status, delta, pct): R2 signed change (positive = better), R3 relative change, R4 status, R5 floor, R6."""
    delta = value - baseline if measure.direction == HIGHER else baseline - value
    pct = 100 * delta / baseline if baseline else None
    if out_of_window:
        return "out_of_window", delta, pct
    if measure.mcid_abs is None and measure.mcid_pct is None:
        return "no_threshold", delta, pct
    if measure.min_window_days is not None and (window_days or 0) < measure.min_window_days:
        return "window_too_short", delta, pct
    if measure.min_baseline is not None and baseline < measure.min_baseline:
        return "not_assessable_floor", delta, pct
    mcid_abs, mcid_pct = measure.thresholds(baseline)
    if mcid_abs is None and mcid_pct is None:
        return "not_assessable_floor", delta, pct  # MIDAS baseline of 10 or less: no threshold applies
    if measure.direction == LOWER and (
        (mcid_abs is not None and baseline < mcid_abs) or (measure.floor is not None and baseline < measure.floor)
    ):
        return "not_assessable_floor", delta, pct
    if mcid_abs is not None and delta >= mcid_abs:
        return "improved_meaningful", delta, pct
    if mcid_pct is not None and pct is not None and pct >= mcid_pct:
        return ("improved_relative_only" if mcid_abs is not None else "improved_meaningful"), delta, pct
    # PRODUCT RULE (R4): worsening uses the same threshold.
    if mcid_abs is not None and -delta >= mcid_abs:
        return "worse_meaningful", delta, pct
    if mcid_abs is None and pct is not None and -pct >= mcid_pct:
        return "worse_meaningful", delta, pct
    return "no_meaningful_change", delta, pct


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
    return merged


def measure_trends(points: list[TrendPoint]) -> list[MeasureTrend]:
    """One trend per measure that has any value, with each point's change from the baseline."""
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
            if value is None:
                continue
            if not seen_baseline:
                rows.append(TrendRow(p, value, days, None, None, "baseline"))
                seen_baseline = True
                continue
            status, delta, pct = change_status(
                measure, baseline, value, window_days=p.window_days, out_of_window=p.out_of_window
            )
            rows.append(TrendRow(p, value, days, delta, pct, status))
        trends.append(MeasureTrend(measure, rows, baseline, improvement_threshold(measure, baseline)))
    return trends


def patient_trends(patient_id: int) -> tuple[list[TrendPoint], list[MeasureTrend]]:
    points = trend_points([patient_id]).get(patient_id, [])
    return points, measure_trends(points)
