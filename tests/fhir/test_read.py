"""GET /fhir/QuestionnaireResponse/<id> and GET /fhir/Bundle/summary/<id>: a stored intake and its summary."""

from __future__ import annotations

import json

import pytest

from intake.clinician.models import AuditEvent
from intake.fhir import codes
from intake.models import Intake, Patient

from .conftest import assert_outcome, assert_valid, example, submit


def _bundle(client, intake) -> dict:
    response = client.get(f"/fhir/Bundle/summary/{intake.pk}")
    assert response.status_code == 200, response.content[:2000]
    return assert_valid(json.loads(response.content))


def _resources(bundle: dict, resource_type: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


def _coding(concept: dict, system: str) -> str | None:
    return next((c["code"] for c in concept["coding"] if c["system"] == system), None)


def test_it_serves_an_intake_as_a_valid_questionnaire_response(reader):
    intake = submit(example("V11", licensed=False))
    response = reader.get(f"/fhir/QuestionnaireResponse/{intake.pk}")
    body = assert_valid(json.loads(response.content))
    assert body["status"] == "completed"
    assert body["subject"] == {"reference": f"Patient/{intake.patient_id}"}
    assert body["questionnaire"].startswith(codes.INTAKE_QUESTIONNAIRE_URL + "|")
    assert {i["linkId"] for i in body["item"]} >= {"age", "has_headache", "ha_types", "med_days", "instruments"}


def test_it_exports_a_licensed_questionnaire_even_after_its_pack_is_withdrawn(reader, load_packs):
    packs = load_packs("csi")
    intake = submit(example("V11"))
    packs["csi"].active = False
    packs["csi"].save()
    body = assert_valid(json.loads(reader.get(f"/fhir/QuestionnaireResponse/{intake.pk}").content))
    instruments = next(i for i in body["item"] if i["linkId"] == "instruments")
    assert "instruments.csi_a" in {i["linkId"] for i in instruments["item"]}


@pytest.mark.parametrize("raw_id", ["999999", "abc", "0", "-1", "1.0", "１"])
def test_an_unknown_id_is_a_404_outcome(reader, raw_id):
    assert_outcome(reader.get(f"/fhir/QuestionnaireResponse/{raw_id}"), 404)
    assert_outcome(reader.get(f"/fhir/Bundle/summary/{raw_id}"), 404)


def test_unknown_endpoints_are_404_outcomes(reader):
    assert_outcome(reader.get("/fhir/Patient/1"), 404)
    assert_outcome(reader.get("/fhir/"), 404)


def test_reads_are_in_the_audit_trail(reader, clinician_client):
    intake = submit(example("V7"))
    reader.get(f"/fhir/QuestionnaireResponse/{intake.pk}")
    clinician_client.get(f"/fhir/Bundle/summary/{intake.pk}")
    token_event, user_event = AuditEvent.objects.filter(action="view").order_by("id")
    assert token_event.object_id == str(intake.pk) and token_event.patient_pk == intake.patient_id
    assert token_event.detail["resource"] == "QuestionnaireResponse" and token_event.detail["api_token"]
    assert user_event.username.startswith("fhir-Clinician")


def test_the_summary_has_one_observation_per_score_with_loinc_where_it_exists(reader, load_packs):
    load_packs()
    intake = submit(example("V4"))
    bundle = _bundle(reader, intake)
    scores = {_coding(o["code"], codes.CS_INSTRUMENT_SCORE): o for o in _resources(bundle, "Observation")
              if _coding(o["code"], codes.CS_INSTRUMENT_SCORE)}
    assert set(scores) == set(intake.summary["scores"])
    assert _coding(scores["phq9"]["code"], codes.LOINC) == "44261-6"
    assert _coding(scores["gad7"]["code"], codes.LOINC) == "70274-6"
    assert _coding(scores["hit6"]["code"], codes.LOINC) is None  # no LOINC concept: the local code only
    assert scores["phq9"]["valueInteger"] == intake.summary["scores"]["phq9"]["total"]
    assert _coding(scores["phq9"]["interpretation"][0], codes.CS_SCORE_BAND) == intake.summary["scores"]["phq9"]["band"]
    assert scores["phq9"]["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{intake.pk}"}]
    item9 = next(c for c in scores["phq9"]["component"] if c["code"]["coding"][0]["code"] == "phq9.item9")
    assert item9["valueInteger"] == 0
    assert "valueQuantity" in scores["odi"]  # a percentage with a decimal


def test_the_summary_has_one_flag_per_red_flag_with_its_tier(reader):
    intake = submit(example("V7"))
    bundle = _bundle(reader, intake)
    flags = {_coding(f["code"], codes.CS_RED_FLAG): f for f in _resources(bundle, "Flag")}
    assert set(flags) == {"HA-THUNDER", "HA-NEW-PATTERN", "HA-VALSALVA"}
    thunder = flags["HA-THUNDER"]
    assert _coding(thunder["category"][1], codes.CS_TRIAGE_TIER) == "EMERGENCY"
    extensions = {e["url"]: e for e in thunder["extension"]}
    assert extensions[codes.EXT_FLAG_ACTION]["valueCoding"]["code"] == "ED_NOW"
    assert extensions[codes.EXT_FLAG_PRIORITY]["valueCodeableConcept"]["coding"][0]["code"] == "PH"
    assert extensions[codes.EXT_TRIGGERED_BY]["valueString"] == "onset_to_peak=seconds"
    overall = next(o for o in _resources(bundle, "Observation") if o["id"].endswith("overall-tier"))
    assert overall["valueCodeableConcept"]["coding"][0]["code"] == "ED_NOW"
    assert _resources(bundle, "Patient")[0]["id"] == str(intake.patient_id)


def test_a_failed_summary_says_review_manually_never_no_flags(reader):
    now = Intake._meta.get_field("submitted_at").default()
    patient = Patient.objects.create(first_name="Failed")
    intake = Intake.objects.create(patient=patient, answers=example("V7"), summary=None, triage_status="failed",
                                   triage_error="boom", tier_rank=9, privacy_accepted_at=now)
    bundle = _bundle(reader, intake)
    overall = _resources(bundle, "Observation")[0]
    assert overall["dataAbsentReason"]["coding"][0]["code"] == "error"
    assert "review manually" in overall["note"][0]["text"]
    assert _resources(bundle, "Flag") == []


def test_an_unscored_questionnaire_has_a_data_absent_reason(reader, load_packs):
    load_packs("csi")
    answers = example("V11")
    answers["instruments"]["csi_a"] = [None] * 5 + [1] * 20  # 5 missing: not scored (reference §1.2.1)
    intake = submit(answers)
    csi = next(o for o in _resources(_bundle(reader, intake), "Observation") if o["id"].endswith("score-csi"))
    assert csi["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert csi["note"][0]["text"].startswith("Not scored")
