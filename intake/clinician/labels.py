"""Display words for the codes of the summary JSON (contract part C). The screens, the print view and the PDF use
these, so a code reads the same everywhere. Wording follows reference.md: "features consistent with", never
"diagnosis" (§0.2.3); nothing says "central sensitisation present" (§3.1).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from intake.triage.instruments import INSTRUMENTS
from intake.triage.red_flags import RULE_BY_ID

FAILED = _("Summary failed — review manually")

# §0.3: overall tier (worklist order ED_NOW → SAME_DAY → URGENT_REFERRAL → ROUTINE → NONE).
TIER = {
    "ED_NOW": _("Emergency: now"),
    "SAME_DAY": _("Emergency: same day"),
    "URGENT_REFERRAL": _("Urgent referral"),
    "ROUTINE": _("Routine"),
    "NONE": _("No flags"),
}
# CSS modifier per tier (tier-ed, tier-same-day, ...); never colour alone: the label is always written.
TIER_CLASS = {
    "ED_NOW": "ed",
    "SAME_DAY": "same-day",
    "URGENT_REFERRAL": "urgent",
    "ROUTINE": "routine",
    "NONE": "none",
    "": "failed",
}
ACTION = {
    "ED_NOW": _("Emergency department now"),
    "SAME_DAY": _("Same-day clinician contact and medical assessment"),
    "URGENT_REFERRAL": _("Clinician review before any treatment; urgent referral (about 1 week)"),
    "ROUTINE_REFERRAL": _("Routine referral"),
    "NOTE": _("Note for the visit"),
}
ACTION_TO_TIER = {
    "ED_NOW": "ED_NOW",
    "SAME_DAY": "SAME_DAY",
    "URGENT_REFERRAL": "URGENT_REFERRAL",
    "ROUTINE_REFERRAL": "ROUTINE",
    "NOTE": "ROUTINE",
}
PRECAUTION = {
    "NO_MANUAL_THERAPY_REGION=lumbar": _("No manual therapy to the lumbar region until cleared"),
    "NO_MANUAL_THERAPY_REGION=thoracic": _("No manual therapy to the thoracic region until cleared"),
    "NO_CERVICAL_MANUAL_THERAPY": _("No cervical manual therapy"),
    "NO_CERVICAL_HVLA_UNTIL_CLEARED": _("No cervical high-velocity thrust (HVLA) until cleared"),
}
BACK_DURATION = {"acute": _("Acute (under 4 weeks)"), "subacute": _("Subacute (4–12 weeks)"),
                 "chronic": _("Chronic (over 12 weeks)")}
BACK_PATTERN = {
    "specific_cause_suspected": _("Specific cause suspected"),
    "radicular_features_likely": _("Radicular features likely (sciatica pattern)"),
    "radicular_features_possible": _("Radicular features possible"),
    "nonspecific_lbp": _("Non-specific low back pain"),
}
HEADACHE_STATUS = {
    "evaluated": _("Evaluated"),
    "suppressed_secondary_cause_to_exclude": _("Not interpreted: red flag present"),
    "no_headache": _("No headache reported"),
}
# §0.2.2 / §4.10 step 2: the only text shown in place of primary phenotypes while they are suppressed.
SUPPRESSION_MESSAGE = _("Features reported; secondary cause must be excluded.")
MOH = {"met": _("Criteria met"), "not_met": _("Not met"), "possible_clarify": _("Possible: clarify")}
CS_PATTERN = {
    "possible_cs_related_presentation": _("Possible CS-related presentation"),
    "not_indicated": _("Not indicated"),
    "deferred_red_flag": _("Deferred: red flag present"),
}
# §3.3 feature names; F12 carries its own fixed display wording.
CS_FEATURE = {
    "F1": _("Chronicity"),
    "F2": _("Widespread or generalised pain"),
    "F3": _("CSI 40 or more"),
    "F4": _("Reported allodynia or pain hypersensitivity"),
    "F5": _("Non-musculoskeletal sensory sensitivity"),
    "F6": _("Comorbid central sensitivity syndromes"),
    "F7": _("Sleep disturbance"),
    "F8": _("Fatigue or cognitive symptoms"),
    "F9": _("Psychological distress"),
    "F10": _("Chronic headache plus chronic back pain"),
    "F11": _("Medication overuse"),
    "F12": _("High pain and disability without identified pathology — clinician to judge disproportion "
             "(Nijs criterion 1)"),
}
FM_2016 = {
    True: _("Meets 2016 fibromyalgia criteria on self-report; for clinician confirmation"),
    False: _("2016 fibromyalgia criteria not met on self-report"),
    None: _("Not assessed (WPI or SSS not given)"),
}
MED_CLASS = {
    "paracetamol": _("Paracetamol"),
    "nsaid_aspirin": _("NSAID or aspirin"),
    "triptan": _("Triptan"),
    "ergot": _("Ergot"),
    "opioid": _("Opioid"),
    "combination": _("Combination analgesic"),
    "gepant_ditan": _("Gepant or ditan"),
    "other": _("Other"),
    "any_acute": _("Any acute medication"),
    "nonopioid_any": _("Any non-opioid analgesic"),
}


def tier_label(tier: str, failed: bool = False) -> str:
    return str(FAILED) if failed or not tier else str(TIER.get(tier, tier))


def instrument_name(score_key: str) -> str:
    if score_key == "nprs_back":
        return "NPRS (back)"
    if score_key == "nprs_head":
        return "NPRS (headache)"
    module = INSTRUMENTS.get(score_key)
    return module.NAME if module is not None else score_key


def rule_title(item_id: str) -> str:
    rule = RULE_BY_ID.get(item_id)
    return rule.title if rule is not None else ""


_INDEX = re.compile(r"\[\d*\]")


def question_of(path: str) -> str:
    """The patient's question for an answer path (`ha_types[0].side`, `med_days.triptan`), or "" when unknown."""
    try:
        from intake.questions import Q
    except ImportError:  # pragma: no cover - the wizard's wording module is optional for the dashboard
        return ""
    if path.startswith(("instruments.", "scores.")):
        head, _, tail = path.partition(".")[2].partition(".")
        key, _, rest = head.partition("[")
        item = rest.rstrip("]")
        key = {"csi_a": "csi", "csi_b": "csi"}.get(key, key)
        name = instrument_name(key) + (f", item {int(item) + 1}" if item.isdigit() else "")
        return f"{name}: {tail.replace('_', ' ')}" if tail else name
    key = _INDEX.sub("", path)
    for candidate in (key, key.replace("ha_types.aura.", "aura."), key.split(".")[-1]):
        text = Q.get(candidate)
        if text is not None:
            return str(text.label)
    return ""


def answer_of(path: str, value) -> str:
    """The patient's words for a stored answer value, falling back to the value itself."""
    try:
        from intake.questions import choice_label
    except ImportError:  # pragma: no cover
        return _plain(value)
    key = _INDEX.sub("", path).split(".")[-1]
    if isinstance(value, str):
        return str(choice_label(key, value))
    return _plain(value)


def _plain(value) -> str:
    if value is None:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) if value else "none"
    return str(value)


def plain(value) -> str:
    """A JSON value as short text: lists joined, booleans and null in words."""
    return _plain(value)


def split_fact(fact: str) -> tuple[str, str]:
    """`triggered_by` facts are written `<path>=<value>` (contract C.2)."""
    path, _, value = fact.partition("=")
    return path, value
