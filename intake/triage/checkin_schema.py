"""Input validation of the follow-up contract (docs/checkin-contract.md part B): the baseline, the check-ins so far
and each check-in's answers (reference.md §6.1 items, asked by time point and by what the baseline reported).

This table is the one place that says which check-in questions exist and when they are asked; the check-in form
(`intake/checkins/forms.py`) reads it. Red-flag re-screen fields (§6.1 item 7) reuse the field names and value
domains of the triage contract part B unchanged (`schema.FIELD_BY_NAME`), so §2 rules run on them unchanged (§6.4
R8). Pure Python, no Django, no clock: dates come in the input.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from .errors import FieldError
from .instruments import INSTRUMENTS, validate_instruments
from .instruments._common import describe
from .schema import (
    ALWAYS,
    CAD_ITEMS,
    FIELD_BY_NAME,
    MED_CLASSES,
    OPTIONAL,
    RF,
    YN,
    Condition,
    Field,
    check_value,
    validate,
)
from .util import is_int

CONTRACT_VERSION = "1"

# §6.2 schedule (PRODUCT RULE): target day and window in days after the baseline intake; item 3's recall window
# (14 days at 2 weeks, 28 at 6 and 12 weeks; the optional 26- and 52-week check-ins ask "as at 12 weeks").
TIME_POINTS: dict[str, dict] = {
    "week2": {"order": 1, "weeks": 2, "target_day": 14, "from_day": 12, "to_day": 18, "window_days": 14},
    "week6": {"order": 2, "weeks": 6, "target_day": 42, "from_day": 38, "to_day": 49, "window_days": 28},
    "week12": {"order": 3, "weeks": 12, "target_day": 84, "from_day": 77, "to_day": 98, "window_days": 28},
    "week26": {"order": 4, "weeks": 26, "target_day": 182, "from_day": 168, "to_day": 196, "window_days": 28},
    "week52": {"order": 5, "weeks": 52, "target_day": 364, "from_day": 350, "to_day": 378, "window_days": 28},
}
OPTIONAL_TIME_POINTS = ("week26", "week52")  # §6.2: optional, per clinic setting
# §6.2: the 6-week and later check-ins add PHQ-4 (item 9) and the extra instruments.
EXTENDED_FROM_WEEK = 6

# The codes accepted for the "phenotype" gate of item 4 (§6.1: "Migraine phenotype at baseline").
MIGRAINE_CODES = frozenset({"1.1", "1.2", "1.3", "1.5"})

# Fields the re-screen carries over from the baseline: the presence gates and the history and context answers the
# §2 triggers combine with a new symptom (cancer history + new neurological symptom = LBP-MSCC, §2.2; blood
# thinners for HA-TRAUMA; the established typical aura of E.4). Nothing else of the baseline is re-used, so a
# baseline answer can never fire a flag again on its own.
CARRIED_FROM_BASELINE = (
    "age",
    "sex",
    "has_back_pain",
    "has_headache",
    "neck_pain",
    "leg_pain",
    "cancer_history",
    "immunosuppressed",
    "thoracic_pain",
    "night_pain_unrelenting",
    "anticoagulant",
    "typical_aura",
    "ha_types",
)

# POST-TX-NEURO (§2.4, at follow-up): the 5D3N items plus ataxia and eyelid droop (read from the CAD item fields of
# contract B.5), nausea only alongside another item, and a new severe headache.
POST_TX_ITEMS = tuple(i for i in CAD_ITEMS if i != "pulsatile_tinnitus")
POST_TX_EXTRA = ("post_tx_severe_headache",)
POST_TX_NAUSEA = "post_tx_nausea"

PROCEDURE_TYPES = FIELD_BY_NAME["procedure_type"].values
ONSET_TO_PEAK = (*FIELD_BY_NAME["onset_to_peak"].values, "no_headache")


# ---------------------------------------------------------------- the view the conditions read
def _yes(name: str) -> Callable[[dict], bool]:
    return lambda v: v.get(name) == "yes"


def _gate(*names: str) -> Callable[[dict], bool]:
    return lambda v: any(v.get(n) == "yes" for n in names)


BACK = Condition("baseline has_back_pain = yes", _gate("has_back_pain"))
BACK_OR_LEG = Condition("baseline has_back_pain = yes OR leg_pain = yes", _gate("has_back_pain", "leg_pain"))
HEADACHE = Condition("baseline has_headache = yes", _gate("has_headache"))
MIGRAINE = Condition("migraine phenotype at baseline", lambda v: v.get("_migraine") is True)
NECK_OR_HEADACHE = Condition("baseline neck_pain = yes OR has_headache = yes", _gate("neck_pain", "has_headache"))
CAD_SCOPE = Condition(
    "baseline neck_pain = yes OR has_headache = yes OR neck_treatment_since_last = yes",
    _gate("neck_pain", "has_headache", "neck_treatment_since_last"),
)
CAD_WITHIN_14 = Condition(
    "(baseline neck_pain = yes OR has_headache = yes) AND any CAD item is yes",
    lambda v: NECK_OR_HEADACHE(v) and any(v.get(f) == "yes" for f in CAD_ITEMS),
)
WEAKNESS = Condition("leg_weakness_new = yes", _yes("leg_weakness_new"))
FEVER = Condition("baseline has_headache = yes AND fever = yes", lambda v: HEADACHE(v) and v.get("fever") == "yes")
HEAD_TRAUMA = Condition(
    "baseline has_headache = yes AND head_neck_trauma = yes",
    lambda v: HEADACHE(v) and v.get("head_neck_trauma") == "yes",
)
CONFUSION = Condition("fever = yes OR head_neck_trauma = yes (headache)", lambda v: FEVER(v) or HEAD_TRAUMA(v))
PREGNANT = Condition("pregnant = yes", _yes("pregnant"))
PREG_OR_POSTPARTUM = Condition(
    "pregnant = yes OR postpartum_weeks <= 6",
    lambda v: v.get("pregnant") == "yes" or (is_int(v.get("postpartum_weeks")) and v["postpartum_weeks"] <= 6),
)
NECK_TX = Condition("neck_treatment_since_last = yes", _yes("neck_treatment_since_last"))
POST_TX_ANY = Condition(
    "neck_treatment_since_last = yes AND any POST-TX-NEURO item is yes",
    lambda v: NECK_TX(v) and any(v.get(f) == "yes" for f in (*POST_TX_ITEMS, *POST_TX_EXTRA, POST_TX_NAUSEA)),
)
INJURY = Condition("new_event_injury = yes", _yes("new_event_injury"))
INJURY_BACK = Condition("new_event_injury = yes AND baseline has_back_pain = yes", lambda v: INJURY(v) and BACK(v))
INJURY_HEAD = Condition("new_event_injury = yes AND baseline has_headache = yes", lambda v: INJURY(v) and HEADACHE(v))
MAJOR_TRAUMA = Condition("major_trauma = yes", _yes("major_trauma"))
HEAD_NECK_TRAUMA = Condition("head_neck_trauma = yes", _yes("head_neck_trauma"))
PROCEDURE = Condition("new_event_procedure = yes", _yes("new_event_procedure"))
PROCEDURE_HEAD = Condition(
    "new_event_procedure = yes AND baseline has_headache = yes", lambda v: PROCEDURE(v) and HEADACHE(v)
)
PROCEDURE_BACK = Condition(
    "new_event_procedure = yes AND baseline has_back_pain = yes", lambda v: PROCEDURE(v) and BACK(v)
)
DURAL = Condition("dural_puncture_procedure = yes", _yes("dural_puncture_procedure"))
DIAGNOSIS = Condition("new_event_diagnosis = yes", _yes("new_event_diagnosis"))
EXTENDED = Condition("time point 6 weeks or later", lambda v: v.get("_weeks", 0) >= EXTENDED_FROM_WEEK)


def _b(name: str, required, **changes) -> Field:
    """A part-B field reused unchanged (name and values), asked under the check-in's own condition."""
    return dataclasses.replace(FIELD_BY_NAME[name], required=required, section="6.1-7", **changes)


def _rf(name: str, required, section: str) -> Field:
    return Field(name, "enum", required, RF, section=section, rf=True)


def _yn(name: str, required, section: str) -> Field:
    return Field(name, "enum", required, YN, section=section)


# ---------------------------------------------------------------- the field table (check-in answers), §6.1 order
FIELDS: tuple[Field, ...] = (
    # items 1-6
    Field("nprs_back", "int", BACK, lo=0, hi=10, section="6.1-1"),
    Field("nprs_head", "enum_or_int", HEADACHE, ("no_headaches",), lo=0, hi=10, section="6.1-2"),
    Field("ha_days_window", "int", HEADACHE, lo=0, hi=None, section="6.1-3"),
    Field("migraine_days_window", "int", MIGRAINE, lo=0, hi=None, section="6.1-4"),
    Field("med_days_window", "object", ALWAYS, section="6.1-5"),
    Field("pgic", "int", ALWAYS, lo=1, hi=7, section="6.1-6"),
    # item 7: the red-flag re-screen, part-B names and values
    *(
        _b(n, BACK_OR_LEG)
        for n in (
            "ces_saddle_numbness",
            "ces_urinary_difficulty",
            "ces_urinary_incontinence",
            "ces_bowel_dysfunction",
            "ces_sexual_dysfunction",
            "leg_pain_below_knee",
        )
    ),
    _b("leg_weakness_new", BACK),
    _b("leg_weakness_progressing", WEAKNESS),
    _b("fever_recent", BACK),
    _b("unexplained_weight_loss", BACK),
    _b("onset_to_peak", HEADACHE, values=ONSET_TO_PEAK),
    *(
        _b(n, HEADACHE)
        for n in (
            "hemi_weakness_new",
            "hemi_numbness_new",
            "speech_difficulty_new",
            "facial_droop_new",
            "vision_loss_new",
            "seizure_new",
            "faint_new",
            "fever",
        )
    ),
    _b("neck_stiffness", FEVER),
    _b("confusion_drowsy", CONFUSION),
    _b("non_blanching_rash", FEVER),
    *(_b(n, HEADACHE) for n in ("new_headache", "pattern_change_3mo", "progressive", "orthostatic", "pregnant")),
    _b("gestation_weeks", PREGNANT),
    _b("postpartum_weeks", HEADACHE),
    _b("preeclampsia_symptoms", PREG_OR_POSTPARTUM),
    _yn("neck_treatment_since_last", ALWAYS, "6.1-7"),
    *(_b(n, CAD_SCOPE) for n in CAD_ITEMS),
    _b("neuro_symptoms_within_14_days", CAD_WITHIN_14),
    _rf("post_tx_severe_headache", NECK_TX, "6.1-7"),
    _rf(POST_TX_NAUSEA, NECK_TX, "6.1-7"),
    _rf("post_tx_within_7_days", POST_TX_ANY, "6.1-7"),
    # item 8: new events since the last check-in; the details are part-B fields
    _yn("new_event_injury", ALWAYS, "6.1-8"),
    _b("major_trauma", INJURY_BACK),
    _b("major_trauma_days", MAJOR_TRAUMA),
    _b("head_neck_trauma", INJURY_HEAD),
    _b("neck_trauma_days", HEAD_NECK_TRAUMA),
    _b("vomiting", HEAD_TRAUMA),
    _b("loc", HEAD_TRAUMA),
    _yn("new_event_procedure", ALWAYS, "6.1-8"),
    _b("procedure_type", PROCEDURE),
    Field("procedure_days_ago", "number", PROCEDURE, lo=0, hi=36500, section="6.1-8"),
    _b("dural_puncture_procedure", PROCEDURE_HEAD),
    _b("procedure_to_headache_onset_days", DURAL),
    _b("pdph_no_longer_positional", DURAL),
    _b("recent_spinal_procedure", PROCEDURE_BACK),
    _b("back_pain_new_or_changed", PROCEDURE_BACK),
    _yn("new_event_diagnosis", ALWAYS, "6.1-8"),
    Field("new_event_diagnosis_text", "text", DIAGNOSIS, hi=2000, section="6.1-8"),
    # items 9-10
    Field("instruments", "object", OPTIONAL, section="6.1-9"),
    Field("free_text", "text", OPTIONAL, hi=5000, section="6.1-10"),
)
FIELD_BY_KEY = {f.name: f for f in FIELDS}
RF_FIELDS = tuple(f.name for f in FIELDS if f.rf)
# §6.1 item 7 and the part-B details of item 8: the answers the §2 rules read at follow-up (R8).
RESCREEN_FIELDS = tuple(f.name for f in FIELDS if f.section == "6.1-7" or f.name in FIELD_BY_NAME)
MED_KEYS = (*MED_CLASSES, "any_acute", "nonopioid_any")


# ---------------------------------------------------------------- helpers
def parse_date(value, path: str, errors: list[FieldError]) -> date | None:
    if not isinstance(value, str):
        errors.append(FieldError(path, "wrong_type", f"expected a date YYYY-MM-DD, got {describe(value)}"))
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(path, "not_allowed_value", f"{value!r} is not a date YYYY-MM-DD"))
        return None


def is_migraine_baseline(summary: dict) -> bool:
    """§6.1 item 4 "migraine phenotype at baseline": a 1.x label, or migraine days derived at baseline (E.8)."""
    if any(p["code"] in MIGRAINE_CODES for p in summary.get("headache_phenotypes", ())):
        return True
    counts = summary.get("headache_counts") or {}
    return (counts.get("migraine_days_per_month") or 0) >= 1


def baseline_view(baseline: dict, summary: dict, time_point: str) -> dict:
    """What the conditions read besides the answers: the baseline gates and the time point."""
    view = {k: baseline.get(k) for k in ("has_back_pain", "has_headache", "neck_pain", "leg_pain", "sex", "age")}
    view["_migraine"] = baseline.get("has_headache") == "yes" and is_migraine_baseline(summary)
    view["_weeks"] = TIME_POINTS[time_point]["weeks"]
    view["_window_days"] = TIME_POINTS[time_point]["window_days"]
    return view


def _check_text(spec: Field, value, path: str, errors: list[FieldError]):
    if not isinstance(value, str):
        errors.append(FieldError(path, "wrong_type", f"expected text, got {describe(value)}"))
        return False, None
    if spec.hi is not None and len(value) > spec.hi:
        errors.append(FieldError(path, "out_of_range", f"at most {spec.hi} characters, got {len(value)}"))
        return False, None
    if spec.required is not OPTIONAL and not value.strip():
        errors.append(FieldError(path, "required", "must not be blank"))
        return False, None
    return True, value


def _check_scalar(spec: Field, value, path: str, view: dict, errors: list[FieldError]):
    if spec.kind == "text":
        return _check_text(spec, value, path, errors)
    if spec.kind == "enum_or_int":
        if isinstance(value, str):
            return check_value(dataclasses.replace(spec, kind="enum"), value, path, errors)
        return check_value(dataclasses.replace(spec, kind="int"), value, path, errors)
    if spec.name in ("ha_days_window", "migraine_days_window"):
        spec = dataclasses.replace(spec, hi=view["_window_days"])
    return check_value(spec, value, path, errors)


def _check_med_window(value, path: str, window_days: int, errors: list[FieldError]):
    """Item 5: days in the recall window with each class (contract B.12 classes), `"not_sure"` allowed per class."""
    if not isinstance(value, dict):
        errors.append(FieldError(path, "wrong_type", f"expected an object of day counts, got {describe(value)}"))
        return False, None
    n = len(errors)
    clean: dict = {}
    for key, v in value.items():
        kpath = f"{path}.{key}"
        if key not in MED_KEYS:
            errors.append(FieldError(kpath, "unknown_field", f"{key!r} is not a medicine class"))
        elif v == "not_sure" and key in MED_CLASSES:
            clean[key] = v
        elif v is None:
            errors.append(FieldError(kpath, "required", "enter the number of days (0 when none)"))
        elif not is_int(v):
            problem = "not_allowed_value" if isinstance(v, str) else "wrong_type"
            errors.append(FieldError(kpath, problem, f"expected a whole number of days 0–{window_days}"))
        elif not 0 <= v <= window_days:
            errors.append(FieldError(kpath, "out_of_range", f"{v} is outside 0–{window_days} (the recall window)"))
        else:
            clean[key] = int(v)
    for key in (*MED_CLASSES, "any_acute"):
        if key not in value:
            errors.append(FieldError(f"{path}.{key}", "required", "required (0 when none)"))
    if "any_acute" in clean:
        for key in MED_CLASSES:
            if is_int(clean.get(key)) and clean[key] > clean["any_acute"]:
                errors.append(FieldError(f"{path}.{key}", "inconsistent", "more days than any_acute"))
        if "nonopioid_any" in clean:
            par, nsaid = clean.get("paracetamol"), clean.get("nsaid_aspirin")
            if is_int(par) and is_int(nsaid) and not max(par, nsaid) <= clean["nonopioid_any"] <= par + nsaid:
                errors.append(
                    FieldError(f"{path}.nonopioid_any", "inconsistent", "not possible given paracetamol and NSAID days")
                )
            if clean["nonopioid_any"] > clean["any_acute"]:
                errors.append(FieldError(f"{path}.nonopioid_any", "inconsistent", "more days than any_acute"))
    return len(errors) == n, clean


def _check_instruments(value, path: str, errors: list[FieldError]):
    inst_errors = validate_instruments(value, path)
    if inst_errors:
        errors.extend(inst_errors)
        return False, None
    return True, value


def _instrument_requirements(clean: dict, view: dict, path: str, errors: list[FieldError]) -> None:
    """§6.1 item 9: PHQ-4 at 6 weeks and later; either subscale ≥3 cascades to PHQ-9 and GAD-7 [AWELL-PHQ4]."""
    if not EXTENDED(view):
        return
    inst = clean.get("instruments")
    if inst is None:
        errors.append(FieldError(f"{path}.instruments", "required", "required at 6 weeks and later (PHQ-4)"))
        return
    if "phq4" not in inst:
        errors.append(FieldError(f"{path}.instruments.phq4", "required", "required at 6 weeks and later"))
        return
    phq4 = INSTRUMENTS["phq4"].score(inst["phq4"])
    if phq4["anxiety_positive"] or phq4["depression_positive"]:
        for key in ("phq9", "gad7"):
            if key not in inst:
                errors.append(
                    FieldError(f"{path}.instruments.{key}", "required", "required when a PHQ-4 subscale is 3 or more")
                )


def _consistency(clean: dict, path: str, errors: list[FieldError]) -> None:
    ha, mig = clean.get("ha_days_window"), clean.get("migraine_days_window")
    if ha is not None and mig is not None and mig > ha:
        errors.append(FieldError(f"{path}.migraine_days_window", "inconsistent", "more than ha_days_window"))
    onset, ago = clean.get("procedure_to_headache_onset_days"), clean.get("procedure_days_ago")
    if onset is not None and ago is not None and onset > ago:
        errors.append(
            FieldError(f"{path}.procedure_to_headache_onset_days", "inconsistent", "more than procedure_days_ago")
        )


def validate_answers(raw, path: str, view: dict) -> tuple[dict, list[FieldError]]:
    """Validate one check-in's answers against the field table, for this baseline and time point."""
    errors: list[FieldError] = []
    if not isinstance(raw, dict):
        errors.append(FieldError(path, "wrong_type", f"the answers must be an object, got {describe(raw)}"))
        return {}, errors
    clean: dict = {}
    for key, value in raw.items():
        kpath = f"{path}.{key}"
        spec = FIELD_BY_KEY.get(key)
        if spec is None:
            errors.append(FieldError(kpath, "unknown_field", f"{key!r} is not a field of a check-in"))
            continue
        if key == "med_days_window":
            ok, norm = _check_med_window(value, kpath, view["_window_days"], errors)
        elif key == "instruments":
            ok, norm = _check_instruments(value, kpath, errors)
        else:
            ok, norm = _check_scalar(spec, value, kpath, view, errors)
        if ok:
            clean[key] = norm
    merged = {**view, **clean}
    for spec in FIELDS:
        if spec.name in raw:
            continue
        needed = spec.required is ALWAYS or (isinstance(spec.required, Condition) and spec.required(merged))
        if needed:
            why = "required" if spec.required is ALWAYS else f"required when {spec.required.text}"
            errors.append(FieldError(f"{path}.{spec.name}", "required", why))
    _instrument_requirements(clean, view, path, errors)
    _consistency(clean, path, errors)
    return clean, errors


def required_fields(view: dict, answers: dict) -> list[str]:
    """The fields this check-in asks, given the answers so far (the form uses this for its branching)."""
    merged = {**view, **answers}
    return [
        f.name for f in FIELDS if f.required is ALWAYS or (isinstance(f.required, Condition) and f.required(merged))
    ]


# ---------------------------------------------------------------- the whole input document
TOP_KEYS = ("contract_version", "baseline", "rules_version", "baseline_date", "checkins")
CHECKIN_KEYS = ("time_point", "status", "answered_on", "answers")


def validate_document(raw, evaluate_baseline: Callable[[dict], dict]) -> tuple[dict, list[FieldError]]:
    """Validate the follow-up input (contract part B). Returns (clean document, errors).

    `evaluate_baseline` is the triage engine (passed in to avoid an import cycle); the baseline's own summary
    decides which items are asked (migraine phenotype, item 4).
    """
    errors: list[FieldError] = []
    if not isinstance(raw, dict):
        return {}, [FieldError("", "wrong_type", f"the input must be a JSON object, got {describe(raw)}")]
    for key in raw:
        if key not in TOP_KEYS:
            errors.append(FieldError(key, "unknown_field", f"{key!r} is not a field of the follow-up input"))
    for key in ("baseline", "rules_version", "baseline_date", "checkins"):
        if key not in raw:
            errors.append(FieldError(key, "required", "required"))
    if "contract_version" in raw and raw["contract_version"] != CONTRACT_VERSION:
        errors.append(FieldError("contract_version", "not_allowed_value", f'must be "{CONTRACT_VERSION}"'))
    doc: dict = {}
    if "rules_version" in raw:
        rv = raw["rules_version"]
        if not isinstance(rv, str):
            errors.append(FieldError("rules_version", "wrong_type", f"expected text, got {describe(rv)}"))
        elif not rv.strip():
            errors.append(FieldError("rules_version", "required", "must not be blank"))
        else:
            doc["rules_version"] = rv
    if "baseline_date" in raw:
        doc["baseline_date"] = parse_date(raw["baseline_date"], "baseline_date", errors)
    summary = None
    if "baseline" in raw:
        base, base_errors = validate(raw["baseline"])
        for e in base_errors:
            errors.append(FieldError(f"baseline.{e.field}" if e.field else "baseline", e.problem, e.message))
        if not base_errors:
            doc["baseline"] = base
            summary = evaluate_baseline(base)
            doc["baseline_summary"] = summary
    if "checkins" in raw:
        doc["checkins"] = _validate_checkins(raw["checkins"], doc, summary, errors)
    return doc, errors


def _validate_checkins(value, doc: dict, summary: dict | None, errors: list[FieldError]) -> list[dict]:
    if not isinstance(value, list):
        errors.append(FieldError("checkins", "wrong_type", f"expected a list of check-ins, got {describe(value)}"))
        return []
    if not 1 <= len(value) <= len(TIME_POINTS):
        errors.append(FieldError("checkins", "wrong_length", f"expected 1 to {len(TIME_POINTS)} check-ins"))
        return []
    out: list[dict] = []
    previous_order, previous_date = 0, doc.get("baseline_date")
    for i, item in enumerate(value):
        path = f"checkins[{i}]"
        if not isinstance(item, dict):
            errors.append(FieldError(path, "wrong_type", f"expected an object, got {describe(item)}"))
            continue
        for key in item:
            if key not in CHECKIN_KEYS:
                errors.append(FieldError(f"{path}.{key}", "unknown_field", f"{key!r} is not a field of a check-in"))
        tp = item.get("time_point")
        if "time_point" not in item:
            errors.append(FieldError(f"{path}.time_point", "required", "required"))
            continue
        if tp not in TIME_POINTS:
            problem = "not_allowed_value" if isinstance(tp, str) else "wrong_type"
            errors.append(FieldError(f"{path}.time_point", problem, f"not one of {', '.join(TIME_POINTS)}"))
            continue
        order = TIME_POINTS[tp]["order"]
        if order <= previous_order:
            errors.append(
                FieldError(f"{path}.time_point", "inconsistent", "list each time point once, in schedule order")
            )
        previous_order = max(previous_order, order)
        status = item.get("status", "answered")
        if status not in ("answered", "missed"):
            errors.append(FieldError(f"{path}.status", "not_allowed_value", 'must be "answered" or "missed"'))
            continue
        entry: dict = {"time_point": tp, "status": status}
        if status == "missed":
            for key in ("answered_on", "answers"):
                if key in item:
                    errors.append(FieldError(f"{path}.{key}", "inconsistent", "a missed check-in has no answers"))
            out.append(entry)
            continue
        for key in ("answered_on", "answers"):
            if key not in item:
                errors.append(FieldError(f"{path}.{key}", "required", "required for an answered check-in"))
        if "answered_on" in item:
            answered_on = parse_date(item["answered_on"], f"{path}.answered_on", errors)
            if answered_on is not None and previous_date is not None and answered_on < previous_date:
                errors.append(
                    FieldError(f"{path}.answered_on", "inconsistent", "before the baseline date or an earlier check-in")
                )
            entry["answered_on"] = answered_on
            previous_date = answered_on or previous_date
        if "answers" in item and doc.get("baseline") is not None and summary is not None:
            view = baseline_view(doc["baseline"], summary, tp)
            answers, answer_errors = validate_answers(item["answers"], f"{path}.answers", view)
            errors.extend(answer_errors)
            entry["answers"] = answers
        out.append(entry)
    if out and not any(c["status"] == "answered" for c in out):
        errors.append(FieldError("checkins", "wrong_length", "at least one answered check-in is needed"))
    return out
