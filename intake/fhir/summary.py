"""The stored intake and its triage summary as FHIR resources.

- QuestionnaireResponse: the answers (response.py), id = the intake's id;
- Observation per instrument score (contract C.10): LOINC code where LOINC has the concept, always the local
  instrument-score code; the band as interpretation; the entry's other keys as components;
- Observation "overall-tier" (contract C.1), which also says when the summary failed (never "no flags");
- Flag per red flag (contract C.2): the flag ID as code, its tier as category, its action and the §0.3 priority as
  extensions, the answers that triggered it as extension triggered-by.

Scores and flags are decision support from the triage engine, not diagnoses (reference.md §0.2).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from intake.models import Intake, Patient
from intake.triage.instruments import INSTRUMENTS
from intake.triage.red_flags import RULE_BY_ID

from . import codes
from .questionnaire import canonical, intake_questionnaire
from .response import answers_to_items
from .tree import build

SURVEY = {"coding": [{"system": codes.CS_OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
SCORE_UNIT = {"system": "http://unitsofmeasure.org", "code": "{score}", "unit": "{score}"}


def base_url() -> str:
    """The FHIR base of this install, for Bundle fullUrls."""
    return settings.SITE_URL.rstrip("/") + "/fhir"


def _instant(dt) -> str:
    return dt.isoformat()


def _ref(resource_type: str, rid) -> dict:
    return {"reference": f"{resource_type}/{rid}"}


def _fhir_id(text: str) -> str:
    return text.replace("_", "-")


def patient_resource(patient: Patient) -> dict:
    identifiers = [{"system": codes.SID_PATIENT, "value": str(patient.pk)}]
    identifiers += [{"system": i.system, "value": i.value} for i in patient.fhir_identifiers.order_by("id")]
    resource: dict = {"resourceType": "Patient", "id": str(patient.pk), "identifier": identifiers}
    name = {}
    if patient.last_name:
        name["family"] = patient.last_name
    if patient.first_name:
        name["given"] = [patient.first_name]
    if name:
        resource["name"] = [name]
    if patient.email:
        resource["telecom"] = [{"system": "email", "value": patient.email}]
    if patient.date_of_birth:
        resource["birthDate"] = patient.date_of_birth.isoformat()
    return resource


def questionnaire_response(intake: Intake, packs: dict, questionnaire: dict | None = None) -> dict:
    """The intake's answers. Every stored answer is exported, also of a questionnaire whose pack was withdrawn."""
    questionnaire = questionnaire or intake_questionnaire(packs)
    root = build(packs, everything=True)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(intake.pk),
        "questionnaire": canonical(questionnaire),
        "status": "completed",
        "subject": _ref("Patient", intake.patient_id),
        "authored": _instant(intake.submitted_at),
        "source": _ref("Patient", intake.patient_id),
        "item": answers_to_items(root, intake.answers),
    }
    if not resource["item"]:
        del resource["item"]
    return resource


def _quantity_or_int(value) -> dict:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    return {"valueQuantity": {"value": value, **SCORE_UNIT}}


def _component(key: str, part: str, value) -> dict | None:
    code = {"coding": [{"system": codes.CS_SCORE_PART, "code": f"{key}.{part}"}], "text": part}
    if value is None or value == []:
        return None
    if isinstance(value, (bool, int, float)):
        return {"code": code, **_quantity_or_int(value)}
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return {"code": code, "valueString": str(value)}


def score_observation(intake: Intake, key: str, entry: dict) -> dict:
    module = INSTRUMENTS[key]
    name = module.NAME
    if key in ("nprs_back", "nprs_head"):
        name = f"{name}, {'back' if key == 'nprs_back' else 'head'}"
    coding = []
    if key in codes.LOINC_TOTALS:
        loinc, display = codes.LOINC_TOTALS[key]
        coding.append({"system": codes.LOINC, "code": loinc, "display": display})
    coding.append({"system": codes.CS_INSTRUMENT_SCORE, "code": key, "display": f"{name} total"})
    obs: dict = {
        "resourceType": "Observation",
        "id": f"{intake.pk}-score-{_fhir_id(key)}",
        "status": "final",
        "category": [SURVEY],
        "code": {"coding": coding, "text": f"{name} total"},
        "subject": _ref("Patient", intake.patient_id),
        "effectiveDateTime": _instant(intake.submitted_at),
        "derivedFrom": [_ref("QuestionnaireResponse", intake.pk)],
    }
    if key in ("nprs_back", "nprs_head"):
        obs["bodySite"] = {"text": "low back" if key == "nprs_back" else "head"}
    total = entry.get("total")
    if total is None:
        obs["dataAbsentReason"] = {"coding": [{"system": codes.CS_DATA_ABSENT_REASON, "code": "unknown"}]}
        if entry.get("not_scored"):
            obs["note"] = [{"text": f"Not scored: {entry['not_scored']}"}]
    else:
        obs.update(_quantity_or_int(total))
    if entry.get("band"):
        obs["interpretation"] = [
            {"coding": [{"system": codes.CS_SCORE_BAND, "code": entry["band"]}], "text": entry["band"]}
        ]
    components = [_component(key, part, value) for part, value in entry.items()
                  if part not in ("total", "band", "not_scored")]
    components = [c for c in components if c]
    if components:
        obs["component"] = components
    return obs


def overall_observation(intake: Intake) -> dict:
    obs: dict = {
        "resourceType": "Observation",
        "id": f"{intake.pk}-overall-tier",
        "status": "final",
        "category": [SURVEY],
        "code": {
            "coding": [{"system": codes.CS_TRIAGE_SUMMARY, "code": "overall-tier", "display": "Overall triage tier"}],
            "text": "Overall triage tier",
        },
        "subject": _ref("Patient", intake.patient_id),
        "effectiveDateTime": _instant(intake.submitted_at),
        "derivedFrom": [_ref("QuestionnaireResponse", intake.pk)],
    }
    summary = intake.summary
    if not summary:
        # design.md: a failed summary is shown as "review manually", never as "no flags".
        obs["dataAbsentReason"] = {"coding": [{"system": codes.CS_DATA_ABSENT_REASON, "code": "error"}]}
        obs["note"] = [{"text": "Summary failed — review manually."}]
        return obs
    tier = summary["overall_tier"]
    obs["valueCodeableConcept"] = {"coding": [{"system": codes.CS_OVERALL_TIER, "code": tier}], "text": tier}
    obs["extension"] = [{"url": codes.EXT_RULES_VERSION, "valueString": summary["rules_version"]}]
    obs["note"] = [{"text": "Decision support from the triage engine, not a diagnosis."}]
    return obs


def flag_resource(intake: Intake, flag: dict) -> dict:
    rule = RULE_BY_ID.get(flag["id"])
    title = rule.title if rule is not None else flag["id"]
    priority = codes.FLAG_PRIORITY.get(flag["action"], "PL")
    extensions = [
        {
            "url": codes.EXT_FLAG_PRIORITY,
            "valueCodeableConcept": {"coding": [{"system": codes.CS_FLAG_PRIORITY, "code": priority,
                                                 "display": codes.FLAG_PRIORITY_DISPLAY[priority]}]},
        },
        {"url": codes.EXT_FLAG_ACTION, "valueCoding": {"system": codes.CS_TRIAGE_ACTION, "code": flag["action"]}},
    ]
    extensions += [{"url": codes.EXT_TRIGGERED_BY, "valueString": fact} for fact in flag.get("triggered_by", [])]
    return {
        "resourceType": "Flag",
        "id": f"{intake.pk}-{flag['id']}",
        "extension": extensions,
        "status": "active",
        "category": [
            {"coding": [{"system": codes.CS_FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]},
            {"coding": [{"system": codes.CS_TRIAGE_TIER, "code": flag["tier"]}], "text": flag["tier"]},
        ],
        "code": {"coding": [{"system": codes.CS_RED_FLAG, "code": flag["id"], "display": title}], "text": title},
        "subject": _ref("Patient", intake.patient_id),
        "period": {"start": _instant(intake.submitted_at)},
    }


def summary_resources(intake: Intake) -> list[dict]:
    resources = [overall_observation(intake)]
    summary = intake.summary or {}
    resources += [score_observation(intake, key, entry) for key, entry in (summary.get("scores") or {}).items()]
    resources += [flag_resource(intake, flag) for flag in summary.get("red_flags") or []]
    return resources


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"{base_url()}/{resource['resourceType']}/{resource['id']}", "resource": resource}


def summary_bundle(intake: Intake) -> dict:
    """GET /fhir/Bundle/summary/<intake id>: the patient, the overall tier, one Observation per score, one Flag
    per red flag."""
    resources = [patient_resource(intake.patient), *summary_resources(intake)]
    return {
        "resourceType": "Bundle",
        "id": f"summary-{intake.pk}",
        "type": "collection",
        "timestamp": _instant(timezone.now()),
        "entry": [_entry(r) for r in resources],
    }


def patient_bundle(patient: Patient, packs: dict) -> dict:
    """Everything of one patient (manage.py export_fhir): the Patient, then per intake (oldest first) its
    QuestionnaireResponse and summary resources, followed by its answered check-ins (schedule order), each with its
    QuestionnaireResponse and follow-up summary resources (checkin.py)."""
    from .checkin import answered_responses, checkin_resources

    questionnaire = intake_questionnaire(packs)
    by_intake: dict[int, list] = {}
    for response in answered_responses(patient=patient):
        by_intake.setdefault(response.checkin.plan.intake_id, []).append(response)
    checkin_questionnaires: dict = {}
    resources = [patient_resource(patient)]
    for intake in patient.intakes.order_by("submitted_at", "id"):
        resources.append(questionnaire_response(intake, packs, questionnaire))
        resources += summary_resources(intake)
        resources += checkin_resources(by_intake.get(intake.pk, []), checkin_questionnaires)
    return {
        "resourceType": "Bundle",
        "id": f"patient-{patient.pk}",
        "type": "collection",
        "timestamp": _instant(timezone.now()),
        "entry": [_entry(r) for r in resources],
    }
