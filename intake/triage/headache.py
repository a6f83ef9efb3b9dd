"""§4 headache phenotypes (ICHD-3) as checkable rules: §4.1–§4.6, §4.8–§4.10 (§4.7 lives in medication.py).

Pure Python, no Django (design.md). Binding interpretations: contract E.6 (">3 months"), E.8 (migraine days,
one label per type, TTH criteria, 11.2.1, suppression). Output shapes: contract C.1, C.3, C.7, C.11, C.12.

Every ICHD criterion is a small named function that reads the answers through a `_Reads` recorder, so the explain
entry's `inputs` are exactly the fields the deciding code read (§0.2.4). Each criterion of a type is evaluated once
(`TypeCriteria`) and a check's `inputs` merge what its criteria read, in the order the check uses them.
Wording: always "features consistent with ICHD-3 <code> <name>", never "diagnosis" (§0.2.3, §4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intake.triage.medication import row_inputs

# §4.10 step 2 plus HA-PDPH (§4.10 last bullet, E.8). HA-DRUG, CAD-RISK, UCI-RISK, MH-SI and LBP-* never suppress.
SUPPRESSING_FLAGS = frozenset(
    {
        "HA-THUNDER",
        "HA-MENING",
        "HA-FEVER",
        "HA-NEURO",
        "HA-AURA-ATYP",
        "HA-GCA",
        "HA-OLDER",
        "HA-NEW-PATTERN",
        "HA-PROGRESSIVE",
        "HA-ORTHOSTATIC",
        "HA-RAISED-ICP",
        "HA-VALSALVA",
        "HA-PREG",
        "HA-IMMUNO",
        "HA-NEOPLASM",
        "HA-TRAUMA",
        "HA-EYE",
        "CAD-ACUTE",
        "CAD-HISTORY",
        "HA-PDPH",
    }
)

# §4.9: 11.2.1 is suppressed completely by these, and by any URGENT or EMERGENCY headache (HA-*) flag.
CERVICOGENIC_BLOCKING_FLAGS = frozenset({"CAD-ACUTE", "CAD-HISTORY", "HA-TRAUMA"})
URGENT_OR_EMERGENCY = frozenset({"URGENT", "EMERGENCY"})

# C.7 secondary-hint texts (fixed).
HINT_TEXTS = {
    "4.4": "thunderclap pattern (4.4 only after secondary causes are excluded)",
    "7.2.1": "probable 7.2.1 post-dural puncture headache: features consistent; low CSF pressure not documented",
    "7.2.2": "persistent post-procedural headache: possible CSF fistula (7.2.2)",
}
PDPH_PERSISTENT_AFTER_DAYS = 14  # §4.8 / C.7: 7.2.2 instead of 7.2.1 when procedure_days_ago > 14

CODE_NAMES = {
    "1.1": "migraine without aura",
    "1.2": "migraine with aura",
    "1.3": "chronic migraine",
    "1.5": "probable migraine",
    "2.1": "infrequent episodic tension-type headache",
    "2.2": "frequent episodic tension-type headache",
    "2.3": "chronic tension-type headache",
    "2.4": "probable tension-type headache",
}
LABEL_TEXTS = {code: f"features consistent with ICHD-3 {code} {name}" for code, name in CODE_NAMES.items()}
CODE_REFS = {"1.1": "§4.2", "1.2": "§4.3", "1.3": "§4.4", "1.5": "§4.6", "2.4": "§4.6", "11.2.1": "§4.9"}

# §4.3 sub-labels (PRODUCT RULE): attribute → label suffix.
AURA_SUBLABELS = {
    "typical_aura_1.2.1": "typical aura (1.2.1)",
    "motor_aura_1.2.3": "motor aura reported: possible hemiplegic migraine (1.2.3), specialist assessment",
    "brainstem_or_retinal_aura_1.2.2_1.2.4": "brainstem or retinal aura reported (1.2.2 / 1.2.4), clinician to confirm",
}
TYPICAL_AURA_TYPES = frozenset({"visual", "sensory", "speech"})

# §4.9 display texts.
CERVICOGENIC_LABEL = (
    "cervicogenic features reported (11.2.1). Criterion B and the examination findings need the clinician"
)
CERVICOGENIC_MIGRAINE_LABEL = (
    "neck-related features reported. Migraine criteria are also met, and neck pain is common in migraine. "
    "Clinician to judge"
)

UNCLASSIFIED_TEXT = "unclassified headache. Diary recommended"  # C.3 / §4.10 step 4

GT_3M = "gt_3m"  # E.6: every headache ">3 months" is headache_freq_duration = "gt_3m"
TTH_CODES = ("2.3", "2.2", "2.1")  # E.8 / §4.10 step 3 order
TTH_DURATIONS = {
    "2.1": frozenset({"30m_4h", "4h_72h", "3d_7d"}),  # §4.5: 30 min to 7 days
    "2.2": frozenset({"30m_4h", "4h_72h", "3d_7d"}),
    "2.3": frozenset({"30m_4h", "4h_72h", "3d_7d", "gt_7d_or_continuous"}),  # hours to days, or unremitting
}


# --------------------------------------------------------------------------- reading answers


def _num(value: Any) -> Any:
    """B.1: 12.0 is the integer 12."""
    if value.__class__ is float and value.is_integer():
        return int(value)
    return value


# The per-type answers (B.7) and aura answers (B.8) the criteria read.
TYPE_KEYS = (
    "attack_count_lifetime",
    "duration_untreated",
    "side",
    "quality",
    "intensity",
    "worse_with_activity",
    "nausea",
    "vomiting",
    "photophobia",
    "phonophobia",
    "aura",
    "triptan_relieves",
    "days_per_month",
    "ha_started_with_neck_problem",
    "ha_improves_when_neck_improves",
    "neck_movement_or_posture_triggers_ha",
    "side_locked",
    "neck_pressure_triggers_ha",
)
AURA_KEYS = (
    "types",
    "attack_count",
    "spreads_over_5min",
    "two_or_more_in_succession",
    "each_lasts_5_60min",
    "one_sided",
    "positive",
    "headache_within_60min",
)
_TYPE_PATHS: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def _type_paths(i: int) -> tuple[dict[str, str], dict[str, str]]:
    """The C.2 paths of type i's answers and of its aura's answers, built once per index (a hot path)."""
    paths = _TYPE_PATHS.get(i)
    if paths is None:
        paths = _TYPE_PATHS[i] = (
            {key: f"ha_types[{i}].{key}" for key in TYPE_KEYS},
            {key: f"ha_types[{i}].aura.{key}" for key in AURA_KEYS},
        )
    return paths


class _Reads:
    """Reads answers and records every value read, keyed by its C.2 path (the C.11 explain `inputs`).

    Bound to headache type `i` for the per-type answers; patient-level criteria use one bound to no type.
    """

    __slots__ = ("_a", "_t", "_aura", "_paths", "_aura_paths", "inputs")

    def __init__(self, a: dict, i: int | None = None):
        self._a = a
        self.inputs: dict[str, Any] = {}
        if i is not None:
            self._t = a["ha_types"][i]
            self._aura = self._t.get("aura")
            self._paths, self._aura_paths = _type_paths(i)

    def top(self, key: str) -> Any:
        value = _num(self._a.get(key))
        self.inputs[key] = value
        return value

    def ha(self, key: str) -> Any:
        # Validated answers already hold ints, so no conversion here.
        value = self._t.get(key)
        self.inputs[self._paths[key]] = value
        return value

    def has_aura(self) -> bool:
        if self._aura is None:
            self.inputs[self._paths["aura"]] = None
        return isinstance(self._aura, dict)

    def aura(self, key: str) -> Any:
        value = (self._aura or {}).get(key)
        self.inputs[self._aura_paths[key]] = list(value) if isinstance(value, list) else value
        return value


def _n_types(a: dict) -> int:
    return len(a.get("ha_types") or [])


# --------------------------------------------------------------------------- 1.1 migraine without aura (§4.2)


def mwoa_a(r: _Reads) -> bool:
    """1.1 A: ≥5 attacks."""
    return r.ha("attack_count_lifetime") in ("5-9", "10+")


def mwoa_b(r: _Reads) -> bool:
    """1.1 B: attacks last 4–72 h untreated."""
    return r.ha("duration_untreated") == "4h_72h"


def mwoa_c(r: _Reads) -> int:
    """1.1 C: how many of the 4 pain characteristics (≥2 needed)."""
    return (
        (r.ha("side") == "one_side")
        + (r.ha("quality") == "throbbing")
        + (r.ha("intensity") in ("moderate", "severe"))
        + (r.ha("worse_with_activity") == "yes")
    )


def mwoa_d(r: _Reads) -> bool:
    """1.1 D: (nausea or vomiting) or (photophobia and phonophobia)."""
    nausea, vomiting = r.ha("nausea"), r.ha("vomiting")
    photophobia, phonophobia = r.ha("photophobia"), r.ha("phonophobia")
    return (nausea != "none" or vomiting == "yes") or (photophobia == "yes" and phonophobia == "yes")


# --------------------------------------------------------------------------- 1.2 migraine with aura (§4.3)


def with_aura(r: _Reads) -> bool:
    """§4.3: the type has an aura object, so it is classified against 1.2 only."""
    return r.has_aura()


def mwa_a(r: _Reads) -> bool:
    """1.2 A: ≥2 attacks with aura."""
    return r.aura("attack_count") in ("2-4", "5+")


def mwa_b(r: _Reads) -> bool:
    """1.2 B: ≥1 fully reversible aura type (every listed type counts; reversibility is not collected)."""
    return len(r.aura("types") or []) >= 1


AURA_CHARACTERISTICS = AURA_KEYS[2:]  # spreads_over_5min … headache_within_60min


def mwa_c(r: _Reads) -> int:
    """1.2 C: how many of the 6 aura characteristics (≥3 needed)."""
    count = 0
    for key in AURA_CHARACTERISTICS:
        count += r.aura(key) == "yes"
    return count


def aura_sublabels(r: _Reads) -> list[str]:
    """§4.3 sub-labels (PRODUCT RULE), in C.7 attribute order."""
    types = set(r.aura("types") or [])
    attributes = []
    if types and types <= TYPICAL_AURA_TYPES:
        attributes.append("typical_aura_1.2.1")
    if "motor" in types:
        attributes.append("motor_aura_1.2.3")
    if types & {"brainstem", "retinal"}:
        attributes.append("brainstem_or_retinal_aura_1.2.2_1.2.4")
    return attributes


# --------------------------------------------------------------------------- tension-type headache (§4.5, E.8)


def tth_c(r: _Reads) -> int:
    """TTH-C: how many of the 4 tension-type pain characteristics (≥2 needed)."""
    return (
        (r.ha("side") == "both_sides")
        + (r.ha("quality") == "pressing_tight")
        + (r.ha("intensity") in ("mild", "moderate"))
        + (r.ha("worse_with_activity") == "no")
    )


def tth_d(r: _Reads) -> bool:
    """TTH-D (episodic): no nausea, no vomiting, at most one of photophobia and phonophobia."""
    photo_phono = (r.ha("photophobia") == "yes") + (r.ha("phonophobia") == "yes")
    nausea, vomiting = r.ha("nausea"), r.ha("vomiting")
    return nausea == "none" and vomiting == "no" and photo_phono <= 1


def tth_d_chronic(r: _Reads) -> bool:
    """2.3 D-chronic: (photophobia + phonophobia + mild nausea) ≤1, no moderate/severe nausea, no vomiting."""
    nausea = r.ha("nausea")
    count = (r.ha("photophobia") == "yes") + (r.ha("phonophobia") == "yes") + (nausea == "mild")
    vomiting = r.ha("vomiting")
    return count <= 1 and nausea != "moderate_severe" and vomiting == "no"


def tth_a(r: _Reads, code: str) -> bool:
    """2.x A (E.8): the code's band of this type's days per month (0 = less than one day a month), plus ≥10
    attacks for 2.1 / 2.2 and ">3 months" (E.6) for 2.2 / 2.3."""
    days = r.ha("days_per_month")
    attacks = r.ha("attack_count_lifetime")
    over_3_months = r.top("headache_freq_duration") == GT_3M
    if code == "2.1":
        return attacks == "10+" and days < 1
    if code == "2.2":
        return attacks == "10+" and 1 <= days <= 14 and over_3_months
    return days >= 15 and over_3_months


def tth_b(r: _Reads, code: str) -> bool:
    """2.x B: duration (30 min–7 days for 2.1 / 2.2; hours to days or unremitting for 2.3)."""
    return r.ha("duration_untreated") in TTH_DURATIONS[code]


# --------------------------------------------------------------------------- migraine days and 1.3 (§4.4, E.8)


def triptan_relieves(r: _Reads) -> bool:
    """§4.4 C: the patient's triptan relieves this type."""
    return r.ha("triptan_relieves") == "yes"


def type_days(r: _Reads) -> Any:
    """E.8: this type's days per month."""
    return r.ha("days_per_month")


def aura_attacks_5_plus(r: _Reads) -> bool:
    """1.3 B through 1.2: aura.attack_count = 5+."""
    return r.aura("attack_count") == "5+"


def cm_a(r: _Reads) -> bool:
    """1.3 A: ≥15 headache days a month for >3 months (E.6)."""
    days, duration = r.top("headache_days_per_month"), r.top("headache_freq_duration")
    return days >= 15 and duration == GT_3M


def cm_c(r: _Reads, migraine_days: int) -> bool:
    """1.3 C: ≥8 migraine days a month for >3 months (E.6, E.8)."""
    duration = r.top("headache_freq_duration")
    return migraine_days >= 8 and duration == GT_3M


# --------------------------------------------------------------------------- 11.2.1 cervicogenic (§4.9, E.8)


def neck_pain(r: _Reads) -> bool:
    """§4.9: 11.2.1 is only considered with neck pain."""
    return r.top("neck_pain") == "yes"


def cervicogenic_proxies(r: _Reads) -> dict[str, bool]:
    """§4.9 self-report proxies of the type; neck_stiff_reduced_movement is the patient-level half of C3 (E.8)."""
    # Both halves of C3 and of the supportive pair are read (no short-circuit), so the explain inputs show them.
    c1 = r.ha("ha_started_with_neck_problem") == "yes"
    c2 = r.ha("ha_improves_when_neck_improves") == "yes"
    stiff_neck = r.top("neck_stiff_reduced_movement") == "yes"
    neck_triggers = r.ha("neck_movement_or_posture_triggers_ha") == "yes"
    side_locked = r.ha("side_locked") == "yes"
    pressure_triggers = r.ha("neck_pressure_triggers_ha") == "yes"
    return {"C1": c1, "C2": c2, "C3": stiff_neck and neck_triggers, "supportive": side_locked and pressure_triggers}


# --------------------------------------------------------------------------- criteria of one type


class TypeCriteria:
    """The ICHD criteria of one headache type, each evaluated once; `read[criterion]` holds what it read.

    E.8: migraine days, 1.3 B, the type's own label, 1.5 / 2.4 and 11.2.1 all reuse these results. A check's
    explain inputs are the reads of its criteria merged in the order the check evaluates them (`{**read[x], …}`),
    exactly what one recorder reading them in turn would hold. Tension-type and 11.2.1 criteria are evaluated
    on demand.
    """

    __slots__ = (
        "index",
        "read",
        "_reads",
        "mwoa_a",
        "mwoa_b",
        "mwoa_c",
        "mwoa_d",
        "has_aura",
        "triptan",
        "days",
        "aura_5_plus",
        "mwa_a",
        "mwa_b",
        "mwa_c",
        "sublabels",
    )

    def __init__(self, a: dict, i: int):
        self.index = i
        self.read: dict[Any, dict[str, Any]] = {}
        self._reads = _Reads(a, i)
        self.mwoa_a = self.evaluate(mwoa_a)
        self.mwoa_b = self.evaluate(mwoa_b)
        self.mwoa_c = self.evaluate(mwoa_c)
        self.mwoa_d = self.evaluate(mwoa_d)
        self.has_aura = self.evaluate(with_aura)
        self.triptan = self.evaluate(triptan_relieves)
        self.days = self.evaluate(type_days)
        if self.has_aura:  # the 1.2 criteria exist for types with aura only
            self.aura_5_plus = self.evaluate(aura_attacks_5_plus)
            self.mwa_a = self.evaluate(mwa_a)
            self.mwa_b = self.evaluate(mwa_b)
            self.mwa_c = self.evaluate(mwa_c)
            self.sublabels = self.evaluate(aura_sublabels)

    def evaluate(self, criterion: Callable[[_Reads], Any]) -> Any:
        """`criterion` for this type; what it read goes to `read[criterion]`."""
        r = self._reads
        r.inputs = {}
        value = criterion(r)
        self.read[criterion] = r.inputs
        return value

    def recorder(self, already_read: dict[str, Any]) -> _Reads:
        """The type's recorder on a new record for one check, starting with what the check read so far
        (one record at a time: take `inputs` before the next `evaluate` or `recorder`)."""
        r = self._reads
        r.inputs = already_read
        return r


def is_migraine_type(t: TypeCriteria) -> bool:
    """E.8 / §4.4 C: meets 1.1 C and D, or 1.2 B and C (with aura), or triptan_relieves = yes."""
    by_1_1 = t.mwoa_c >= 2 and t.mwoa_d
    by_1_2 = t.has_aura and t.mwa_b and t.mwa_c >= 3
    return by_1_1 or by_1_2 or t.triptan


def migraine_type_reads(t: TypeCriteria) -> dict[str, Any]:
    """What `is_migraine_type` reads: every part, not short-circuited, so the explain inputs show all of them."""
    read = t.read
    if t.has_aura:
        return {
            **read[mwoa_c],
            **read[mwoa_d],
            **read[with_aura],
            **read[mwa_b],
            **read[mwa_c],
            **read[triptan_relieves],
        }
    return {**read[mwoa_c], **read[mwoa_d], **read[with_aura], **read[triptan_relieves]}


def migraine_days_per_month(r: _Reads, types: list[TypeCriteria]) -> int:
    """E.8: sum of days_per_month over the migraine types, capped at headache_days_per_month (§4.1)."""
    total = 0
    for t in types:
        r.inputs.update(migraine_type_reads(t))
        if is_migraine_type(t):
            r.inputs.update(t.read[type_days])
            total += t.days
    return min(total, r.top("headache_days_per_month"))


def cm_b(r: _Reads, types: list[TypeCriteria]) -> bool:
    """1.3 B (E.8): a type meets 1.1 B–D with ≥5 attacks, or 1.2 B–C with aura.attack_count = 5+."""
    results = []
    for t in types:
        read = t.read
        r.inputs.update({**read[mwoa_a], **read[mwoa_b], **read[mwoa_c], **read[mwoa_d], **read[with_aura]})
        results.append(t.mwoa_a and t.mwoa_b and t.mwoa_c >= 2 and t.mwoa_d)
        if t.has_aura:
            r.inputs.update({**read[aura_attacks_5_plus], **read[mwa_b], **read[mwa_c]})
            results.append(t.aura_5_plus and t.mwa_b and t.mwa_c >= 3)
    return any(results)


# --------------------------------------------------------------------------- criteria bundles


@dataclass(slots=True)
class Check:
    """One ICHD code checked for one type (or the patient): per-criterion pass/fail, trace and inputs read."""

    code: str
    type_index: int | None
    passed: dict[str, bool]
    trace: dict[str, bool | str]
    inputs: dict[str, Any]
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def n_met(self) -> int:
        return sum(self.passed.values())

    @property
    def met(self) -> bool:
        return all(self.passed.values())


def check_1_1(t: TypeCriteria) -> Check:
    c = t.mwoa_c
    passed = {"A": t.mwoa_a, "B": t.mwoa_b, "C": c >= 2, "D": t.mwoa_d}
    read = t.read
    inputs = {**read[mwoa_c], **read[mwoa_a], **read[mwoa_b], **read[mwoa_d]}
    return Check("1.1", t.index, passed, {**passed, "C": f"{c}/4"}, inputs)


def check_1_2(t: TypeCriteria) -> Check:
    c = t.mwa_c
    passed = {"A": t.mwa_a, "B": t.mwa_b, "C": c >= 3}
    read = t.read
    inputs = {**read[mwa_c], **read[mwa_a], **read[mwa_b], **read[aura_sublabels]}
    return Check("1.2", t.index, passed, {**passed, "C": f"{c}/6"}, inputs, {"attributes": t.sublabels})


def tth_checks(t: TypeCriteria) -> list[Check]:
    """2.3, 2.2, 2.1 (E.8 / §4.10 step 3 order); TTH-C, TTH-D and D-chronic are evaluated once for all three."""
    c = t.evaluate(tth_c)
    d = t.evaluate(tth_d)
    d_chronic = t.evaluate(tth_d_chronic)
    checks = []
    for code in TTH_CODES:
        d_criterion, d_met = (tth_d_chronic, d_chronic) if code == "2.3" else (tth_d, d)
        r = t.recorder({**t.read[tth_c], **t.read[d_criterion]})
        passed = {"A": tth_a(r, code), "B": tth_b(r, code), "C": c >= 2, "D": d_met}
        checks.append(Check(code, t.index, passed, {**passed, "C": f"{c}/4"}, r.inputs))
    return checks


def check_1_3(a: dict, types: list[TypeCriteria]) -> Check:
    r = _Reads(a)
    migraine_days = migraine_days_per_month(r, types)
    passed = {"A": cm_a(r), "B": cm_b(r, types), "C": cm_c(r, migraine_days)}
    detail = {"migraine_days_per_month": migraine_days}
    return Check("1.3", None, passed, dict(passed), r.inputs, detail)


def check_11_2_1(t: TypeCriteria) -> Check:
    r = t.recorder({})
    if not neck_pain(r):
        return Check("11.2.1", t.index, {"neck_pain": False}, {"C": "0/4"}, r.inputs)
    proxies = cervicogenic_proxies(r)
    count = sum(proxies.values())
    passed = {"neck_pain": True, "C": count >= 2}
    return Check("11.2.1", t.index, passed, {"C": f"{count}/4"}, r.inputs, {"proxies": proxies})


# --------------------------------------------------------------------------- classification (§4.10 step 3, E.8)


@dataclass(slots=True)
class Label:
    """A phenotype to output, with the check that produced it (for criteria_trace and explain)."""

    code: str
    check: Check
    attributes: list[str] = field(default_factory=list)
    based_on: str | None = None  # 1.5 / 2.4: which code's criteria were all-but-one

    @property
    def type_index(self) -> int | None:
        return self.check.type_index


def _tth_all_but_one(checks: list[Check], days: Any) -> Check | None:
    """2.4 (E.8): exactly three of the four criteria of 2.1, 2.2 or 2.3. For the trace, prefer the code whose
    frequency band holds the type's days, then the §4.10 order."""
    candidates = [check for check in checks if check.n_met == 3]
    if not candidates:
        return None
    band = "2.1" if days < 1 else "2.2" if days <= 14 else "2.3"
    return next((check for check in candidates if check.code == band), candidates[0])


def classify_type(t: TypeCriteria, primary: Check, chronic_migraine: bool) -> tuple[Label | None, bool, dict[str, Any]]:
    """E.8 "one label per type". `primary`: the type's 1.2 check with aura, else its 1.1 check.
    Returns (label or None, covered by 1.3, the per-type criteria traces)."""
    if t.has_aura:
        # §4.3: a type with aura is classified against 1.2 only.
        mwa = primary
        traces = {"1.2": mwa.trace}
        if mwa.met:
            if chronic_migraine:
                return None, True, traces
            return Label("1.2", mwa, list(mwa.detail["attributes"])), False, traces
        if not chronic_migraine and mwa.n_met == 2:
            return Label("1.5", mwa, based_on="1.2"), False, traces
        return None, False, traces

    mwoa = primary
    traces: dict[str, Any] = {"1.1": mwoa.trace}
    if mwoa.met:
        if chronic_migraine:
            return None, True, traces
        return Label("1.1", mwoa), False, traces
    if chronic_migraine:
        # §4.4 / §4.6 / E.8: with 1.3 output no type gets 2.x, 1.5 or 2.4.
        return None, False, traces
    tth = tth_checks(t)
    traces.update({check.code: check.trace for check in tth})
    definite = next((check for check in tth if check.met), None)
    if definite is not None:
        return Label(definite.code, definite), False, traces
    if mwoa.n_met == 3:  # §4.6: 1.5 before 2.4 (migraine comes first in the hierarchy)
        return Label("1.5", mwoa, based_on="1.1"), False, traces
    probable = _tth_all_but_one(tth, _num(t.days))
    if probable is not None:
        return Label("2.4", probable, based_on=probable.code), False, traces
    return None, False, traces


def cervicogenic_blocked(red_flags: list[dict]) -> bool:
    """§4.9: suppressed by CAD-ACUTE, CAD-HISTORY, HA-TRAUMA or any URGENT / EMERGENCY headache flag."""
    for flag in red_flags:
        flag_id = flag["id"]
        if flag_id in CERVICOGENIC_BLOCKING_FLAGS:
            return True
        if flag_id.startswith("HA-") and flag.get("tier") in URGENT_OR_EMERGENCY:
            return True
    return False


@dataclass(slots=True)
class _Evaluation:
    chronic_migraine: Check  # the 1.3 check (output as a label only when met)
    labels: list[Label]  # 1.3, then the per-type labels by type_index (8.2.x come from the medication result)
    # 11.2.1 entries by type_index, already withheld when a §4.9 blocking flag fired
    cervicogenic: list[Label]
    cervicogenic_checks: list[Check]  # every 11.2.1 check evaluated (none while blocked)
    type_traces: list[dict[str, Any]]

    @property
    def reads(self) -> dict[str, Any]:
        """Every answer read to reach the output labels (the HA-UNCLASSIFIED explain inputs)."""
        reads = dict(self.chronic_migraine.inputs)
        for label in self.labels:
            reads.update(label.check.inputs)
        for check in self.cervicogenic_checks:
            reads.update(check.inputs)
        return reads


def _evaluate(a: dict, red_flags: list[dict]) -> _Evaluation:
    """§4.10 step 3: 1.3 → 1.2 / 1.1 per type → 2.3 / 2.2 / 2.1 → 1.5 / 2.4; 11.2.1 per type."""
    types = [TypeCriteria(a, i) for i in range(_n_types(a))]
    cm = check_1_3(a, types)
    chronic_migraine = cm.met
    primary: list[Check] = []  # per type: its 1.2 check with aura, else its 1.1 check
    per_type: list[tuple[Label | None, bool]] = []
    type_traces: list[dict[str, Any]] = []
    for t in types:
        check = check_1_2(t) if t.has_aura else check_1_1(t)
        label, covered, traces = classify_type(t, check, chronic_migraine)
        primary.append(check)
        per_type.append((label, covered))
        type_traces.append({"type_index": t.index, **traces})
    labels: list[Label] = []
    if chronic_migraine:
        # §4.4 PRODUCT RULE: "with aura history" where a type meets 1.2 (A–C).
        aura_history = any(check.code == "1.2" and check.met for check in primary)
        labels.append(Label("1.3", cm, ["with_aura_history"] if aura_history else []))
    for label, _ in per_type:
        if label is not None:
            labels.append(label)

    cervicogenic: list[Label] = []
    cervicogenic_checks: list[Check] = []
    if not cervicogenic_blocked(red_flags):
        for t in types:
            check = check_11_2_1(t)
            cervicogenic_checks.append(check)
            if not check.met:
                continue
            label, covered = per_type[t.index]
            # E.8: the type's own label is 1.1 or 1.2, or the type is covered by 1.3 (§4.9 criterion D wording).
            also_migraine = covered or (label is not None and label.code in ("1.1", "1.2"))
            cervicogenic.append(Label("11.2.1", check, ["migraine_criteria_also_met"] if also_migraine else []))
    return _Evaluation(cm, labels, cervicogenic, cervicogenic_checks, type_traces)


# --------------------------------------------------------------------------- output pieces


def _label_text(label: Label) -> str:
    if label.code == "11.2.1":
        return CERVICOGENIC_MIGRAINE_LABEL if label.attributes else CERVICOGENIC_LABEL
    text = LABEL_TEXTS[label.code]
    if label.code == "1.2":
        text += "".join(f"; {AURA_SUBLABELS[attribute]}" for attribute in label.attributes)
    if label.code == "1.3" and label.attributes:
        text += "; with aura history"
    return text


def _phenotype(label: Label) -> dict:
    return {
        "code": label.code,
        "label": _label_text(label),
        "certainty": "probable" if label.code in ("1.5", "2.4") else "features_consistent",
        "type_index": label.type_index,
        "attributes": list(label.attributes),
        "criteria_trace": dict(label.check.trace),
    }


def _ref(code: str) -> str:
    return CODE_REFS.get(code, "§4.5" if code.startswith("2.") else "§4.7")


def _label_explain(label: Label, not_interpreted: bool) -> dict:
    detail: dict[str, Any] = {"criteria": dict(label.check.trace), **label.check.detail}
    if label.based_on is not None:
        detail["based_on"] = label.based_on
    entry: dict[str, Any] = {
        "id": f"ICHD-{label.code}",
        "ref": _ref(label.code),
        "result": True,
        "inputs": dict(label.check.inputs),
        "type_index": label.type_index,
        "detail": detail,
    }
    if not_interpreted:
        entry["not_interpreted"] = True  # §4.10: "not interpreted: red flag present"
    return entry


def _med_explain(a: dict, code_dict: dict, not_interpreted: bool) -> dict:
    inputs: dict[str, Any] = {
        "headache_days_per_month": _num(a.get("headache_days_per_month")),
        "headache_predates_med_use": a.get("headache_predates_med_use"),
        "headache_history_months": _num(a.get("headache_history_months")),
        "med_overuse_duration": a.get("med_overuse_duration"),
        **row_inputs(a, code_dict["code"]),
    }
    entry: dict[str, Any] = {
        "id": f"ICHD-{code_dict['code']}",
        "ref": "§4.7",
        "result": True,
        "inputs": inputs,
        "type_index": None,
        "detail": {"criteria": dict(code_dict["criteria_trace"]), "attributes": list(code_dict["attributes"])},
    }
    if not_interpreted:
        entry["not_interpreted"] = True
    return entry


def _explain_entries(a: dict, evaluation: _Evaluation, med_codes: list[dict], not_interpreted: bool) -> list[dict]:
    """C.11 entries of the labels: 1.3 and the per-type labels, the 8.2.x codes, then 11.2.1."""
    entries = [_label_explain(label, not_interpreted) for label in evaluation.labels]
    for code in med_codes:
        entries.append(_med_explain(a, code, not_interpreted))
    for label in evaluation.cervicogenic:
        entries.append(_label_explain(label, not_interpreted))
    return entries


def _hints(a: dict, red_flags: list[dict]) -> list[dict]:
    """C.7: one hint per hinting flag, in red_flags order."""
    hints = []
    for flag in red_flags:
        if flag["id"] == "HA-THUNDER":
            code = "4.4"
        elif flag["id"] == "HA-PDPH":
            days_ago = a.get("procedure_days_ago")
            code = "7.2.2" if days_ago is not None and days_ago > PDPH_PERSISTENT_AFTER_DAYS else "7.2.1"
        else:
            continue
        hints.append({"code": code, "flag": flag["id"], "text": HINT_TEXTS[code]})
    return hints


def evaluate_headache(a: dict, red_flags: list[dict], med: dict) -> dict:
    """§4.1–§4.6, §4.8–§4.10. `red_flags`: the final sorted fired flags; `med`: evaluate_medication(a).

    Returns the C.1 headache keys plus this module's notes (HA-UNCLASSIFIED only) and explain entries.
    """
    if a.get("has_headache") != "yes":
        return {
            "headache_phenotype_status": "no_headache",
            "headache_phenotypes": [],
            "secondary_hint": [],
            "cervicogenic_features_reported": False,
            "headache_counts": None,
            "notes": [],
            "explain": [],
        }

    evaluation = _evaluate(a, red_flags)
    headache_counts = {
        "headache_days_per_month": _num(a.get("headache_days_per_month")),
        # E.8: derived, not asked; reported whenever there is headache, also while suppressed (contract part H).
        "migraine_days_per_month": evaluation.chronic_migraine.detail["migraine_days_per_month"],
    }
    med_codes = list(med.get("codes") or [])

    suppressing = [flag["id"] for flag in red_flags if flag["id"] in SUPPRESSING_FLAGS]
    if suppressing:
        # §4.10 step 2 / §0.2.2: no 1.x, 2.x, 8.2 or 11.2.1; hints only; computed labels kept as "not interpreted".
        explain = [
            {
                "id": "HEADACHE-SUPPRESSION",
                "ref": "§4.10",
                "result": True,
                "inputs": {},
                "detail": {"flags": suppressing},
            }
        ]
        explain += _explain_entries(a, evaluation, med_codes, True)
        return {
            "headache_phenotype_status": "suppressed_secondary_cause_to_exclude",
            "headache_phenotypes": [],
            "secondary_hint": _hints(a, red_flags),
            "cervicogenic_features_reported": False,
            "headache_counts": headache_counts,
            "notes": [],
            "explain": explain,
        }

    # C.7 order: 1.3; per-type labels by type_index; 8.2.x in code order; 11.2.1 by type_index.
    phenotypes = [_phenotype(label) for label in evaluation.labels]
    if med_codes:
        phenotypes += [dict(code) for code in sorted(med_codes, key=lambda c: _code_key(c["code"]))]
    for label in evaluation.cervicogenic:
        phenotypes.append(_phenotype(label))

    explain = _explain_entries(a, evaluation, med_codes, False)

    notes: list[dict] = []
    if not phenotypes:
        # §4.10 step 4 / C.3: evaluated and nothing met.
        notes.append(
            {"id": "HA-UNCLASSIFIED", "tier": None, "action": None, "text": UNCLASSIFIED_TEXT, "triggered_by": []}
        )
        explain.append(
            {
                "id": "HA-UNCLASSIFIED",
                "ref": "§4.10",
                "result": True,
                "inputs": evaluation.reads,
                "detail": {"types": evaluation.type_traces},
            }
        )
    return {
        "headache_phenotype_status": "evaluated",
        "headache_phenotypes": phenotypes,
        "secondary_hint": [],
        "cervicogenic_features_reported": bool(evaluation.cervicogenic),
        "headache_counts": headache_counts,
        "notes": notes,
        "explain": explain,
    }


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))
