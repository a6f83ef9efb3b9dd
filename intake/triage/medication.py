"""§4.7 medication-overuse headache (MOH): the 8.2.x rows, criteria A and B, and the medication notes.

Pure Python, no Django (design.md). Binding interpretations: contract E.1 (presence gate), E.6 (durations),
E.9 (row bounds). Output shapes: contract C.3 (notes), C.7 (phenotype dicts), C.8, C.11 (explain).

Row values: ``True`` (met), ``False`` (not met), ``"possible_clarify"`` (§4.7 rules 1 and 7: the bounds straddle
the threshold) and ``"undetermined"`` (E.9: a "not_sure" class count, read as 0..any_acute, cannot decide it).
"""

from __future__ import annotations

from typing import Any

from intake.triage.util import is_int

NOT_SURE = "not_sure"
POSSIBLE = "possible_clarify"
UNDETERMINED = "undetermined"

ROW_CODES = ("8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.2.5", "8.2.6", "8.2.7")

# The B.12 class keys, in the order they are shown in MED-THRESHOLDS (contract parts G and H).
MED_CLASSES = ("paracetamol", "nsaid_aspirin", "triptan", "ergot", "opioid", "combination", "gepant_ditan", "other")

# §4.7 table: the single-class rows and their days-per-month thresholds (≥, "use them literally", §0.1).
SINGLE_CLASS_ROWS = {"8.2.1": "ergot", "8.2.2": "triptan", "8.2.4": "opioid", "8.2.5": "combination"}
SINGLE_CLASS_THRESHOLD = 10
NONOPIOID_THRESHOLD = 15  # §4.7 8.2.3: non-opioid analgesics ≥15, paracetamol + NSAID as one class (rule 1)
FOUR_CLASS_THRESHOLD = 10  # §4.7 8.2.6 / 8.2.7 total (rule 7)

# E.9: only these four classes count toward the 8.2.6 / 8.2.7 total (§4.7 rule 7); "nonopioid" is the
# paracetamol + NSAID/aspirin class. gepant_ditan (rule 5), other and combination are subtracted at their most.
FOUR_CLASSES = ("ergot", "triptan", "nonopioid", "opioid")
SUBTRACTED_CLASSES = ("gepant_ditan", "other", "combination")
# E.9 8.2.7: a "not_sure" answer on one of these classes is the unverified-overuse route (and blocks 8.2.6).
UNVERIFIED_CLASSES = ("paracetamol", "nsaid_aspirin", "triptan", "ergot", "opioid", "combination")

ROW_NAMES = {
    "8.2.1": "ergotamine-overuse headache",
    "8.2.2": "triptan-overuse headache",
    "8.2.3": "non-opioid analgesic-overuse headache",
    "8.2.4": "opioid-overuse headache",
    "8.2.5": "combination-analgesic-overuse headache",
    "8.2.6": "medication-overuse headache attributed to multiple drug classes not individually overused",
    "8.2.7": "medication-overuse headache attributed to unverified overuse of multiple drug classes",
}

# C.3 fixed note texts.
NOTE_TEXTS = {
    "MOH": "review acute medication; consider withdrawal plan",
    "ACUTE-MED-OVERUSE": "acute-medication use at a level associated with MOH risk",
    "ACUTE-MED-CLARIFY": "acute-medication days possibly at an MOH threshold: clarify",
}

# The C.2 path of every med_days key; MED-THRESHOLDS shows these (and nonopioid_any when sent).
MED_PATHS = {key: f"med_days.{key}" for key in (*MED_CLASSES, "any_acute", "nonopioid_any")}
THRESHOLD_PATHS = tuple((key, MED_PATHS[key]) for key in (*MED_CLASSES, "any_acute"))

Bounds = tuple[int, int]


# --------------------------------------------------------------------------- small readers


def _num(value: Any) -> Any:
    """B.1: 12.0 is the integer 12; keep the contract's integer form in facts and arithmetic."""
    if value.__class__ is int or value.__class__ is str or value is None:
        return value  # already in contract form (every validated answer is)
    return int(value) if is_int(value) else value


def _med_days(a: dict) -> dict:
    return a.get("med_days") or {}


def _any_acute(md: dict) -> int:
    return int(_num(md.get("any_acute", 0)))


def fact(path: str, value: Any) -> str:
    """A C.2 `triggered_by` fact: "<path>=<value>", the string itself or the JSON number."""
    return f"{path}={_num(value)}"


def class_bounds(md: dict, key: str) -> Bounds:
    """E.9: an integer count is exact; a "not_sure" count is anything from 0 to `any_acute`."""
    value = md.get(key, 0)
    if value.__class__ is int:
        return value, value
    if value == NOT_SURE:
        return 0, _any_acute(md)
    days = int(_num(value))
    return days, days


def nonopioid_bounds(md: dict, paracetamol: Bounds, nsaid_aspirin: Bounds) -> Bounds:
    """§4.7 rule 1 / E.9: `nonopioid_any` when sent; otherwise max(p, n) .. min(p + n, any_acute)."""
    if "nonopioid_any" in md:
        value = int(_num(md["nonopioid_any"]))
        return value, value
    p_lo, p_hi = paracetamol
    n_lo, n_hi = nsaid_aspirin
    return max(p_lo, n_lo), min(p_hi + n_hi, _any_acute(md))


def bounds_by_class(md: dict) -> dict[str, Bounds]:
    """The E.9 bounds of every class, and of the rule 1 non-opioid class as "nonopioid"; every row reads these."""
    bounds = {key: class_bounds(md, key) for key in MED_CLASSES}
    bounds["nonopioid"] = nonopioid_bounds(md, bounds["paracetamol"], bounds["nsaid_aspirin"])
    return bounds


def decide(bounds: Bounds, threshold: int, open_value: str) -> bool | str:
    """Lower bound ≥ threshold → met; upper bound < threshold → not met; otherwise `open_value`."""
    low, high = bounds
    if low >= threshold:
        return True
    if high < threshold:
        return False
    return open_value


def has_unverified_class(md: dict) -> bool:
    for key in UNVERIFIED_CLASSES:
        if md.get(key) == NOT_SURE:
            return True
    return False


# --------------------------------------------------------------------------- rows (§4.7 table, E.9)


def row_single_class(bounds: dict[str, Bounds], code: str) -> bool | str:
    """8.2.1 / 8.2.2 / 8.2.4 / 8.2.5: one class ≥10 days (§4.7). "not_sure" is 0..any_acute (E.9)."""
    return decide(bounds[SINGLE_CLASS_ROWS[code]], SINGLE_CLASS_THRESHOLD, UNDETERMINED)


def row_8_2_3(md: dict, bounds: dict[str, Bounds]) -> bool | str:
    """8.2.3: non-opioid days ≥15 (§4.7). `nonopioid_any` decides when sent; else the rule 1 bounds (E.9),
    which give "possible, clarify" when both counts are known. With a "not_sure" count the rule 1 bounds do not
    apply (E.9 "when both counts are known"), so an open interval is *undetermined*, not "possible, clarify"."""
    if "nonopioid_any" in md:
        return decide(bounds["nonopioid"], NONOPIOID_THRESHOLD, UNDETERMINED)  # exact: never open
    both_known = md.get("paracetamol") != NOT_SURE and md.get("nsaid_aspirin") != NOT_SURE
    return decide(bounds["nonopioid"], NONOPIOID_THRESHOLD, POSSIBLE if both_known else UNDETERMINED)


def four_class_total_bounds(md: dict, bounds: dict[str, Bounds]) -> Bounds:
    """§4.7 rule 7 / E.9: lower = max(any_acute − gepant_ditan − other − combination (each at its most),
    the largest of the four class counts at its least); upper = min(sum of the four at their most, any_acute)."""
    any_acute = _any_acute(md)
    subtracted = sum([bounds[key][1] for key in SUBTRACTED_CLASSES])
    lows = [bounds[key][0] for key in FOUR_CLASSES]
    highs = [bounds[key][1] for key in FOUR_CLASSES]
    lower = max(any_acute - subtracted, max(lows))
    upper = min(sum(highs), any_acute)
    return lower, upper


def four_class_total(md: dict, bounds: dict[str, Bounds]) -> bool | str:
    """The ≥10-day condition of 8.2.6 and 8.2.7 (§4.7 rule 7): met / not met / "possible, clarify"."""
    return decide(four_class_total_bounds(md, bounds), FOUR_CLASS_THRESHOLD, POSSIBLE)


def classes_used(bounds: dict[str, Bounds]) -> int:
    """E.9 8.2.6: how many of the four classes were used on ≥1 day (non-opioid = paracetamol or NSAID)."""
    used = 0
    for key in FOUR_CLASSES:
        if bounds[key][0] >= 1:
            used += 1
    return used


def row_8_2_6(md: dict, bounds: dict[str, Bounds], single_rows: dict[str, bool | str], unverified: bool) -> bool | str:
    """8.2.6 (E.9): ≥2 of the four classes used, the four-class total met, and every single-class row
    (8.2.1–8.2.5) definitely not met. Not evaluated when a class is "not_sure" (`unverified`: 8.2.7 applies)."""
    if unverified:
        return False
    if classes_used(bounds) < 2:
        return False
    for value in single_rows.values():
        if value is not False:
            return False  # E.9 "definitely not met": a met, open or undetermined single row blocks 8.2.6
    return four_class_total(md, bounds)


def row_8_2_7(md: dict, bounds: dict[str, Bounds], other_rows: dict[str, bool | str], unverified: bool) -> bool | str:
    """8.2.7 (E.9): some class "not_sure" (`unverified`), the four-class total met (or "possible, clarify"),
    no other row met."""
    if not unverified:
        return False
    if True in other_rows.values():
        return False
    return four_class_total(md, bounds)


def evaluate_rows(md: dict) -> dict[str, bool | str]:
    """Every 8.2.x row, in ROW_CODES order; each class count is read once (`bounds_by_class`)."""
    bounds = bounds_by_class(md)
    rows: dict[str, bool | str] = {
        "8.2.1": row_single_class(bounds, "8.2.1"),
        "8.2.2": row_single_class(bounds, "8.2.2"),
        "8.2.3": row_8_2_3(md, bounds),
        "8.2.4": row_single_class(bounds, "8.2.4"),
        "8.2.5": row_single_class(bounds, "8.2.5"),
    }
    unverified = has_unverified_class(md)
    rows["8.2.6"] = row_8_2_6(md, bounds, rows, unverified)  # reads the five rows above only
    rows["8.2.7"] = row_8_2_7(md, bounds, rows, unverified)
    return rows


# --------------------------------------------------------------------------- criteria A and B


def pre_existing_headache(a: dict) -> bool:
    """§4.7 A / E.9: `headache_predates_med_use = "yes"` ("not_sure" does not satisfy it, B.12), or
    `headache_history_months` longer than the time at the current level (lt_1m: ≥1 month; 1_3m: >3 months;
    gt_3m: cannot be shown this way)."""
    if a.get("headache_predates_med_use") == "yes":
        return True
    history = a.get("headache_history_months")
    duration = a.get("med_overuse_duration")
    if history is None or duration is None:
        return False
    if duration == "lt_1m":
        return history >= 1
    if duration == "1_3m":
        return history > 3
    return False


def criterion_a(a: dict) -> bool:
    """§4.7 A: headache_days_per_month ≥15 AND a pre-existing headache disorder."""
    days = a.get("headache_days_per_month")
    return days is not None and days >= 15 and pre_existing_headache(a)


def criterion_b_duration(a: dict) -> bool:
    """§4.7 B, the ">3 months" part: `med_overuse_duration = "gt_3m"` (E.6)."""
    return a.get("med_overuse_duration") == "gt_3m"


def criterion_a_inputs(a: dict) -> dict[str, Any]:
    """The facts criterion A read (the route that satisfied it when it holds)."""
    inputs: dict[str, Any] = {"headache_days_per_month": _num(a.get("headache_days_per_month"))}
    if a.get("headache_predates_med_use") == "yes":
        inputs["headache_predates_med_use"] = "yes"
    else:
        inputs["headache_predates_med_use"] = a.get("headache_predates_med_use")
        inputs["headache_history_months"] = _num(a.get("headache_history_months"))
        inputs["med_overuse_duration"] = a.get("med_overuse_duration")
    return inputs


# --------------------------------------------------------------------------- facts per row


def row_inputs(a: dict, code: str) -> dict[str, Any]:
    """The med_days values a row's days condition reads, keyed by C.2 path (explain inputs, note facts)."""
    md = _med_days(a)
    if code in SINGLE_CLASS_ROWS:
        keys = [SINGLE_CLASS_ROWS[code]]
        if md.get(keys[0]) == NOT_SURE:
            keys.append("any_acute")
    elif code == "8.2.3":
        keys = ["nonopioid_any"] if "nonopioid_any" in md else ["paracetamol", "nsaid_aspirin", "any_acute"]
    else:  # 8.2.6 / 8.2.7: the four-class bounds read every class count and any_acute
        keys = ["ergot", "triptan"]
        keys += ["nonopioid_any"] if "nonopioid_any" in md else ["paracetamol", "nsaid_aspirin"]
        keys += ["opioid", *SUBTRACTED_CLASSES, "any_acute"]
    return {MED_PATHS[key]: _num(md.get(key)) for key in keys}


def _facts(inputs: dict[str, Any]) -> list[str]:
    return [fact(path, value) for path, value in inputs.items() if value is not None]


# --------------------------------------------------------------------------- output pieces


def _phenotype(a: dict, code: str) -> dict:
    """C.7 phenotype dict for a met 8.2.x row (patient level: type_index null)."""
    md = _med_days(a)
    attributes: list[str] = []
    if code == "8.2.3":
        # E.9: the subtype attributes need the single drug alone at ≥15 days.
        if is_int(md.get("paracetamol")) and md["paracetamol"] >= NONOPIOID_THRESHOLD:
            attributes.append("8.2.3.1")
        if is_int(md.get("nsaid_aspirin")) and md["nsaid_aspirin"] >= NONOPIOID_THRESHOLD:
            attributes.append("8.2.3.2")
    return {
        "code": code,
        "label": f"features consistent with ICHD-3 {code} {ROW_NAMES[code]}",
        "certainty": "features_consistent",
        "type_index": None,
        "attributes": attributes,
        "criteria_trace": {"A": True, "B": True},
    }


def _note(note_id: str, triggered_by: list[str]) -> dict:
    return {
        "id": note_id,
        "tier": "ROUTINE",
        "action": "NOTE",
        "text": NOTE_TEXTS[note_id],
        "triggered_by": triggered_by,
    }


def _threshold_inputs(a: dict) -> dict[str, Any]:
    md = _med_days(a)
    inputs = {path: _num(md.get(key)) for key, path in THRESHOLD_PATHS}
    if "nonopioid_any" in md:
        inputs["med_days.nonopioid_any"] = _num(md["nonopioid_any"])
    return inputs


def evaluate_medication(a: dict) -> dict:
    """§4.7 with contract E.1 / E.9. Returns moh, acute_med_overuse_threshold_met, rows, codes, notes, explain."""
    if a.get("has_headache") != "yes":
        # E.1 / C.8: MOH is a headache disorder; without headache nothing of §4.7 is evaluated.
        rows = dict.fromkeys(ROW_CODES, False)
        inputs = {"has_headache": a.get("has_headache"), **_threshold_inputs(a)}
        return {
            "moh": "not_met",
            "acute_med_overuse_threshold_met": False,
            "rows": rows,
            "codes": [],
            "notes": [],
            "explain": [_threshold_explain(inputs, rows, "not_met", False, None)],
        }

    md = _med_days(a)
    rows = evaluate_rows(md)
    met: list[str] = []  # in ROW_CODES order, as are the rows
    possible: list[str] = []
    for code, value in rows.items():
        if value is True:
            met.append(code)
        elif value == POSSIBLE:
            possible.append(code)
    # §4.7 rule 4 / C.8: the days condition of any row, whatever A or the duration; open rows do not count.
    threshold_met = bool(met)

    inputs = _threshold_inputs(a)
    criteria: dict[str, bool] | None = None
    moh = "not_met"
    if met or possible:
        a_holds, b_holds = criterion_a(a), criterion_b_duration(a)
        criteria = {"A": a_holds, "B_duration": b_holds}
        inputs.update(criterion_a_inputs(a))
        inputs["med_overuse_duration"] = a.get("med_overuse_duration")
        if a_holds and b_holds:
            # C.8: met when A and B hold; "possible, clarify" when A and B's duration hold, no row is met,
            # and a row is only "possible, clarify".
            moh = "met" if met else "possible_clarify"

    note_inputs: dict[str, dict[str, Any]] = {}
    if moh == "met":
        merged = {**criterion_a_inputs(a), "med_overuse_duration": a.get("med_overuse_duration")}
        for code in met:
            merged.update(row_inputs(a, code))
        note_inputs["MOH"] = merged
    if threshold_met and moh != "met":
        note_inputs["ACUTE-MED-OVERUSE"] = {k: v for code in met for k, v in row_inputs(a, code).items()}
    if possible:
        # C.3: any row that is "possible, clarify" (8.2.3 rule 1 bounds, 8.2.6 / 8.2.7 four-class bounds).
        note_inputs["ACUTE-MED-CLARIFY"] = {k: v for code in possible for k, v in row_inputs(a, code).items()}
    codes = [_phenotype(a, code) for code in met] if moh == "met" else []
    explain = [_threshold_explain(inputs, rows, moh, threshold_met, criteria)]
    notes = []
    # C.12: all three are ROUTINE / NOTE, so ties are broken by id. C.11: an explain entry for every note.
    for note_id in sorted(note_inputs):
        notes.append(_note(note_id, _facts(note_inputs[note_id])))
        explain.append({"id": note_id, "ref": "§4.7", "result": True, "inputs": note_inputs[note_id]})
    return {
        "moh": moh,
        "acute_med_overuse_threshold_met": threshold_met,
        "rows": rows,
        "codes": codes,
        "notes": notes,
        "explain": explain,
    }


def _threshold_explain(
    inputs: dict[str, Any], rows: dict[str, bool | str], moh: str, threshold_met: bool, criteria: dict | None
) -> dict:
    detail: dict[str, Any] = {"rows": dict(rows), "moh": moh}
    if criteria is not None:
        detail["criteria"] = criteria
    return {"id": "MED-THRESHOLDS", "ref": "§4.7", "result": threshold_met, "inputs": inputs, "detail": detail}
