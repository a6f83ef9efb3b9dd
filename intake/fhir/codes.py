"""Canonical URLs, code systems and extensions of the FHIR interface (docs/fhir.md lists them).

The canonical base is the project's, not a clinic's: a QuestionnaireResponse made by one clinic's install can be
posted to another's. Only `fullUrl`s in Bundles use the clinic's own SITE_URL.
"""

from __future__ import annotations

BASE = "https://clinic-intake.example/fhir"

INTAKE_QUESTIONNAIRE_ID = "intake"
INTAKE_QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/{INTAKE_QUESTIONNAIRE_ID}"

# Local code systems.
CS_ANSWER = f"{BASE}/CodeSystem/intake-answer"  # the contract's literal answer values (contract part B)
CS_INSTRUMENT_SCORE = f"{BASE}/CodeSystem/instrument-score"  # one code per contract C.10 `scores` key
CS_SCORE_BAND = f"{BASE}/CodeSystem/score-band"  # contract C.10 band values
CS_SCORE_PART = f"{BASE}/CodeSystem/score-part"  # the extra keys of a C.10 entry (subscales, flags)
CS_RED_FLAG = f"{BASE}/CodeSystem/red-flag"  # flag IDs of contract C.2 / reference §2
CS_TRIAGE_TIER = f"{BASE}/CodeSystem/triage-tier"  # EMERGENCY, URGENT, ROUTINE (reference §0.3)
CS_TRIAGE_ACTION = f"{BASE}/CodeSystem/triage-action"  # ED_NOW, SAME_DAY, URGENT_REFERRAL, NOTE, ROUTINE_REFERRAL
CS_TRIAGE_SUMMARY = f"{BASE}/CodeSystem/triage-summary"  # summary-level observation codes (overall tier)
CS_OVERALL_TIER = f"{BASE}/CodeSystem/overall-tier"  # contract C.1 overall_tier values
CS_PROBLEM = f"{BASE}/CodeSystem/intake-problem"  # contract part D problem codes, plus the FHIR mapping's own
CS_FOLLOWUP_MEASURE = f"{BASE}/CodeSystem/followup-measure"  # check-in contract C.4 measures, and `pgic`
CS_CHANGE_STATUS = f"{BASE}/CodeSystem/change-status"  # check-in contract C.4 `status` values

# Identifier systems.
SID_PATIENT = f"{BASE}/sid/patient"  # this install's Patient primary key

# Local extensions.
EXT_RED_FLAG_QUESTION = f"{BASE}/StructureDefinition/red-flag-question"
EXT_REQUIRED_WHEN = f"{BASE}/StructureDefinition/required-when"
EXT_INSTRUMENT_COPYRIGHT = f"{BASE}/StructureDefinition/instrument-copyright"
EXT_FLAG_ACTION = f"{BASE}/StructureDefinition/flag-action"
EXT_TRIGGERED_BY = f"{BASE}/StructureDefinition/triggered-by"
EXT_RULES_VERSION = f"{BASE}/StructureDefinition/rules-version"
# Check-ins: the baseline part of an item's condition (complex: `condition` text, `combine` all|any), and the
# baseline intake a check-in response follows (valueReference to its QuestionnaireResponse).
EXT_CHECKIN_BASELINE_CONDITION = f"{BASE}/StructureDefinition/checkin-baseline-condition"
EXT_CHECKIN_BASELINE = f"{BASE}/StructureDefinition/checkin-baseline"

# Core and SDC extensions.
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
EXT_MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
EXT_OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
EXT_ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
EXT_DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
EXT_FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"
EXT_ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"

CS_ITEM_CONTROL = "http://hl7.org/fhir/questionnaire-item-control"
CS_DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
CS_OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CS_FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
CS_FLAG_PRIORITY = "http://hl7.org/fhir/flag-priority-code"
LOINC = "http://loinc.org"

# The answer an API client gives for "none of these" on a multiple-choice item: an empty contract list ([]) is an
# answer ("asked, nothing applies"), which FHIR cannot express by leaving the item out (that means "not asked").
NONE_OF_THESE = "none_of_these"
# A med_days class answered "not sure" (contract B.12): an integer item whose answer carries no value but the
# data-absent-reason "asked-unknown" (the patient was asked and does not know).
ASKED_UNKNOWN = "asked-unknown"

# LOINC codes of instrument totals, only where LOINC has the exact concept (checked against loinc.org); every
# score also carries the local code.
LOINC_TOTALS = {
    "phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
    "phq4": ("70272-0", "Patient Health Questionnaire 4 item (PHQ-4) total score [Reported]"),
    "nprs_back": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    "nprs_head": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
}
# LOINC question codes of the shipped PHQ items (the PHQ-4 reuses the GAD-2 and PHQ-2 items), in contract order.
LOINC_ITEMS = {
    "phq9": ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"),
    "gad7": ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"),
    "phq4": ("69725-0", "68509-9", "44250-9", "44255-8"),
}

# reference §0.3 tiers -> the core flag-priority codes (PH high, PM medium, PL low).
FLAG_PRIORITY = {"ED_NOW": "PH", "SAME_DAY": "PH", "URGENT_REFERRAL": "PM", "NOTE": "PL", "ROUTINE_REFERRAL": "PL"}
FLAG_PRIORITY_DISPLAY = {"PH": "High priority", "PM": "Medium priority", "PL": "Low priority"}
