"""The patient wizard's steps: which questions each step shows, and how answers become the engine's input.

Required-ness comes from `intake/triage/schema.py` (each Field's `required`: ALWAYS, OPTIONAL or a Condition);
this module never restates a clinical rule. It adds only what a form needs:

- which step a question is on, and its widget;
- `follow_up`: a hint for the browser (static/intake/wizard.js) to show a follow-up question only when the answer
  on the same step calls for it. The server ignores the hint for required-ness and evaluates the schema Condition
  on the answers instead; tests check that the hint agrees with the Condition;
- the draft format: a flat dict keyed by input name (`age`, `ha_types-0-side`, `med_days-triptan`,
  `instruments-phq9-8`), so a half-finished step can be saved; `nest()` turns it into contract-shaped answers and
  `assemble()` keeps only the questions that were asked (in step order), which is what the engine receives.

Keys of the draft starting with "_" are wizard state, never answers: `_raw` (invalid input kept to show it again),
`_done` (steps completed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.conf import settings

from intake import questions as words
from intake.content import shippable
from intake.content.packs import EXTRA_ITEMS, extra_domain, item_domain, n_items, t_score_table, validate_pack
from intake.content.packs import INPUT_KEY as PACK_INPUT_KEY
from intake.process_cache import ProcessCache
from intake.triage.instruments import sss as sss_module
from intake.triage.instruments import wpi as wpi_module
from intake.triage.instruments.csi import CONDITION_CODES
from intake.triage.schema import (
    ALWAYS,
    AURA_BY_NAME,
    BACK,
    BACK_OR_LEG,
    CAD_ITEMS,
    FIELD_BY_NAME,
    HA_TYPE_BY_NAME,
    HEADACHE,
    HEADACHE_WITH_AURA,
    MED_CLASSES,
    NECK,
    NECK_OR_HEADACHE,
    OPTIONAL,
    RF,
    YN,
    Condition,
)

MISSING = object()
MAX_TEXT = 200  # PSFS activity names
NONE_OF_THESE = "none_of_these"  # the exclusive "None of these" box of a `none_choice` check-box list


# ---------------------------------------------------------------- questions
@dataclass(frozen=True)
class Question:
    """One input. `kind` decides parsing and widget:

    enum (radio), int / number (number box), codes (check boxes, a list), tick (a yes/no field as one check box:
    unticked = "no"), booltick (a boolean as one check box), bool (a boolean as a yes/no radio), intchoice
    (questionnaire item: radio with integer values), med (a day count 0-31 or "not_sure"), text, presence
    (aura yes/no: null or an object), ui (wizard-only answer, not sent to the engine).

    `none_choice` (codes only): the list ends with an exclusive "None of these" box; ticking it is the answer []
    and nothing ticked is "not answered" (CSI part B, where [] and absent mean different things, B.13).
    """

    name: str
    path: tuple | None
    kind: str
    label: object
    help: object = ""
    choices: tuple = ()  # ((value, label), ...)
    lo: float | None = None
    hi: float | None = None
    nullable: bool = False
    rf: bool = False
    required: object = ALWAYS  # ALWAYS, OPTIONAL or a schema Condition
    follow_up: tuple = ()  # ((input name, op, value), ...): op "in" (value a tuple), "lte", "gte"
    visible: Callable[[dict], bool] | None = None  # extra web-only visibility, on nested answers
    fallback: object = MISSING  # written instead when the schema asks but `visible` hides the question
    inline: bool = False
    none_choice: bool = False

    @property
    def values(self) -> tuple:
        return tuple(v for v, _ in self.choices)


@dataclass(frozen=True)
class Group:
    """Questions shown together under one legend (a tick list, or a set of short red-flag items)."""

    key: str
    label: object
    help: object
    questions: tuple[Question, ...]
    kind: str = "group"  # "group", "ticks" (a fieldset of check boxes) or "instrument"
    instrument: str = ""  # the `instruments` input key of an instrument block
    attribution: object = ""
    policy: str = ""  # instrument blocks: "all", "all_or_none", "nullable", "ticks", "psfs"
    constant: dict = field(default_factory=dict)  # fixed keys of an instrument object (PROMIS "form")
    # Keys computed from the instrument's answered object (PROMIS "t_score" from the pack's conversion table).
    derived: Callable[[dict], dict] | None = None


def _choices(key: str, values: tuple, rf: bool = False) -> tuple:
    labels = words.RF if rf else words.CHOICES.get(key, words.YES_NO)
    return tuple((v, labels.get(v, v)) for v in values)


def _from_spec(spec, *, name: str, path: tuple, text_key: str, choices_key: str, **kw) -> Question:
    text = words.Q[text_key]
    base = {"name": name, "path": path, "label": text.label, "help": text.help, "required": spec.required}
    if spec.kind == "enum":
        inline = spec.values in (YN, RF)
        kind = "enum"
        base.update(choices=_choices(choices_key, spec.values, spec.rf), rf=spec.rf, inline=inline)
    elif spec.kind in ("int", "number"):
        kind = spec.kind
        base.update(lo=spec.lo, hi=spec.hi, nullable=spec.nullable)
    elif spec.kind == "codes":
        kind = "codes"
        base.update(choices=_choices(choices_key, spec.values))
    else:  # pragma: no cover - objects are built by their own helpers
        raise ValueError(spec.kind)
    base.update(kw)
    return Question(kind=kind, **base)


@lru_cache(maxsize=1024)  # pure, and its result is immutable: built once per process (issue #7)
def fq(name: str, **kw) -> Question:
    """A top-level contract field (B.2–B.12)."""
    return _from_spec(FIELD_BY_NAME[name], name=name, path=(name,), text_key=name, choices_key=name, **kw)


@lru_cache(maxsize=1024)  # pure, and its result is immutable: built once per process (issue #7)
def tick(name: str, text_key: str | None = None, path: tuple | None = None, required=None) -> Question:
    """A non-red-flag yes/no field asked as one check box in a tick list ("tick any that apply"; unticked = no).

    Only plain yes/no fields are asked this way; red-flag fields always get Yes / No / Not sure (§2.1).
    """
    spec_required = FIELD_BY_NAME[name].required if name in FIELD_BY_NAME else ALWAYS
    text = words.Q[text_key or name]
    return Question(
        name=name, path=path or (name,), kind="tick", label=text.label, help=text.help,
        required=spec_required if required is None else required,
    )


@lru_cache(maxsize=1024)  # pure, and its result is immutable: built once per process (issue #7)
def tq(i: int, key: str, **kw) -> Question:
    """A field of headache type i (B.7)."""
    return _from_spec(
        HA_TYPE_BY_NAME[key], name=f"ha_types-{i}-{key}", path=("ha_types", i, key),
        text_key=f"ha_types.{key}", choices_key=f"ha_types.{key}", **kw,
    )


@lru_cache(maxsize=1024)  # pure, and its result is immutable: built once per process (issue #7)
def ttick(i: int, key: str) -> Question:
    return tick(f"ha_types-{i}-{key}", f"ha_types.{key}", ("ha_types", i, key), HA_TYPE_BY_NAME[key].required)


@lru_cache(maxsize=1024)  # pure, and its result is immutable: built once per process (issue #7)
def aq(i: int, key: str) -> Question:
    """A field of the aura object of headache type i (B.8)."""
    return _from_spec(
        AURA_BY_NAME[key], name=f"ha_types-{i}-aura-{key}", path=("ha_types", i, "aura", key),
        text_key=f"aura.{key}", choices_key=f"aura.{key}",
    )


@lru_cache(maxsize=1024)  # pure, and its result is immutable: built once per process (issue #7)
def atick(i: int, key: str) -> Question:
    return tick(f"ha_types-{i}-aura-{key}", f"aura.{key}", ("ha_types", i, "aura", key), ALWAYS)


def _yes(name: str) -> tuple:
    return ((name, "in", ("yes",)),)


# ---------------------------------------------------------------- steps
@dataclass(frozen=True)
class Step:
    slug: str
    applies: Callable[[dict], bool]  # on nested answers
    build: Callable[[dict], list]  # nested answers -> blocks (Question or Group)

    @property
    def title(self):
        return words.STEPS[self.slug].label

    @property
    def intro(self):
        return words.STEPS[self.slug].help


def _always(_a: dict) -> bool:
    return True


def _group(key: str, qs, kind: str = "group") -> Group:
    text = words.GROUPS[key]
    return Group(key=key, label=text.label, help=text.help, questions=tuple(qs), kind=kind)


def _leg_yes(a: dict) -> bool:
    return a.get("leg_pain") == "yes"


def build_about(a: dict) -> list:
    return [fq("age"), fq("sex", required=OPTIONAL), fq("has_back_pain"), fq("has_headache"), fq("neck_pain"),
            fq("leg_pain")]


def build_back(a: dict) -> list:
    return [
        fq("back_pain_duration_weeks"),
        fq("back_pain_history_months"),
        fq("back_pain_onset_age"),
        fq("back_pain_days_past_6m"),
        fq("back_pain_new_or_changed"),
        fq("thoracic_pain"),
        fq("night_pain_unrelenting"),
        fq("back_pain_unchanged_by_movement"),
        fq("onset_sudden"),
        fq("minor_trauma"),
        fq("major_trauma"),
        fq("major_trauma_days", follow_up=_yes("major_trauma")),
        fq("pain_multiple_sites"),
        fq("structural_deformity"),
    ]


AXSPA = ("axspa_night_waking", "axspa_buttock_pain", "axspa_improves_with_movement", "axspa_nsaid_response_48h",
         "axspa_family_history", "axspa_arthritis", "axspa_enthesitis", "axspa_psoriasis")


def build_back_health(a: dict) -> list:
    return [
        fq("unexplained_weight_loss"),
        fq("fever_recent"),
        fq("ivdu"),
        fq("recent_spinal_procedure"),
        fq("osteoporosis"),
        fq("steroids_3mo_plus"),
        fq("abdominal_pain_new"),
        fq("collapse_or_faint"),
        fq("known_aaa"),
        fq("abdominal_pulsation"),
        _group("axspa", [tick(n) for n in AXSPA], kind="ticks"),
    ]


def build_nerves(a: dict) -> list:
    ces = ("ces_saddle_numbness", "ces_urinary_difficulty", "ces_urinary_incontinence", "ces_bowel_dysfunction",
           "ces_sexual_dysfunction")
    return [
        # B.14 #1: leg_pain_below_knee must be "none" without leg pain, so it is only asked with leg pain.
        fq("leg_pain_below_knee", visible=_leg_yes, fallback="none"),
        fq("leg_vs_back"),
        fq("leg_paraesthesia"),
        _group("ces", [fq(n) for n in ces]),
        fq("leg_weakness_new"),
        fq("leg_weakness_progressing"),
        fq("gait_disturbance_new"),
        fq("sensory_change_new"),
    ]


def build_neck(a: dict) -> list:
    return [
        fq("neck_stiff_reduced_movement"),
        _group("cad", [fq(n) for n in CAD_ITEMS]),
        fq("neuro_symptoms_within_14_days", follow_up=tuple((n, "in", ("yes",)) for n in CAD_ITEMS)),
        fq("cad_symptoms_older_intermittent"),
        fq("dizziness_neck_movement"),
        fq("sudden_severe_unlike_before"),
        fq("recent_neck_injury"),
        fq("recent_neck_manipulation"),
    ]


def _second_type_q() -> Question:
    text = words.Q["ha_second_type"]
    return Question(
        name="ha_second_type", path=None, kind="ui", label=text.label, help=text.help,
        choices=_choices("ha_second_type", YN), required=HEADACHE, inline=True,
    )


def build_headache(a: dict) -> list:
    return [
        fq("headache_days_per_month"),
        fq("headache_freq_duration"),
        fq("headache_history_months"),
        _second_type_q(),
        fq("onset_to_peak"),
        fq("new_headache"),
        fq("pattern_change_3mo"),
        fq("progressive"),
        fq("valsalva_or_exertion_trigger"),
        fq("orthostatic"),
        fq("worse_lying_or_morning"),
    ]


def _presence_q(i: int) -> Question:
    text = words.Q["ha_types.aura"]
    return Question(
        name=f"ha_types-{i}-aura", path=("ha_types", i, "aura"), kind="presence", label=text.label, help=text.help,
        choices=_choices("ha_types.aura", YN), inline=True,
    )


def build_type(i: int) -> Callable[[dict], list]:
    def build(a: dict) -> list:
        return [
            tq(i, "attack_count_lifetime"),
            tq(i, "duration_untreated"),
            tq(i, "side"),
            tq(i, "quality"),
            tq(i, "intensity"),
            tq(i, "nausea"),
            tq(i, "days_per_month"),
            tq(i, "triptan_relieves"),
            _presence_q(i),
            Group(key=f"ha_features-{i}", label=words.GROUPS["ha_features"].label,
                  help=words.GROUPS["ha_features"].help, kind="ticks",
                  questions=tuple(ttick(i, k) for k in ("worse_with_activity", "vomiting", "photophobia",
                                                         "phonophobia"))),
            Group(key=f"neck_proxies-{i}", label=words.GROUPS["neck_proxies"].label,
                  help=words.GROUPS["neck_proxies"].help, kind="ticks",
                  questions=tuple(ttick(i, k) for k in ("ha_started_with_neck_problem",
                                                         "ha_improves_when_neck_improves",
                                                         "neck_movement_or_posture_triggers_ha", "side_locked",
                                                         "neck_pressure_triggers_ha"))),
        ]

    return build


def _types(a: dict) -> list:
    types = a.get("ha_types")
    return types if isinstance(types, list) else []


def _has_aura(a: dict, i: int) -> bool:
    types = _types(a)
    return i < len(types) and isinstance(types[i], dict) and isinstance(types[i].get("aura"), dict)


def build_aura(a: dict) -> list:
    blocks: list = []
    for i in (0, 1):
        if not _has_aura(a, i):
            continue
        blocks.append(Group(
            key=f"aura-{i}", label=words.AURA_FOR_TYPE[i], help="", kind="group",
            questions=(aq(i, "types"), aq(i, "attack_count")),
        ))
        blocks.append(Group(
            key=f"aura_features-{i}", label=words.GROUPS["aura_features"].label,
            help=words.GROUPS["aura_features"].help, kind="ticks",
            questions=tuple(atick(i, k) for k in ("spreads_over_5min", "two_or_more_in_succession",
                                                   "each_lasts_5_60min", "one_sided", "positive",
                                                   "headache_within_60min")),
        ))
    blocks += [fq("typical_aura"), fq("aura_first_ever"), fq("aura_limb_weakness"), fq("aura_over_60min"),
               fq("aura_started_age_50_plus"), fq("aura_sudden_onset")]
    return blocks


def build_headache_symptoms(a: dict) -> list:
    neuro = ("hemi_weakness_new", "hemi_numbness_new", "speech_difficulty_new", "facial_droop_new", "vision_loss_new",
             "seizure_new", "faint_new")
    return [
        fq("fever"),
        fq("neck_stiffness"),
        fq("confusion_drowsy"),
        fq("non_blanching_rash"),
        _group("neuro", [fq(n) for n in neuro]),
        fq("vomiting"),
        fq("transient_visual_obscurations"),
        fq("red_painful_eye"),
        fq("eye_blurring_haloes"),
        fq("ha_autonomic_features"),
    ]


def build_headache_more(a: dict) -> list:
    gca = ("gca_jaw_claudication", "gca_scalp_tenderness", "gca_temple_tenderness", "gca_morning_girdle_stiffness",
           "gca_systemic", "gca_visual")
    procedure = _yes("dural_puncture_procedure")
    return [
        fq("head_neck_trauma"),
        fq("neck_trauma_days", follow_up=_yes("head_neck_trauma")),
        fq("loc"),
        fq("anticoagulant"),
        fq("new_drug_at_onset"),
        fq("pregnant"),
        fq("gestation_weeks", follow_up=_yes("pregnant")),
        # postpartum_weeks is required with headache but may be null: a blank box means "not in the last 6 weeks".
        fq("postpartum_weeks", hi=1000),
        fq("preeclampsia_symptoms",
           follow_up=(("pregnant", "in", ("yes",)), ("postpartum_weeks", "lte", 6))),
        fq("dural_puncture_procedure"),
        fq("procedure_type", follow_up=procedure),
        fq("procedure_days_ago", follow_up=procedure),
        fq("procedure_to_headache_onset_days", follow_up=procedure),
        fq("pdph_no_longer_positional", follow_up=procedure),
        _group("gca", [fq(n) for n in gca]),
    ]


CAD_RISK = ("cad_rf_hypertension", "cad_rf_high_cholesterol", "cad_rf_connective_tissue", "cad_rf_recent_infection",
            "cad_rf_migraine", "cad_rf_family_history", "cad_rf_smoker", "uci_rheumatoid_arthritis",
            "uci_down_syndrome", "uci_neck_surgery")


def build_health(a: dict) -> list:
    return [
        fq("cancer_history"),
        fq("immunosuppressed"),
        _group("cad_risk", [tick(n) for n in CAD_RISK], kind="ticks"),
        fq("diagnosed_conditions"),
        fq("allodynia_touch"),
        fq("pain_hypersensitivity"),
        fq("sensory_sensitivity"),
    ]


def _med_q(key: str) -> Question:
    text = words.Q[f"med_days.{key}"]
    kind = "med" if key in MED_CLASSES else "int"
    return Question(
        name=f"med_days-{key}", path=("med_days", key), kind=kind, label=text.label, help=text.help, lo=0, hi=31,
        required=OPTIONAL if key == "nonopioid_any" else ALWAYS,
    )


def build_medicines(a: dict) -> list:
    any_acute = (("med_days-any_acute", "gte", 1),)
    return [
        _group("med_days", [_med_q(k) for k in MED_CLASSES]),
        _med_q("any_acute"),
        _med_q("nonopioid_any"),
        fq("med_overuse_duration", follow_up=any_acute),
        fq("headache_predates_med_use", follow_up=any_acute),
    ]


# ---------------------------------------------------------------- questionnaires (contract B.13, reference §1.3)
# Which questionnaires apply to whom: back-specific ones with back pain, headache ones with headache, the NDI with
# neck pain. An instrument that is not asked is absent and never imputed (B.13).
RELEVANCE: dict[str, Condition | None] = {
    "nprs_back": BACK, "rmdq": BACK, "odi": BACK, "startback": BACK,
    "nprs_head": HEADACHE, "hit6": HEADACHE, "midas": HEADACHE, "id_migraine": HEADACHE,
    "ndi": NECK,
}
PACK_STEP = {"odi": "back-function", "startback": "back-function"}  # other packs: "more-questionnaires"


def shipped_questionnaires() -> tuple[str, ...]:
    return tuple(getattr(settings, "INTAKE_QUESTIONNAIRES", ()))


def _relevant(key: str, a: dict) -> bool:
    cond = RELEVANCE.get(key)
    return cond is None or bool(cond(a))


def _list_instrument(key: str, texts, options, *, kind: str = "intchoice", policy: str = "all",
                     title="", instructions="", attribution="", constant=None, pack_domain=None) -> Group:
    qs = []
    for i, text in enumerate(texts):
        name = f"instruments-{key}-{i}"
        item_options = options[i] if isinstance(options, list) else options
        if pack_domain is not None:
            domain = pack_domain(i)
            if item_options is None:
                qs.append(Question(name=name, path=("instruments", key, "items", i) if key == "midas" else
                                   ("instruments", key, i), kind="int", label=text, lo=domain["lo"], hi=domain["hi"],
                                   required=OPTIONAL if policy == "nullable" else ALWAYS))
                continue
            kind = {"int": "intchoice", "enum": "enum", "bool": "bool"}[domain["type"]]
        path = ("instruments", key, "items", i) if key in ("midas", "promis_sleep") else ("instruments", key, i)
        qs.append(Question(name=name, path=path, kind=kind, label=text, choices=tuple(item_options or ()),
                           required=OPTIONAL if policy == "nullable" else ALWAYS))
    return Group(key=f"instrument-{key}", label=title, help=instructions, questions=tuple(qs), kind="instrument",
                 instrument=key, attribution=attribution, policy=policy, constant=constant or {})


@lru_cache(maxsize=1024)  # pure, and its result is immutable: built once per process (issue #7)
def shipped_block(key: str) -> Group | None:
    if key in shippable.SHIPPED and key != "rmdq":
        data = shippable.SHIPPED[key]
        return _list_instrument(key, data["items"], data["options"], title=data["title"],
                                instructions=data["instructions"], attribution=data["attribution"])
    if key == "rmdq":
        data = shippable.RMDQ
        qs = tuple(Question(name=f"instruments-rmdq-{i}", path=("instruments", "rmdq", i), kind="booltick",
                            label=text) for i, text in enumerate(data["items"]))
        return Group(key="instrument-rmdq", label=data["title"], help=data["instructions"], questions=qs,
                     kind="instrument", instrument="rmdq", attribution=data["attribution"], policy="ticks")
    if key in ("nprs_back", "nprs_head"):
        text = words.NPRS[key]
        q = Question(name=f"instruments-{key}", path=("instruments", key), kind="intchoice", label=text.label,
                     help=text.help, choices=tuple((n, str(n)) for n in range(11)), inline=True)
        return Group(key=f"instrument-{key}", label="", help="", questions=(q,), kind="instrument", instrument=key,
                     policy="all")
    if key == "psfs":
        qs = []
        for i in range(5):
            n = i + 1
            qs.append(Question(name=f"instruments-psfs-{i}-activity", path=("instruments", "psfs", i, "activity"),
                               kind="text", label=words.format_lazy_pct(words.PSFS_ACTIVITY, n=n), required=OPTIONAL))
            qs.append(Question(name=f"instruments-psfs-{i}-score", path=("instruments", "psfs", i, "score"),
                               kind="int", lo=0, hi=10, label=words.format_lazy_pct(words.PSFS_SCORE, n=n),
                               required=OPTIONAL))
        return Group(key="instrument-psfs", label=words.PSFS.label, help=words.PSFS.help, questions=tuple(qs),
                     kind="instrument", instrument="psfs", policy="psfs")
    if key == "wpi":
        q = Question(name="instruments-wpi", path=("instruments", "wpi"), kind="codes", label=words.WPI.label,
                     help=words.WPI.help,
                     choices=tuple((code, words.WPI_AREAS[code]) for code in wpi_module.AREA_CODES))
        return Group(key="instrument-wpi", label="", help="", questions=(q,), kind="instrument", instrument="wpi",
                     policy="ticks", attribution=words.QUESTIONNAIRE_ATTRIBUTION_OWN)
    if key == "sss":
        sev = tuple(sorted(words.CHOICES["sss.severity"].items()))
        qs = [Question(name=f"instruments-sss-{k}", path=("instruments", "sss", k), kind="intchoice",
                       label=words.SSS_ITEMS[k].label, choices=sev) for k in sss_module.SEVERITY_KEYS]
        qs += [Question(name=f"instruments-sss-{k}", path=("instruments", "sss", k), kind="booltick",
                        label=words.SSS_ITEMS[k].label) for k in sss_module.SYMPTOM_KEYS]
        qs.append(Question(name="instruments-sss-symptoms_3mo_plus", path=("instruments", "sss", "symptoms_3mo_plus"),
                           kind="bool", label=words.SSS_ITEMS["symptoms_3mo_plus"].label,
                           choices=((True, words.YES_NO["yes"]), (False, words.YES_NO["no"])), inline=True))
        return Group(key="instrument-sss", label=words.SSS.label, help=words.SSS_ITEMS["symptoms"].help,
                     questions=tuple(qs), kind="instrument", instrument="sss", policy="all",
                     attribution=words.QUESTIONNAIRE_ATTRIBUTION_OWN)
    return None


def _load_active_packs() -> dict:
    from intake.models import ContentPack

    packs = {}
    for pack in ContentPack.objects.filter(active=True).order_by("instrument", "-uploaded_at"):
        if pack.instrument not in packs and not validate_pack(pack.instrument, pack.content):
            packs[pack.instrument] = pack
    return packs


_PACKS: ProcessCache | None = None


def active_packs() -> dict:
    """Valid, active content packs by instrument key (a selector; an invalid pack is ignored, never half-shown).
    Kept per process for CLINIC_SETTINGS_CACHE_SECONDS (intake/process_cache.py); callers must not change it."""
    global _PACKS
    if _PACKS is None:
        from intake.models import ContentPack

        _PACKS = ProcessCache(_load_active_packs, ContentPack)
    return dict(_PACKS.get())


def _extra_item(instrument: str, key: str, item: dict) -> Question:
    """MIDAS item A or B from the pack's wording: optional (left out when blank), unscored (§1.2.7)."""
    domain = extra_domain(instrument, key)
    common = {"name": f"instruments-{PACK_INPUT_KEY[instrument]}-{key}",
              "path": ("instruments", PACK_INPUT_KEY[instrument], key), "label": item["text"],
              "help": words.OPTIONAL_ITEM, "required": OPTIONAL}
    if "options" in item:
        return Question(kind="intchoice", choices=tuple((o["value"], o["label"]) for o in item["options"]), **common)
    return Question(kind="int", lo=domain["lo"], hi=domain["hi"], **common)


def _t_score_from(table: dict, count: int) -> Callable[[dict], dict]:
    """PROMIS Sleep Disturbance: the T-score of the raw sum, from the pack's official table (§1.2.19)."""

    def derive(answered: dict) -> dict:
        items = answered.get("items")
        if not isinstance(items, list) or len(items) != count or any(type(v) is not int for v in items):
            return {}  # incomplete: the step's own checks report it, and no T-score is made up
        t_score = table.get(sum(items))
        return {} if t_score is None else {"t_score": t_score}

    return derive


def pack_block(pack) -> Group:
    content = pack.content
    key = PACK_INPUT_KEY[pack.instrument]
    count = n_items(pack.instrument, content)
    shared = content.get("options")
    texts, options = [], []
    for item in content["items"]:
        texts.append(item["text"])
        opts = item.get("options", shared)
        options.append(None if opts is None else [(o["value"], o["label"]) for o in opts])

    def domain(i: int) -> dict:
        return item_domain(pack.instrument, i, count)

    nullable = domain(0)["type"] == "int" and domain(0).get("nullable")
    constant = {"form": content["form"]} if pack.instrument == "promis_sleep" else {}
    block = _list_instrument(key, texts, options, title=content["title"], instructions=content.get("instructions", ""),
                             attribution=pack.copyright_notice, policy="nullable" if nullable else "all",
                             constant=constant, pack_domain=domain)
    extras = tuple(_extra_item(pack.instrument, k, content[k]) for k in EXTRA_ITEMS.get(pack.instrument, ())
                   if k in content)
    table = t_score_table(content) if pack.instrument == "promis_sleep" else None
    if extras or table:
        block = replace(block, questions=block.questions + extras,
                        derived=_t_score_from(table, count) if table else None)
    return block


def csi_b_block() -> Group:
    """CSI part B (contract B.13 `csi_b`), asked after part A in own words: the conditions a doctor has diagnosed,
    with "None of these" so that [] can be sent; nothing ticked is "not answered" (absent)."""
    text = words.CSI_B
    q = Question(name="instruments-csi_b", path=("instruments", "csi_b"), kind="codes", label=text.label,
                 help=text.help, choices=_choices("diagnosed_conditions", CONDITION_CODES), required=OPTIONAL,
                 none_choice=True)
    return Group(key="instrument-csi_b", label="", help="", questions=(q,), kind="instrument", instrument="csi_b",
                 policy="ticks")


def pack_blocks(pack) -> list[Group]:
    """The blocks a content pack adds: its questionnaire, and for the CSI part B right after part A."""
    blocks = [pack_block(pack)]
    if pack.instrument == "csi":
        blocks.append(csi_b_block())
    return blocks


def questionnaire_blocks(step_slug: str, a: dict, packs: dict | None = None) -> list:
    blocks = []
    groups = {
        "pain": ("nprs_back", "nprs_head", "psfs"),
        "back-function": ("rmdq",),
        "mood": ("phq9", "gad7", "phq4"),
        "body": ("wpi", "sss"),
        "more-questionnaires": (),
    }
    wanted = shipped_questionnaires()
    for key in groups[step_slug]:
        if key in wanted and _relevant(key, a):
            blocks.append(shipped_block(key))
    if packs is None:
        packs = active_packs()
    for instrument, pack in sorted(packs.items()):
        if PACK_STEP.get(instrument, "more-questionnaires") == step_slug and _relevant(instrument, a):
            blocks.extend(pack_blocks(pack))
    return blocks


def _questionnaire_step(slug: str) -> Step:
    def build(a: dict, packs: dict | None = None) -> list:
        return questionnaire_blocks(slug, a, packs)

    return Step(slug, lambda a, packs=None: bool(questionnaire_blocks(slug, a, packs)), build)


def _second(a: dict) -> bool:
    return HEADACHE(a) and a.get("_ha_second_type") == "yes"


STEPS: tuple[Step, ...] = (
    Step("about", _always, build_about),
    Step("back", BACK, build_back),
    Step("back-health", BACK, build_back_health),
    Step("nerves", BACK_OR_LEG, build_nerves),
    Step("neck", NECK_OR_HEADACHE, build_neck),
    Step("headache", HEADACHE, build_headache),
    Step("headache-main", HEADACHE, build_type(0)),
    Step("headache-second", _second, build_type(1)),
    Step("aura", HEADACHE_WITH_AURA, build_aura),
    Step("headache-symptoms", HEADACHE, build_headache_symptoms),
    Step("headache-more", HEADACHE, build_headache_more),
    Step("health", _always, build_health),
    Step("medicines", _always, build_medicines),
    _questionnaire_step("pain"),
    _questionnaire_step("back-function"),
    _questionnaire_step("mood"),
    _questionnaire_step("body"),
    _questionnaire_step("more-questionnaires"),
)
STEP_BY_SLUG = {s.slug: s for s in STEPS}
QUESTIONNAIRE_STEPS = {"pain", "back-function", "mood", "body", "more-questionnaires"}


def step_applies(step: Step, a: dict, packs: dict | None = None) -> bool:
    if step.slug in QUESTIONNAIRE_STEPS:
        return step.applies(a, packs)
    return bool(step.applies(a))


def step_blocks(step: Step, a: dict, packs: dict | None = None) -> list:
    if step.slug in QUESTIONNAIRE_STEPS:
        return step.build(a, packs)
    return step.build(a)


def flatten(blocks) -> list[Question]:
    out = []
    for block in blocks:
        if isinstance(block, Group):
            out.extend(block.questions)
        else:
            out.append(block)
    return out


# ---------------------------------------------------------------- nesting and assembly
def _set(target, path: tuple, value, sizes: dict) -> None:
    """Set `value` at `path` in nested dicts/lists, creating containers (lists padded with None or {}).
    (nest() calls this some hundred times a request: written for speed, tests/web/test_nesting.py checks it.)"""
    node = target
    for depth in range(len(path) - 1):
        key, nxt = path[depth], path[depth + 1]
        if isinstance(node, list):
            while len(node) <= key:
                node.append({} if isinstance(nxt, str) else None)
            child = node[key]
            if not isinstance(child, (dict, list)):
                child = node[key] = [] if isinstance(nxt, int) else {}
            node = child
        else:
            child = node.get(key)
            if not isinstance(child, (dict, list)):
                child = node[key] = [] if isinstance(nxt, int) else {}
            node = child
            if isinstance(node, list):
                size = sizes.get(path[: depth + 1])
                if size:
                    while len(node) < size:
                        node.append(None)
    last = path[-1]
    if isinstance(node, list):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def question_index(packs: dict) -> dict[str, Question]:
    """Every question that can exist (all steps, both headache types, every questionnaire), by input name."""
    everyone = {"has_back_pain": "yes", "has_headache": "yes", "neck_pain": "yes", "leg_pain": "yes"}
    index: dict[str, Question] = {}
    for step in STEPS:
        if step.slug == "aura":
            blocks = build_aura({"ha_types": [{"aura": {}}, {"aura": {}}]})
        else:
            blocks = step_blocks(step, everyone, packs)
        for q in flatten(blocks):
            index[q.name] = q
    return index


_SIZES: dict[int, tuple[dict, dict, int]] = {}


def _list_sizes(names: dict[str, Question]) -> dict:
    """The length of each questionnaire's item list, from the questions that exist. It depends on `names` only, and
    `nest` runs dozens of times a request (assemble), so it is kept per `names` object (issue #7, bench/load.py)."""
    entry = _SIZES.get(id(names))
    if entry is not None and entry[0] is names and len(names) == entry[2]:
        return entry[1]
    sizes: dict = {}
    for q in names.values():
        if q.path and q.path[0] == "instruments" and isinstance(q.path[-1], int):
            parent = q.path[:-1]
            sizes[parent] = max(sizes.get(parent, 0), q.path[-1] + 1)
    if len(_SIZES) > 32:
        _SIZES.clear()
    _SIZES[id(names)] = (names, sizes, len(names))
    return sizes


def nest(flat: dict, names: dict[str, Question]) -> dict:
    """Contract-shaped answers from a flat draft (every answer kept; nothing decided about scope here)."""
    out: dict = {}
    sizes = _list_sizes(names)
    # Aura presence first, so that the aura's own keys land in an object (or are dropped with "no").
    ordered = sorted(flat.items(), key=lambda kv: 0 if kv[0].endswith("-aura") else 1)
    for name, value in ordered:
        _nest_one(out, name, value, names, sizes)
    psfs = (out.get("instruments") or {}).get("psfs")
    if isinstance(psfs, list):
        rows = [r for r in psfs if isinstance(r, dict) and r]
        if rows:
            out["instruments"]["psfs"] = rows
        else:
            del out["instruments"]["psfs"]
    return out


def _nest_one(out: dict, name: str, value, names: dict[str, Question], sizes: dict) -> None:
    """Put one flat answer into `out` (nest's step for one key)."""
    q = names.get(name)
    if q is None or q.path is None:
        if name == "ha_second_type":
            out["_ha_second_type"] = value
        return
    if q.kind == "presence":
        if value == "yes":
            types = out.setdefault("ha_types", [])
            i = q.path[1]
            while len(types) <= i:
                types.append({})
            if not isinstance(types[i].get("aura"), dict):
                types[i]["aura"] = {}
        elif value == "no":
            _set(out, q.path, None, sizes)
        return
    if len(q.path) >= 4 and q.path[2] == "aura":
        i = q.path[1]
        types = out.get("ha_types") or []
        if not (i < len(types) and isinstance(types[i], dict) and isinstance(types[i].get("aura"), dict)):
            return
    if q.kind == "tick":
        value = "yes" if value in ("yes", True) else "no"
    _set(out, q.path, value, sizes)


class _GrowingNest:
    """nest() of a flat dict that mostly grows (assemble's loop adds each step's answers to the earlier ones):
    a superset of the last flat dict, with the last values unchanged, is nested by adding only the new keys to the
    last result (issue #7: assemble re-nested every answer for every step). Anything else, and any batch where the
    order of keys could matter (an aura's presence after its details, the PSFS rows nest() tidies at the end), is
    nested afresh. The result of a call is changed in place by the next call: use it before calling again.
    Tests compare it with nest() on every step of the examples and of generated drafts."""

    def __init__(self, names: dict[str, Question]):
        self.names = names
        self.sizes = _list_sizes(names)
        self.flat: dict | None = None
        self.out: dict = {}
        self.aura_details = self.psfs = False

    def __call__(self, flat: dict) -> dict:
        last = self.flat
        if last is not None and last.items() <= flat.items():
            extra = flat.keys() - last.keys()
            if not extra:
                return self.out
            if self._additive(extra):
                # Aura presence first (as nest); the rest in a fixed order (the order of other keys does not matter).
                for name in sorted(extra, key=lambda k: (0 if k.endswith("-aura") else 1, k)):
                    _nest_one(self.out, name, flat[name], self.names, self.sizes)
                self.flat = dict(flat)
                return self.out
        self.flat, self.out = dict(flat), nest(flat, self.names)
        self._note(flat.keys())
        return self.out

    def _note(self, keys) -> None:
        for name in keys:
            if "-aura-" in name:
                self.aura_details = True
            elif name.startswith("instruments-psfs-"):
                self.psfs = True

    def _additive(self, extra) -> bool:
        if self.psfs:
            return False
        for name in extra:
            if name.startswith("instruments-psfs-") or self.aura_details and name.endswith("-aura"):
                return False
        self._note(extra)
        return True


def _hint_true(q: Question, flat: dict) -> bool:
    for name, op, value in q.follow_up:
        got = flat.get(name)
        if op == "in" and got in value:
            return True
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            continue
        if (op == "lte" and got <= value) or (op == "gte" and got >= value):
            return True
    return False


def _witness(op: str, value):
    return value[0] if op == "in" else value


def could_apply(q: Question, flat: dict, names: dict, a: dict | None = None) -> bool:
    """Whether a question belongs on the page given the other steps' answers (same-step follow-ups: if some
    answer on this step would call for it; the browser then shows it only when that answer is given).
    `a`: nest(flat, names), when the caller has it (a page asks this of every question)."""
    a = nest(flat, names) if a is None else a
    if q.visible is not None and not q.visible(a):
        return False
    if not q.follow_up:
        return not isinstance(q.required, Condition) or q.required(a)
    if not isinstance(q.required, Condition):
        return True
    for name, op, value in q.follow_up:
        if q.required(nest({**flat, name: _witness(op, value)}, names)):
            return True
    return False


def is_asked(q: Question, flat: dict, names: dict, a: dict | None = None) -> bool:
    """Whether the question is asked, given every answer (including this step's)."""
    a = nest(flat, names) if a is None else a
    if q.visible is not None and not q.visible(a):
        return False
    if isinstance(q.required, Condition):
        return bool(q.required(a))
    if q.follow_up:
        return _hint_true(q, flat)
    return True


def is_required(q: Question, asked: bool) -> bool:
    # A plain check-box list left blank is an answer ([]); one with "None of these" needs a tick to be answered.
    return asked and q.required is not OPTIONAL and (q.kind not in ("tick", "booltick", "codes") or q.none_choice)


def applicable_steps(flat: dict, names: dict, packs: dict | None = None) -> list[Step]:
    """The steps this patient is asked, in order, judged on the answers kept so far (see `assemble`)."""
    return assemble(flat, names, packs)[1]


class Assembly(tuple):
    """What assemble() returns: (engine answers, applicable steps, kept flat answers), and `kept_nested`: nest() of
    the kept answers as the steps were judged on them (what step_blocks() reads; not to be changed)."""

    kept_nested: dict


def assemble(flat: dict, names: dict, packs: dict | None = None) -> Assembly:
    """Keep only what was asked, step by step: (engine answers, applicable steps, kept flat answers).

    A step's scope is judged on the answers kept from the steps before it, so an answer left over from a section
    that no longer applies (the patient changed "back pain" to no) is never sent and never opens another section.
    """
    kept: dict = {}
    steps: list[Step] = []
    derived: dict[str, Callable[[dict], dict]] = {}
    # Each step is judged on the answers kept so far, which grow step by step: nested incrementally (issue #7).
    nested = _GrowingNest(names)

    for step in STEPS:
        a = nested(kept)
        if not step_applies(step, a, packs):
            continue
        steps.append(step)
        blocks = step_blocks(step, a, packs)
        qs = flatten(blocks)
        step_flat = {**kept}
        for q in qs:
            if q.name in flat:
                step_flat[q.name] = flat[q.name]
        sa = nested(step_flat)
        for q in qs:
            if is_asked(q, step_flat, names, sa):
                if q.name in flat:
                    kept[q.name] = flat[q.name]
            elif q.fallback is not MISSING and isinstance(q.required, Condition) and q.required(sa):
                kept[q.name] = q.fallback
            elif q.fallback is not MISSING and q.required is ALWAYS:
                kept[q.name] = q.fallback
        for block in blocks:
            if not isinstance(block, Group) or not any(q.name in kept for q in block.questions):
                continue
            for k, v in block.constant.items():
                kept[f"_const-{block.instrument}-{k}"] = v
            if block.derived is not None:
                derived[block.instrument] = block.derived
    answers = nest(kept, names)
    answers.pop("_ha_second_type", None)
    for key, value in kept.items():
        if key.startswith("_const-"):
            _, instrument, k = key.split("-", 2)
            answers.setdefault("instruments", {}).setdefault(instrument, {})[k] = value
    for instrument, derive in derived.items():
        answered = (answers.get("instruments") or {}).get(instrument)
        if isinstance(answered, dict):
            answered.update(derive(answered))
    if "med_days" in answers:
        # B.12: nonopioid_any is optional; a blank box is left out.
        answers["med_days"] = {k: v for k, v in answers["med_days"].items() if v is not None}
    answers.setdefault("instruments", {})
    result = Assembly((answers, steps, kept))
    result.kept_nested = nested(kept)  # the growing nest's last result: no further call changes it
    return result


def crisis_answer_given(flat: dict) -> bool:
    """PHQ-9 item 9 answered "several days" or more: crisis resources are shown at once (reference.md §2.5)."""
    value = flat.get("instruments-phq9-8")
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _get(answers, path: tuple):
    node = answers
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return MISSING
        elif not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node


def to_flat(answers: dict, names: dict[str, Question]) -> dict:
    """The flat draft form of contract-shaped answers (the inverse of `nest`; used for demo data and tests)."""
    flat: dict = {}
    for name, q in names.items():
        if q.path is None:
            continue
        value = _get(answers, q.path)
        if value is MISSING:
            continue
        if q.kind == "presence":
            value = "yes" if isinstance(value, dict) else "no"
        flat[name] = value
    if answers.get("has_headache") == "yes":
        flat["ha_second_type"] = "yes" if len(answers.get("ha_types") or []) == 2 else "no"
    return flat


def error_input_name(path: str, names: set[str]) -> str | None:
    """The input that an engine error path (C.2 syntax, e.g. `ha_types[0].aura.types`) belongs to."""
    name = path.replace("[", "-").replace("]", "").replace(".", "-")
    while name:
        if name in names:
            return name
        prefixed = sorted(n for n in names if n.startswith(name + "-"))
        if prefixed:
            return prefixed[0]
        if "-" not in name:
            return None
        name = name.rsplit("-", 1)[0]
    return None
