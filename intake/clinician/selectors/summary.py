"""The clinician summary of one intake, in the order a clinician reads it (issue #5), built from the stored summary
JSON (contract part C) and the rule definitions (intake/triage/red_flags.py). The page, the print view and the PDF
all render this one view model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from intake.models import Flag, Intake
from intake.triage.instruments import INPUT_KEYS, INSTRUMENTS, SCORE_KEYS
from intake.triage.red_flags import RULE_BY_ID
from intake.triage.schema import AURA_FIELDS, FIELD_ORDER, HA_TYPE_FIELDS, MED_KEYS
from intake.triage.sensitisation import FOOTNOTE

from .. import labels


@dataclass
class Fact:
    """One answer (or derived value) a rule read: its path, value and the patient's question and words."""

    path: str
    value: Any
    question: str = ""
    answer: str = ""


@dataclass
class FlagView:
    id: str
    title: str
    ref: str
    tier: str
    action: str
    action_label: str
    tier_class: str
    facts: list[Fact]
    sources: list[str]
    detail: dict | None
    row: Flag | None

    @property
    def anchor(self) -> str:
        return anchor(self.id)


@dataclass
class NoteView:
    id: str
    text: str
    tier: str | None
    action: str | None
    action_label: str
    facts: list[Fact]

    @property
    def anchor(self) -> str:
        return anchor(self.id)


@dataclass
class ScoreView:
    key: str
    name: str
    ref: str
    total: Any
    band: str | None
    extras: list[tuple[str, Any]]
    not_scored: str = ""

    @property
    def anchor(self) -> str:
        return anchor(f"SCORE-{self.key}")


@dataclass
class ExplainView:
    id: str
    title: str
    ref: str
    result: Any
    inputs: list[Fact]
    detail: dict
    not_interpreted: bool = False
    type_index: int | None = None
    sources: list[str] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(self.id, self.type_index)

    @property
    def detail_items(self) -> list[tuple[str, str]]:
        return [(k.replace("_", " "), labels.plain(v)) for k, v in self.detail.items()]


@dataclass
class ClearRuleView:
    """A §2 rule the engine evaluated with every answer it reads negative (the RED-FLAGS-CLEAR entry)."""

    id: str
    title: str
    ref: str
    sources: list[str]
    reads: list[Fact]


@dataclass
class ExplainGroup:
    title: str
    entries: list[ExplainView]


@dataclass
class SummaryView:
    intake: Intake
    failed: bool
    tier: str
    tier_label: str
    tier_class: str
    rules_version: str
    red_flags: list[FlagView] = field(default_factory=list)
    notes: list[NoteView] = field(default_factory=list)
    precautions: list[tuple[str, str]] = field(default_factory=list)
    back_pain: dict | None = None
    back_rows: list[tuple[str, str]] = field(default_factory=list)
    headache_status: str = ""
    headache_status_label: str = ""
    suppressed: bool = False
    suppression_message: str = ""
    suppressing_flags: list[str] = field(default_factory=list)
    phenotypes: list[dict] = field(default_factory=list)
    secondary_hints: list[dict] = field(default_factory=list)
    headache_counts: dict | None = None
    cervicogenic: bool = False
    moh: str = ""
    moh_label: str = ""
    med_overuse: bool = False
    med_days: list[tuple[str, Any]] = field(default_factory=list)
    cs_present: list[tuple[str, str]] = field(default_factory=list)
    cs_absent: list[tuple[str, str]] = field(default_factory=list)
    cs_unknown: list[tuple[str, str]] = field(default_factory=list)
    cs_pattern: str = ""
    cs_pattern_label: str = ""
    fm_2016_label: str = ""
    cs_footnote: str = FOOTNOTE
    scores: list[ScoreView] = field(default_factory=list)

    @property
    def unacknowledged(self) -> list[FlagView]:
        return [f for f in self.red_flags if f.row is not None and f.row.acknowledged_at is None]


def anchor(item_id: str, type_index: int | None = None) -> str:
    suffix = f"-{type_index}" if type_index is not None else ""
    return "explain-" + re.sub(r"[^A-Za-z0-9_-]", "_", f"{item_id}{suffix}")


# ---------------------------------------------------------------- loading
def intake_for_summary(pk: int) -> Intake:
    """The intake with everything the summary page shows, in a fixed number of queries."""
    queryset = Intake.objects.select_related(
        "patient", "patient__assignment__clinician", "review__reviewed_by"
    ).prefetch_related(Prefetch("flags", queryset=Flag.objects.select_related("acknowledged_by").order_by("id")))
    return get_object_or_404(queryset, pk=pk)


# ---------------------------------------------------------------- key order
# PostgreSQL stores JSON objects with their keys re-ordered (jsonb); show them in the contract's order again.
_ORDER = {
    "": FIELD_ORDER,
    "ha_types": tuple(f.name for f in HA_TYPE_FIELDS),
    "aura": tuple(f.name for f in AURA_FIELDS),
    "med_days": MED_KEYS,
    "instruments": INPUT_KEYS,
    "scores": SCORE_KEYS,
}


def ordered(mapping: dict, order: tuple[str, ...]) -> list[tuple[str, Any]]:
    rank = {k: i for i, k in enumerate(order)}
    return sorted(mapping.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


# ---------------------------------------------------------------- reading answers
_PART = re.compile(r"^([^\[]+)(\[(\d*)\])?$")


def read_path(answers: dict, path: str) -> Any:
    """The stored answer at a rule's read path: `age`, `instruments.phq9[8]`, `ha_types[].aura.types`."""
    values: list = [answers]
    many = False
    for part in path.split("."):
        match = _PART.match(part)
        if match is None:
            return None
        name, bracket, index = match.groups()
        nxt = []
        for value in values:
            value = value.get(name) if isinstance(value, dict) else None
            if bracket and index == "":
                many = True
                nxt.extend(value if isinstance(value, list) else [])
            elif bracket:
                i = int(index)
                nxt.append(value[i] if isinstance(value, list) and i < len(value) else None)
            else:
                nxt.append(value)
        values = nxt
    return values if many else (values[0] if values else None)


def fact(path: str, value: Any) -> Fact:
    return Fact(path=path, value=value, question=labels.question_of(path), answer=labels.answer_of(path, value))


def _facts(triggered_by: list[str]) -> list[Fact]:
    out = []
    for item in triggered_by or ():
        path, value = labels.split_fact(item)
        base = path[:-2] if path.endswith("[]") else path
        question, answer = labels.question_of(base), labels.answer_of(base, value)
        out.append(Fact(path=path, value=value, question=question, answer=answer))
    return out


def answer_rows(answers: dict, prefix: str = "") -> list[Fact]:
    """Every stored answer, flattened to paths, for the "all answers" table and manual review."""
    rows: list[Fact] = []
    section = prefix.rstrip(".").split(".")[-1].split("[")[0] if prefix else ""
    for key, value in ordered(answers or {}, _ORDER.get(section, ())):
        path = f"{prefix}{key}"
        if isinstance(value, dict) and key != "sss":
            rows += answer_rows(value, f"{path}.")
        elif key == "ha_types" and isinstance(value, list):
            for i, item in enumerate(value):
                rows += answer_rows(item if isinstance(item, dict) else {}, f"{path}[{i}].")
        else:
            rows.append(fact(path, value))
    return rows


# ---------------------------------------------------------------- the view model
def _score_view(key: str, entry: dict) -> ScoreView:
    module = INSTRUMENTS.get(key)
    shown = ("total", "band", "not_scored")
    extras = [(k.replace("_", " "), labels.plain(v)) for k, v in entry.items() if k not in shown]
    return ScoreView(
        key=key,
        name=labels.instrument_name(key),
        ref=module.REF if module is not None else "",
        total=entry.get("total"),
        band=entry.get("band"),
        extras=extras,
        not_scored=entry.get("not_scored", ""),
    )


def summary_view(intake: Intake) -> SummaryView:
    s = intake.summary or {}
    view = SummaryView(
        intake=intake,
        failed=intake.triage_failed or not s,
        tier=intake.overall_tier,
        tier_label=labels.tier_label(intake.overall_tier, intake.triage_failed or not s),
        tier_class=labels.TIER_CLASS["" if intake.triage_failed or not s else intake.overall_tier],
        rules_version=intake.rules_version,
    )
    if view.failed:
        return view
    rows = {f.flag_id: f for f in intake.flags.all()}
    for flag in s.get("red_flags", []):
        rule = RULE_BY_ID.get(flag["id"])
        view.red_flags.append(
            FlagView(
                id=flag["id"],
                title=rule.title if rule else "",
                ref=rule.ref if rule else "",
                tier=flag["tier"],
                action=flag["action"],
                action_label=str(labels.ACTION.get(flag["action"], flag["action"])),
                tier_class=labels.TIER_CLASS[labels.ACTION_TO_TIER.get(flag["action"], "ROUTINE")],
                facts=_facts(flag.get("triggered_by")),
                sources=list(flag.get("sources", [])),
                detail=flag.get("detail"),
                row=rows.get(flag["id"]),
            )
        )
    for note in s.get("notes", []):
        view.notes.append(
            NoteView(
                id=note["id"],
                text=note.get("text", ""),
                tier=note.get("tier"),
                action=note.get("action"),
                action_label=str(labels.ACTION.get(note.get("action"), "")) if note.get("action") else "",
                facts=_facts(note.get("triggered_by")),
            )
        )
    view.precautions = [(p, str(labels.PRECAUTION.get(p, p))) for p in s.get("precautions", [])]
    back = s.get("back_pain")
    if back:
        view.back_pain = back
        view.back_rows = _back_rows(back)
    status = s.get("headache_phenotype_status", "")
    view.headache_status = status
    view.headache_status_label = str(labels.HEADACHE_STATUS.get(status, status))
    view.suppressed = status == "suppressed_secondary_cause_to_exclude"
    if view.suppressed:
        view.suppression_message = str(labels.SUPPRESSION_MESSAGE)
        for entry in s.get("explain", []):
            if entry.get("id") == "HEADACHE-SUPPRESSION":
                view.suppressing_flags = list((entry.get("detail") or {}).get("flags", []))
    view.phenotypes = list(s.get("headache_phenotypes", []))
    view.secondary_hints = list(s.get("secondary_hint", []))
    view.headache_counts = s.get("headache_counts")
    view.cervicogenic = bool(s.get("cervicogenic_features_reported"))
    view.moh = s.get("moh", "")
    view.moh_label = str(labels.MOH.get(view.moh, view.moh))
    view.med_overuse = bool(s.get("acute_med_overuse_threshold_met"))
    med_days = (intake.answers or {}).get("med_days") or {}
    view.med_days = [(str(labels.MED_CLASS.get(k, k)), v) for k, v in ordered(med_days, MED_KEYS) if v]
    view.cs_present = [(f, str(labels.CS_FEATURE.get(f, f))) for f in s.get("cs_features_present", [])]
    view.cs_absent = [(f, str(labels.CS_FEATURE.get(f, f))) for f in s.get("cs_features_absent", [])]
    view.cs_unknown = [(f, str(labels.CS_FEATURE.get(f, f))) for f in s.get("cs_features_unknown", [])]
    view.cs_pattern = s.get("cs_pattern", "")
    view.cs_pattern_label = str(labels.CS_PATTERN.get(view.cs_pattern, view.cs_pattern))
    view.fm_2016_label = str(labels.FM_2016.get(s.get("fm_2016_criteria_met")))
    view.scores = [_score_view(k, v) for k, v in ordered(s.get("scores") or {}, SCORE_KEYS)]
    return view


def _back_rows(back: dict) -> list[tuple[str, str]]:
    rows = [
        ("Duration", f"{labels.BACK_DURATION.get(back.get('duration_category'), back.get('duration_category'))}, "
                     f"{back.get('duration_weeks')} weeks"),
        ("NIH chronic low back pain", "yes" if back.get("nih_chronic_lbp") else "no"),
        ("Pattern", str(labels.BACK_PATTERN.get(back.get("pattern"), back.get("pattern")))),
    ]
    if back.get("pattern_secondary"):
        rows.append(("Also", ", ".join(str(labels.BACK_PATTERN.get(p, p)) for p in back["pattern_secondary"])))
    if back.get("startback_group"):
        rows.append(("STarT Back group", f"{back['startback_group']} (total {back.get('startback_total')}, "
                                         f"psychosocial {back.get('startback_psych')})"))
    rows.append(("axSpA criteria met (NG65)", f"{back.get('axspa_criteria_count')} of 9"))
    return rows


# ---------------------------------------------------------------- explain
def _explain_title(item_id: str, type_index: int | None) -> str:
    if item_id in RULE_BY_ID:
        return RULE_BY_ID[item_id].title
    if item_id in labels.CS_FEATURE:
        return str(labels.CS_FEATURE[item_id])
    if item_id.startswith("SCORE-"):
        return labels.instrument_name(item_id[len("SCORE-"):])
    if item_id.startswith("ICHD-"):
        kind = f", headache type {type_index + 1}" if type_index is not None else ""
        return f"ICHD-3 {item_id[len('ICHD-'):]}{kind}"
    return {
        "RF-UNCLEAR": "Unclear red-flag answer",
        "CS-PATTERN": "CS pattern",
        "FM-2016": "2016 fibromyalgia criteria",
        "BACK-DURATION": "Back pain duration category",
        "BACK-NIH": "NIH chronic low back pain",
        "BACK-PATTERN": "Back pain pattern",
        "MED-THRESHOLDS": "Acute-medication thresholds",
        "HEADACHE-SUPPRESSION": "Headache phenotypes suppressed",
    }.get(item_id, item_id)


def _group_of(item_id: str) -> str:
    if item_id in RULE_BY_ID:
        return "Red flags"
    if item_id.startswith(("BACK-", "LBP-RECORD")):
        return "Back pain"
    if item_id.startswith(("ICHD-", "HEADACHE-", "HA-UNCLASSIFIED")):
        return "Headache"
    if item_id.startswith(("MED-", "MOH", "ACUTE-MED")):
        return "Medication"
    if item_id in labels.CS_FEATURE or item_id in ("CS-PATTERN", "FM-2016"):
        return "CS features"
    if item_id.startswith("SCORE-"):
        return "Scores"
    return "Notes"


GROUP_ORDER = ("Red flags", "Notes", "Back pain", "Headache", "Medication", "CS features", "Scores")


def explain_view(intake: Intake) -> tuple[list[ExplainGroup], list[ClearRuleView]]:
    """Every explain entry of the summary, grouped, plus the rules evaluated with all-negative answers, each with
    the answers it reads taken from the stored answers (the engine lists only their IDs)."""
    s = intake.summary or {}
    groups: dict[str, list[ExplainView]] = {g: [] for g in GROUP_ORDER}
    clear: list[ClearRuleView] = []
    answers = intake.answers or {}
    for entry in s.get("explain", []):
        item_id = entry.get("id", "")
        if item_id == "RED-FLAGS-CLEAR":
            for rule_id in (entry.get("detail") or {}).get("rules", []):
                rule = RULE_BY_ID.get(rule_id)
                if rule is None:
                    continue
                reads = [fact(path, read_path(answers, path)) for path in rule.reads]
                clear.append(ClearRuleView(rule.id, rule.title, rule.ref, list(rule.sources), reads))
            continue
        rule = RULE_BY_ID.get(item_id)
        type_index = entry.get("type_index")
        groups[_group_of(item_id)].append(
            ExplainView(
                id=item_id,
                title=_explain_title(item_id, type_index),
                ref=entry.get("ref", ""),
                result=entry.get("result"),
                inputs=[fact(k, v) for k, v in ordered(entry.get("inputs") or {}, rule.reads if rule else ())],
                detail=entry.get("detail") or {},
                not_interpreted=bool(entry.get("not_interpreted")),
                type_index=type_index,
                sources=list(rule.sources) if rule else [],
                reads=list(rule.reads) if rule else [],
            )
        )
    return [ExplainGroup(title, entries) for title, entries in groups.items() if entries], clear
