"""Input validation of the triage contract, part B: every field, its type, and when it is required.

This table is the one place that says which questions exist and when they are asked. The patient wizard and the
FHIR Questionnaire read it too, so a question's branching is defined once. Red-flag fields (kind RF) are mandatory
whenever their section applies: a blank answer is an error, never "no" (reference.md §2.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import FieldError
from .instruments import validate_instruments
from .instruments.csi import CONDITION_CODES
from .util import is_int, is_number

YN = ("yes", "no")
RF = ("yes", "no", "not_sure")


@dataclass(frozen=True)
class Condition:
    """A "required when" condition of part B, readable by people (`text`) and by code (`test`)."""

    text: str
    test: Callable[[dict], bool]

    def __call__(self, answers: dict) -> bool:
        return self.test(answers)


def _yes(name: str) -> Callable[[dict], bool]:
    return lambda a: a.get(name) == "yes"


BACK = Condition("has_back_pain = yes", _yes("has_back_pain"))
BACK_OR_LEG = Condition(
    "has_back_pain = yes OR leg_pain = yes", lambda a: a.get("has_back_pain") == "yes" or a.get("leg_pain") == "yes"
)
LEG = Condition("leg_pain = yes", _yes("leg_pain"))
NECK = Condition("neck_pain = yes", _yes("neck_pain"))
HEADACHE = Condition("has_headache = yes", _yes("has_headache"))
NECK_OR_HEADACHE = Condition(
    "neck_pain = yes OR has_headache = yes", lambda a: a.get("neck_pain") == "yes" or a.get("has_headache") == "yes"
)

# The ten CAD-ACUTE symptom items (reference.md §2.4; contract B.5), asked "new since this neck pain or headache
# began" with no time limit.
CAD_ITEMS = (
    "vertigo_new",
    "diplopia_new",
    "dysarthria_new",
    "dysphagia_new",
    "drop_attacks_new",
    "nystagmus_new",
    "facial_numbness_new",
    "ataxia_new",
    "ptosis",
    "pulsatile_tinnitus",
)
CAD_WITHIN_14 = Condition(
    "(neck_pain = yes OR has_headache = yes) AND any CAD-ACUTE item is yes",
    lambda a: NECK_OR_HEADACHE(a) and any(a.get(f) == "yes" for f in CAD_ITEMS),
)


def _any_aura(a: dict) -> bool:
    types = a.get("ha_types")
    return isinstance(types, list) and any(isinstance(t, dict) and isinstance(t.get("aura"), dict) for t in types)


HEADACHE_WITH_AURA = Condition(
    "has_headache = yes AND some ha_types[i].aura is an object", lambda a: HEADACHE(a) and _any_aura(a)
)
HEADACHE_AGE_50 = Condition(
    "has_headache = yes AND age >= 50", lambda a: HEADACHE(a) and is_int(a.get("age")) and a["age"] >= 50
)
PREGNANT = Condition("pregnant = yes", _yes("pregnant"))
PREG_OR_POSTPARTUM = Condition(
    "pregnant = yes OR postpartum_weeks <= 6",
    lambda a: a.get("pregnant") == "yes" or (is_int(a.get("postpartum_weeks")) and a["postpartum_weeks"] <= 6),
)
MAJOR_TRAUMA = Condition("major_trauma = yes", _yes("major_trauma"))
HEAD_NECK_TRAUMA = Condition("head_neck_trauma = yes", _yes("head_neck_trauma"))
DURAL_PUNCTURE = Condition("dural_puncture_procedure = yes", _yes("dural_puncture_procedure"))
MED_ANY = Condition(
    "has_headache = yes AND med_days.any_acute >= 1",
    lambda a: (
        HEADACHE(a)
        and isinstance(a.get("med_days"), dict)
        and is_int(a["med_days"].get("any_acute"))
        and a["med_days"]["any_acute"] >= 1
    ),
)

ALWAYS = "always"
OPTIONAL = None


@dataclass(frozen=True)
class Field:
    """One input field of part B.

    kind: "enum" (values), "int" / "number" (lo, hi; None = unbounded), "codes" (a list of distinct codes from
    values), or "object" for the four nested structures validated by their own functions.
    """

    name: str
    kind: str
    required: object = ALWAYS  # ALWAYS, OPTIONAL (None) or a Condition
    values: tuple = ()
    lo: float | None = None
    hi: float | None = None
    nullable: bool = False
    section: str = ""
    rf: bool = False
    meta: dict = field(default_factory=dict)


def _rf(name: str, required, section: str) -> Field:
    return Field(name, "enum", required, RF, section=section, rf=True)


def _yn(name: str, required, section: str) -> Field:
    return Field(name, "enum", required, YN, section=section)


# ---------------------------------------------------------------- the field table, in the order of part B
FIELDS: tuple[Field, ...] = (
    # B.2 demographics and presence gates
    Field("contract_version", "enum", OPTIONAL, ("1",), section="B.2"),
    Field("age", "int", ALWAYS, lo=0, hi=120, section="B.2"),
    Field("sex", "enum", OPTIONAL, ("F", "M", "other"), section="B.2"),
    _yn("has_back_pain", ALWAYS, "B.2"),
    _yn("has_headache", ALWAYS, "B.2"),
    _yn("neck_pain", ALWAYS, "B.2"),
    # B.3 back
    Field("back_pain_duration_weeks", "int", BACK, lo=0, hi=5200, section="B.3"),
    Field("back_pain_history_months", "int", BACK, lo=0, hi=1440, section="B.3"),
    Field("back_pain_onset_age", "int", BACK, lo=0, hi=120, section="B.3"),
    Field("back_pain_days_past_6m", "enum", BACK, ("lt_half", "half_or_more"), section="B.3"),
    _rf("back_pain_new_or_changed", BACK, "B.3"),
    _rf("abdominal_pain_new", BACK, "B.3"),
    _rf("back_pain_unchanged_by_movement", BACK, "B.3"),
    _rf("thoracic_pain", BACK, "B.3"),
    _rf("night_pain_unrelenting", BACK, "B.3"),
    _rf("unexplained_weight_loss", BACK, "B.3"),
    _rf("ces_saddle_numbness", BACK_OR_LEG, "B.3"),
    _rf("ces_urinary_difficulty", BACK_OR_LEG, "B.3"),
    _rf("ces_urinary_incontinence", BACK_OR_LEG, "B.3"),
    _rf("ces_bowel_dysfunction", BACK_OR_LEG, "B.3"),
    _rf("ces_sexual_dysfunction", BACK_OR_LEG, "B.3"),
    _rf("leg_weakness_new", BACK, "B.3"),
    _rf("leg_weakness_progressing", BACK, "B.3"),
    _rf("gait_disturbance_new", BACK, "B.3"),
    _rf("sensory_change_new", BACK, "B.3"),
    _rf("fever_recent", BACK, "B.3"),
    _rf("ivdu", BACK, "B.3"),
    _rf("recent_spinal_procedure", BACK, "B.3"),
    _rf("major_trauma", BACK, "B.3"),
    Field("major_trauma_days", "int", MAJOR_TRAUMA, lo=0, hi=36500, section="B.3"),
    _rf("osteoporosis", BACK, "B.3"),
    _rf("steroids_3mo_plus", BACK, "B.3"),
    _rf("onset_sudden", BACK, "B.3"),
    _rf("minor_trauma", BACK, "B.3"),
    _rf("collapse_or_faint", BACK, "B.3"),
    _rf("known_aaa", BACK, "B.3"),
    _rf("abdominal_pulsation", BACK, "B.3"),
    _yn("axspa_night_waking", BACK, "B.3"),
    _yn("axspa_buttock_pain", BACK, "B.3"),
    _yn("axspa_improves_with_movement", BACK, "B.3"),
    _yn("axspa_nsaid_response_48h", BACK, "B.3"),
    _yn("axspa_family_history", BACK, "B.3"),
    _yn("axspa_arthritis", BACK, "B.3"),
    _yn("axspa_enthesitis", BACK, "B.3"),
    _yn("axspa_psoriasis", BACK, "B.3"),
    _yn("structural_deformity", OPTIONAL, "B.3"),
    _yn("pain_multiple_sites", OPTIONAL, "B.3"),
    # B.4 leg
    _yn("leg_pain", ALWAYS, "B.4"),
    Field("leg_pain_below_knee", "enum", BACK_OR_LEG, ("none", "left", "right", "both"), section="B.4"),
    Field("leg_vs_back", "enum", LEG, ("leg_worse", "back_worse", "equal"), section="B.4"),
    _yn("leg_paraesthesia", LEG, "B.4"),
    # B.5 neck and cervical-artery screen
    _yn("neck_stiff_reduced_movement", NECK, "B.5"),
    *(_rf(name, NECK_OR_HEADACHE, "B.5") for name in CAD_ITEMS),
    _rf("neuro_symptoms_within_14_days", CAD_WITHIN_14, "B.5"),
    _rf("cad_symptoms_older_intermittent", NECK_OR_HEADACHE, "B.5"),
    _rf("dizziness_neck_movement", NECK_OR_HEADACHE, "B.5"),
    _rf("sudden_severe_unlike_before", NECK_OR_HEADACHE, "B.5"),
    _rf("recent_neck_injury", NECK_OR_HEADACHE, "B.5"),
    _rf("recent_neck_manipulation", NECK_OR_HEADACHE, "B.5"),
    _yn("cad_rf_hypertension", NECK_OR_HEADACHE, "B.5"),
    _yn("cad_rf_high_cholesterol", NECK_OR_HEADACHE, "B.5"),
    _yn("cad_rf_connective_tissue", NECK_OR_HEADACHE, "B.5"),
    _yn("cad_rf_recent_infection", NECK_OR_HEADACHE, "B.5"),
    _yn("cad_rf_migraine", NECK_OR_HEADACHE, "B.5"),
    _yn("cad_rf_family_history", NECK_OR_HEADACHE, "B.5"),
    _yn("cad_rf_smoker", NECK_OR_HEADACHE, "B.5"),
    _yn("uci_rheumatoid_arthritis", NECK_OR_HEADACHE, "B.5"),
    _yn("uci_down_syndrome", NECK_OR_HEADACHE, "B.5"),
    _yn("uci_neck_surgery", NECK_OR_HEADACHE, "B.5"),
    # B.6 headache, patient level
    Field("headache_days_per_month", "int", HEADACHE, lo=0, hi=31, section="B.6"),
    Field("headache_freq_duration", "enum", HEADACHE, ("lt_1m", "1_3m", "gt_3m"), section="B.6"),
    Field("headache_history_months", "int", HEADACHE, lo=0, hi=1440, section="B.6"),
    Field("ha_types", "object", HEADACHE, section="B.7"),
    Field(
        "onset_to_peak",
        "enum",
        HEADACHE,
        ("seconds", "within_a_minute", "minutes", "hours", "days_or_longer", "not_sure"),
        section="B.6",
    ),
    _rf("new_headache", HEADACHE, "B.6"),
    _rf("pattern_change_3mo", HEADACHE, "B.6"),
    _rf("progressive", HEADACHE, "B.6"),
    _rf("fever", HEADACHE, "B.6"),
    _rf("neck_stiffness", HEADACHE, "B.6"),
    _rf("confusion_drowsy", HEADACHE, "B.6"),
    _rf("non_blanching_rash", HEADACHE, "B.6"),
    _rf("hemi_weakness_new", HEADACHE, "B.6"),
    _rf("hemi_numbness_new", HEADACHE, "B.6"),
    _rf("speech_difficulty_new", HEADACHE, "B.6"),
    _rf("facial_droop_new", HEADACHE, "B.6"),
    _rf("vision_loss_new", HEADACHE, "B.6"),
    _rf("seizure_new", HEADACHE, "B.6"),
    _rf("faint_new", HEADACHE, "B.6"),
    _rf("orthostatic", HEADACHE, "B.6"),
    _rf("worse_lying_or_morning", HEADACHE, "B.6"),
    _rf("vomiting", HEADACHE, "B.6"),
    _rf("transient_visual_obscurations", HEADACHE, "B.6"),
    _rf("valsalva_or_exertion_trigger", HEADACHE, "B.6"),
    _rf("pregnant", HEADACHE, "B.6"),
    Field("gestation_weeks", "int", PREGNANT, lo=0, hi=45, section="B.6"),
    Field("postpartum_weeks", "int", HEADACHE, lo=0, hi=None, nullable=True, section="B.6"),
    Field(
        "preeclampsia_symptoms",
        "codes",
        PREG_OR_POSTPARTUM,
        ("vision_blurred_or_flashing", "pain_below_ribs", "vomiting", "sudden_swelling", "not_sure"),
        section="B.6",
    ),
    _rf("head_neck_trauma", HEADACHE, "B.6"),
    Field("neck_trauma_days", "int", HEAD_NECK_TRAUMA, lo=0, hi=36500, section="B.6"),
    _rf("anticoagulant", HEADACHE, "B.6"),
    _rf("loc", HEADACHE, "B.6"),
    _rf("red_painful_eye", HEADACHE, "B.6"),
    _rf("eye_blurring_haloes", HEADACHE, "B.6"),
    _rf("ha_autonomic_features", HEADACHE, "B.6"),
    _yn("new_drug_at_onset", HEADACHE, "B.6"),
    _rf("gca_jaw_claudication", HEADACHE_AGE_50, "B.6"),
    _rf("gca_scalp_tenderness", HEADACHE_AGE_50, "B.6"),
    _rf("gca_temple_tenderness", HEADACHE_AGE_50, "B.6"),
    _rf("gca_morning_girdle_stiffness", HEADACHE_AGE_50, "B.6"),
    _rf("gca_systemic", HEADACHE_AGE_50, "B.6"),
    _rf("gca_visual", HEADACHE_AGE_50, "B.6"),
    Field("typical_aura", "codes", HEADACHE_WITH_AURA, ("visual", "sensory", "speech"), section="B.6"),
    _rf("aura_first_ever", HEADACHE_WITH_AURA, "B.6"),
    _rf("aura_limb_weakness", HEADACHE_WITH_AURA, "B.6"),
    _rf("aura_over_60min", HEADACHE_WITH_AURA, "B.6"),
    _rf("aura_started_age_50_plus", HEADACHE_WITH_AURA, "B.6"),
    _rf("aura_sudden_onset", HEADACHE_WITH_AURA, "B.6"),
    # B.9 procedures
    _rf("dural_puncture_procedure", HEADACHE, "B.9"),
    Field(
        "procedure_type",
        "enum",
        OPTIONAL,
        (
            "lumbar_puncture",
            "spinal_anaesthetic",
            "epidural_labour",
            "epidural_surgical",
            "myelogram",
            "intrathecal_injection",
            "spinal_surgery",
            "other",
        ),
        section="B.9",
    ),
    Field("procedure_days_ago", "number", DURAL_PUNCTURE, lo=0, hi=36500, section="B.9"),
    Field("procedure_to_headache_onset_days", "number", DURAL_PUNCTURE, lo=-36500, hi=36500, section="B.9"),
    _rf("pdph_no_longer_positional", DURAL_PUNCTURE, "B.9"),
    # B.10 history
    _rf("cancer_history", ALWAYS, "B.10"),
    _rf("immunosuppressed", ALWAYS, "B.10"),
    Field("diagnosed_conditions", "codes", OPTIONAL, CONDITION_CODES, section="B.10"),
    # B.11 central-sensitisation questions
    Field("allodynia_touch", "enum", OPTIONAL, ("never", "sometimes", "often", "always"), section="B.11"),
    Field("pain_hypersensitivity", "enum", OPTIONAL, ("never", "sometimes", "often", "always"), section="B.11"),
    Field("sensory_sensitivity", "enum", OPTIONAL, ("never", "sometimes", "often", "always"), section="B.11"),
    # B.12 medication
    Field("med_days", "object", ALWAYS, section="B.12"),
    Field("med_overuse_duration", "enum", MED_ANY, ("lt_1m", "1_3m", "gt_3m"), section="B.12"),
    Field("headache_predates_med_use", "enum", MED_ANY, ("yes", "no", "not_sure"), section="B.12"),
    # B.13 instruments
    Field("instruments", "object", ALWAYS, section="B.13"),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
RF_FIELDS = tuple(f.name for f in FIELDS if f.rf)

# B.7: one headache type. Keys asked of every type, then the §4.9 neck proxies asked when neck_pain = yes.
HA_TYPE_FIELDS: tuple[Field, ...] = (
    Field("attack_count_lifetime", "enum", ALWAYS, ("1", "2-4", "5-9", "10+")),
    Field("duration_untreated", "enum", ALWAYS, ("lt_30m", "30m_4h", "4h_72h", "3d_7d", "gt_7d_or_continuous")),
    Field("side", "enum", ALWAYS, ("one_side", "both_sides", "varies")),
    Field("quality", "enum", ALWAYS, ("throbbing", "pressing_tight", "other")),
    Field("intensity", "enum", ALWAYS, ("mild", "moderate", "severe")),
    _yn("worse_with_activity", ALWAYS, "B.7"),
    Field("nausea", "enum", ALWAYS, ("none", "mild", "moderate_severe")),
    _yn("vomiting", ALWAYS, "B.7"),
    _yn("photophobia", ALWAYS, "B.7"),
    _yn("phonophobia", ALWAYS, "B.7"),
    Field("aura", "object", ALWAYS, nullable=True),
    Field("triptan_relieves", "enum", ALWAYS, ("yes", "no", "not_used")),
    Field("days_per_month", "int", ALWAYS, lo=0, hi=31),
    _yn("ha_started_with_neck_problem", NECK, "B.7"),
    _yn("ha_improves_when_neck_improves", NECK, "B.7"),
    _yn("neck_movement_or_posture_triggers_ha", NECK, "B.7"),
    _yn("side_locked", NECK, "B.7"),
    _yn("neck_pressure_triggers_ha", NECK, "B.7"),
)
HA_TYPE_BY_NAME = {f.name: f for f in HA_TYPE_FIELDS}

# B.8: the aura object; every key is required when the object is present.
AURA_FIELDS: tuple[Field, ...] = (
    Field("types", "codes", ALWAYS, ("visual", "sensory", "speech", "motor", "brainstem", "retinal")),
    Field("attack_count", "enum", ALWAYS, ("1", "2-4", "5+")),
    _yn("spreads_over_5min", ALWAYS, "B.8"),
    _yn("two_or_more_in_succession", ALWAYS, "B.8"),
    _yn("each_lasts_5_60min", ALWAYS, "B.8"),
    _yn("one_sided", ALWAYS, "B.8"),
    _yn("positive", ALWAYS, "B.8"),
    _yn("headache_within_60min", ALWAYS, "B.8"),
)
AURA_BY_NAME = {f.name: f for f in AURA_FIELDS}

# B.12: the med_days object.
MED_CLASSES = ("paracetamol", "nsaid_aspirin", "triptan", "ergot", "opioid", "combination", "gepant_ditan", "other")
MED_KEYS = (*MED_CLASSES, "any_acute", "nonopioid_any")


# ---------------------------------------------------------------- value checks
def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _check_range(path: str, value, lo, hi, errors: list[FieldError]) -> bool:
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        span = f"{lo}–{hi}" if hi is not None else f"≥ {lo}"
        errors.append(FieldError(path, "out_of_range", f"{value} is outside {span}"))
        return False
    return True


def check_value(spec: Field, value, path: str, errors: list[FieldError]):
    """Check one scalar or code-list value against its spec. Returns (ok, normalised value)."""
    # Fast path for the common case (a valid enum answer or an in-range integer); the slow path explains errors.
    kind = spec.kind
    if kind == "enum":
        if value.__class__ is str and value in spec.values:
            return True, value
    elif kind == "int" and value.__class__ is int:
        if (spec.lo is None or value >= spec.lo) and (spec.hi is None or value <= spec.hi):
            return True, value
    if value is None:
        if spec.nullable:
            return True, None
        problem = "required" if spec.required is not OPTIONAL else "wrong_type"
        errors.append(
            FieldError(
                path, problem, "a blank answer is not allowed" if problem == "required" else "null is not allowed"
            )
        )
        return False, None
    if spec.kind == "enum":
        if not isinstance(value, str):
            errors.append(
                FieldError(path, "wrong_type", f"expected one of {', '.join(spec.values)}, got {_describe(value)}")
            )
            return False, None
        if value not in spec.values:
            errors.append(FieldError(path, "not_allowed_value", f"{value!r} is not one of {', '.join(spec.values)}"))
            return False, None
        return True, value
    if spec.kind == "int":
        if not is_int(value):
            errors.append(FieldError(path, "wrong_type", f"expected a whole number, got {_describe(value)}"))
            return False, None
        value = int(value)
        return _check_range(path, value, spec.lo, spec.hi, errors), value
    if spec.kind == "number":
        if not is_number(value):
            errors.append(FieldError(path, "wrong_type", f"expected a number, got {_describe(value)}"))
            return False, None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return _check_range(path, value, spec.lo, spec.hi, errors), value
    if spec.kind == "codes":
        if not isinstance(value, list):
            errors.append(FieldError(path, "wrong_type", f"expected a list of codes, got {_describe(value)}"))
            return False, None
        ok = True
        seen: set = set()
        for i, code in enumerate(value):
            if not isinstance(code, str):
                errors.append(FieldError(f"{path}[{i}]", "wrong_type", f"expected a code, got {_describe(code)}"))
                ok = False
            elif code not in spec.values:
                errors.append(
                    FieldError(f"{path}[{i}]", "not_allowed_value", f"{code!r} is not one of {', '.join(spec.values)}")
                )
                ok = False
            elif code in seen:
                errors.append(FieldError(f"{path}[{i}]", "duplicate", f"{code!r} is listed more than once"))
                ok = False
            else:
                seen.add(code)
        return ok, list(value)
    raise AssertionError(f"unknown field kind {spec.kind}")  # pragma: no cover - a bug in the table


def _check_object(
    specs: tuple[Field, ...], by_name: dict, obj: dict, path: str, answers: dict, errors: list[FieldError]
) -> dict:
    """Validate a flat object of specs; `answers` (top level) decides conditional requirements."""
    clean: dict = {}
    for key, value in obj.items():
        spec = by_name.get(key)
        if spec is not None:
            # Fast paths: a valid choice, or an in-range whole number.
            if value.__class__ is str:
                if spec.kind == "enum" and value in spec.values:
                    clean[key] = value
                    continue
            elif value.__class__ is int and spec.kind == "int" and spec.lo <= value <= spec.hi:
                clean[key] = value
                continue
        if spec is None:
            errors.append(FieldError(f"{path}.{key}", "unknown_field", f"{key!r} is not a field of this object"))
            continue
        if spec.kind == "object":
            continue  # nested objects are validated by their caller
        ok, norm = check_value(spec, value, f"{path}.{key}", errors)
        if ok:
            clean[key] = norm
    if not _NAMES_OF[id(specs)] <= obj.keys():  # only then can a required key be missing
        for spec in specs:
            if spec.name in obj:
                continue
            needed = spec.required is ALWAYS or (isinstance(spec.required, Condition) and spec.required(answers))
            if needed:
                why = "required" if spec.required is ALWAYS else f"required when {spec.required.text}"
                errors.append(FieldError(f"{path}.{spec.name}", "required", why))
    return clean


def _check_aura(value, path: str, errors: list[FieldError]):
    if value is None:
        return True, None
    if not isinstance(value, dict):
        errors.append(FieldError(path, "wrong_type", f"expected an object or null, got {_describe(value)}"))
        return False, None
    n = len(errors)
    clean = _check_object(AURA_FIELDS, AURA_BY_NAME, value, path, {}, errors)
    if "types" in clean and not clean["types"]:
        errors.append(FieldError(f"{path}.types", "wrong_length", "at least one aura type is needed"))  # B.14 #7
    return len(errors) == n, clean


def _check_ha_types(value, answers: dict, errors: list[FieldError]):
    path = "ha_types"
    if not isinstance(value, list):
        errors.append(
            FieldError(path, "wrong_type", f"expected a list of 1 or 2 headache types, got {_describe(value)}")
        )
        return False, None
    if not 1 <= len(value) <= 2:
        errors.append(FieldError(path, "wrong_length", f"expected 1 or 2 headache types, got {len(value)}"))
        return False, None
    n = len(errors)
    types = []
    for i, item in enumerate(value):
        ipath = f"{path}[{i}]"
        if not isinstance(item, dict):
            errors.append(FieldError(ipath, "wrong_type", f"expected an object, got {_describe(item)}"))
            continue
        clean = _check_object(HA_TYPE_FIELDS, HA_TYPE_BY_NAME, item, ipath, answers, errors)
        if "aura" in item:
            ok, aura = _check_aura(item["aura"], f"{ipath}.aura", errors)
            if ok:
                clean["aura"] = aura
        types.append(clean)
    return len(errors) == n, types


def _check_med_days(value, errors: list[FieldError]):
    path = "med_days"
    if not isinstance(value, dict):
        errors.append(FieldError(path, "wrong_type", f"expected an object of day counts, got {_describe(value)}"))
        return False, None
    n = len(errors)
    clean: dict = {}
    for key, v in value.items():
        if v.__class__ is int and 0 <= v <= 31 and key in MED_KEYS:
            clean[key] = v  # fast path: a plausible day count
            continue
        kpath = f"{path}.{key}"
        if key not in MED_KEYS:
            errors.append(FieldError(kpath, "unknown_field", f"{key!r} is not a medicine class"))
            continue
        if v == "not_sure" and key in MED_CLASSES:
            clean[key] = v
            continue
        if v is None:
            errors.append(FieldError(kpath, "required", "enter the number of days (0 when none)"))
            continue
        if not is_int(v):
            allowed = "a whole number of days 0–31" + (' or "not_sure"' if key in MED_CLASSES else "")
            problem = "not_allowed_value" if isinstance(v, str) else "wrong_type"
            errors.append(FieldError(kpath, problem, f"expected {allowed}, got {_describe(v)}"))
            continue
        v = int(v)
        if _check_range(kpath, v, 0, 31, errors):
            clean[key] = v
    for key in (*MED_CLASSES, "any_acute"):
        if key not in value:
            errors.append(FieldError(f"{path}.{key}", "required", "required (0 when none)"))
    return len(errors) == n, clean


# ---------------------------------------------------------------- B.14 consistency checks
def _consistency(a: dict, errors: list[FieldError]) -> None:
    if a.get("leg_pain") == "no" and a.get("leg_pain_below_knee") not in (None, "none"):
        errors.append(FieldError("leg_pain_below_knee", "inconsistent", 'must be "none" when leg_pain = no'))
    if "back_pain_onset_age" in a and "age" in a and a["back_pain_onset_age"] > a["age"]:
        errors.append(FieldError("back_pain_onset_age", "inconsistent", "onset age is greater than the current age"))
    types = a.get("ha_types") or []
    if "headache_days_per_month" in a:
        for i, t in enumerate(types):
            if "days_per_month" in t and t["days_per_month"] > a["headache_days_per_month"]:
                errors.append(
                    FieldError(
                        f"ha_types[{i}].days_per_month",
                        "inconsistent",
                        f"{t['days_per_month']} days of this type is more than headache_days_per_month "
                        f"({a['headache_days_per_month']})",
                    )
                )
    if "procedure_to_headache_onset_days" in a and "procedure_days_ago" in a:
        if a["procedure_to_headache_onset_days"] > a["procedure_days_ago"]:
            errors.append(
                FieldError(
                    "procedure_to_headache_onset_days",
                    "inconsistent",
                    "the headache cannot start after today (more than procedure_days_ago)",
                )
            )
    med = a.get("med_days")
    if isinstance(med, dict) and "any_acute" in med:
        any_acute = med["any_acute"]
        # Validated counts are ints or "not_sure"; only ints above any_acute are inconsistent (B.14 check 5).
        for key in MED_CLASSES:
            value = med.get(key)
            if value.__class__ is int and value > any_acute:
                errors.append(
                    FieldError(f"med_days.{key}", "inconsistent", f"{value} days is more than any_acute ({any_acute})")
                )
        if "nonopioid_any" in med and is_int(med.get("paracetamol")) and is_int(med.get("nsaid_aspirin")):
            lo = max(med["paracetamol"], med["nsaid_aspirin"])
            hi = min(med["paracetamol"] + med["nsaid_aspirin"], 31)
            if not lo <= med["nonopioid_any"] <= hi:
                errors.append(
                    FieldError(
                        "med_days.nonopioid_any",
                        "inconsistent",
                        f"must be between {lo} and {hi} given the paracetamol and nsaid_aspirin days",
                    )
                )
        if "nonopioid_any" in med and med["nonopioid_any"] > any_acute:
            errors.append(FieldError("med_days.nonopioid_any", "inconsistent", f"more than any_acute ({any_acute})"))
    if "typical_aura" in a:
        aura_types = {c for t in types if isinstance(t.get("aura"), dict) for c in t["aura"].get("types", [])}
        for i, code in enumerate(a["typical_aura"]):
            if code not in aura_types:
                errors.append(
                    FieldError(
                        f"typical_aura[{i}]", "inconsistent", f"{code!r} is not an aura type of any headache type"
                    )
                )
        if a.get("aura_first_ever") == "yes" and a["typical_aura"]:
            errors.append(
                FieldError(
                    "typical_aura", "inconsistent", "must be empty when aura_first_ever = yes (no usual aura yet)"
                )
            )


def _group_required() -> list[tuple[object, frozenset[str]]]:
    groups: dict[int, tuple[object, list[str]]] = {}
    for spec in FIELDS:
        if spec.required is not OPTIONAL:
            groups.setdefault(id(spec.required), (spec.required, []))[1].append(spec.name)
    return [(condition, frozenset(names)) for condition, names in groups.values()]


_REQUIRED_GROUPS = _group_required()
_NAMES_OF = {id(specs): frozenset(spec.name for spec in specs) for specs in (HA_TYPE_FIELDS, AURA_FIELDS)}
_ENUM_VALUES = {spec.name: frozenset(spec.values) for spec in FIELDS if spec.kind == "enum"}
# Integer fields with both bounds (postpartum_weeks has no upper bound and takes the general path).
_INT_BOUNDS = {
    spec.name: (spec.lo, spec.hi)
    for spec in FIELDS
    if spec.kind == "int" and spec.lo is not None and spec.hi is not None
}
FIELD_ORDER = tuple(spec.name for spec in FIELDS)


# ---------------------------------------------------------------- entry point
def validate(raw) -> tuple[dict, list[FieldError]]:
    """Validate one intake. Returns (normalised answers, errors); the answers are usable only without errors."""
    errors: list[FieldError] = []
    if not isinstance(raw, dict):
        errors.append(FieldError("", "wrong_type", f"the intake must be a JSON object, got {_describe(raw)}"))
        return {}, errors
    clean: dict = {}
    for key, value in raw.items():
        # Inline fast path: most answers are a valid choice (every intake is validated on the request path).
        if value.__class__ is str:
            allowed = _ENUM_VALUES.get(key)
            if allowed is not None and value in allowed:
                clean[key] = value
                continue
        elif value.__class__ is int:
            bounds = _INT_BOUNDS.get(key)
            if bounds is not None and bounds[0] <= value <= bounds[1]:
                clean[key] = value
                continue
        spec = FIELD_BY_NAME.get(key)
        if spec is None:
            errors.append(FieldError(key, "unknown_field", f"{key!r} is not a field of the intake"))
            continue
        if spec.kind == "object":
            continue
        ok, norm = check_value(spec, value, key, errors)
        if ok:
            clean[key] = norm
    # Nested structures need the top-level gates (neck_pain decides the §4.9 proxies of each type).
    if "ha_types" in raw:
        ok, types = _check_ha_types(raw["ha_types"], clean, errors)
        if ok:
            clean["ha_types"] = types
    if "med_days" in raw:
        ok, med = _check_med_days(raw["med_days"], errors)
        if ok:
            clean["med_days"] = med
    if "instruments" in raw:
        inst_errors = validate_instruments(raw["instruments"], "instruments")
        if inst_errors:
            errors.extend(inst_errors)
        else:
            clean["instruments"] = raw["instruments"]
    keys = raw.keys()
    for condition, names in _REQUIRED_GROUPS:
        # Each condition is evaluated once per intake, and only when one of its fields is missing.
        if names <= keys or (condition is not ALWAYS and not condition.test(clean)):
            continue
        why = "required" if condition is ALWAYS else f"required when {condition.text}"
        errors.extend(FieldError(name, "required", why) for name in FIELD_ORDER if name in names and name not in raw)
    _consistency(clean, errors)
    return clean, errors
