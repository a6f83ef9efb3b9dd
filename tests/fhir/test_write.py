"""POST /fhir/QuestionnaireResponse: another system's intake, validated, stored and triaged like the wizard's.

Invalid input gets an OperationOutcome naming every problem (4xx), and nothing is stored.
"""

from __future__ import annotations

import json

import pytest

from intake.clinician.models import AuditEvent
from intake.fhir import codes
from intake.fhir.models import PatientIdentifier, ResponseImport
from intake.models import Flag, Intake, Patient

from .conftest import assert_outcome, assert_valid, example, items_by_link, post_json, problems, qr_for, submit


def _without(resource: dict, link_id: str) -> dict:
    resource["item"] = [i for i in resource["item"] if i["linkId"] != link_id]
    return resource


def _set_answer(resource: dict, link_id: str, answer: dict) -> dict:
    items_by_link(resource)[link_id]["answer"] = [answer]
    return resource


@pytest.fixture
def nothing_stored(db):
    counts = (Intake.objects.count(), Patient.objects.count())
    yield
    assert (Intake.objects.count(), Patient.objects.count()) == counts


# ---------------------------------------------------------------- accepted
def test_it_stores_and_triages_a_response_as_the_wizard_does(writer):
    response = post_json(writer, qr_for(example("V7")))

    assert response.status_code == 201, response.content[:2000]
    intake = Intake.objects.get()
    assert intake.overall_tier == "ED_NOW"
    assert set(Flag.objects.values_list("flag_id", flat=True)) == {"HA-THUNDER", "HA-NEW-PATTERN", "HA-VALSALVA"}
    assert intake.checkins_opt_in is False
    body = assert_valid(json.loads(response.content))
    assert body["id"] == str(intake.pk)
    assert response["Link"] == f'</fhir/Bundle/summary/{intake.pk}>; rel="related"'


def test_a_new_identifier_makes_a_patient_and_the_next_response_finds_them(writer):
    post_json(writer, qr_for(example("V1", licensed=False)))
    post_json(writer, qr_for(example("V9", licensed=False)))

    patient = Patient.objects.get()
    assert patient.intakes.count() == 2
    assert PatientIdentifier.objects.get().value == "MRN-1"


def test_a_contained_patient_gives_the_new_patient_their_details(writer):
    contained = {"resourceType": "Patient", "id": "p1",
                 "identifier": [{"system": "https://ehr.example/patients", "value": "MRN-7"}],
                 "name": [{"family": "Jones", "given": ["Alex"]}], "birthDate": "1980-02-03",
                 "telecom": [{"system": "email", "value": "alex@example.org"}]}
    resource = qr_for(example("V1", licensed=False), subject={"reference": "#p1"}, contained=[contained])

    response = post_json(writer, resource)

    assert response.status_code == 201, response.content[:2000]
    patient = Patient.objects.get()
    assert (patient.first_name, patient.last_name, patient.email) == ("Alex", "Jones", "alex@example.org")
    assert str(patient.date_of_birth) == "1980-02-03"


def test_a_reference_to_one_of_our_patients_is_that_patient(writer):
    patient = Patient.objects.create(first_name="Known")
    response = post_json(writer, qr_for(example("V1", licensed=False), subject={"reference": f"Patient/{patient.pk}"}))
    assert response.status_code == 201
    assert Intake.objects.get().patient == patient


def test_posting_the_same_identified_response_twice_makes_one_intake(writer):
    identifier = {"system": "https://ehr.example/responses", "value": "R-1"}
    resource = qr_for(example("V1", licensed=False), identifier=identifier)
    first = post_json(writer, resource)
    again = post_json(writer, resource)

    assert first.status_code == 201
    issues = assert_outcome(again, 200)
    assert issues[0]["severity"] == "information"
    assert Intake.objects.count() == 1
    assert again["Location"] == first["Location"]
    assert ResponseImport.objects.get().identifier_value == "R-1"


def test_prefer_minimal_returns_no_body(writer):
    response = post_json(writer, qr_for(example("V1", licensed=False)), HTTP_PREFER="return=minimal")
    assert response.status_code == 201 and response.content == b""


def test_the_import_is_in_the_audit_trail(writer):
    post_json(writer, qr_for(example("V1", licensed=False)))
    event = AuditEvent.objects.get(action="create")
    assert event.object_id == str(Intake.objects.get().pk)
    assert event.detail["via"] == "fhir" and event.detail["api_token"]


# ---------------------------------------------------------------- rejected
def test_malformed_json_is_a_400(writer, nothing_stored):
    issues = assert_outcome(post_json(writer, b'{"resourceType": "QuestionnaireResponse",'), 400)
    assert problems(issues)[0][0] == "not_json"


@pytest.mark.parametrize("body", ['[]', '"text"', '{"resourceType": "Patient"}', "{}"])
def test_the_wrong_resource_type_is_a_400(writer, nothing_stored, body):
    issues = assert_outcome(post_json(writer, body), 400)
    assert problems(issues)[0][0] == "wrong_resource_type"


def test_a_resource_the_fhir_library_rejects_is_a_400_naming_the_element(writer, nothing_stored):
    resource = qr_for(example("V1", licensed=False))
    resource["item"][0]["answer"] = {"valueInteger": 38}  # not a list
    issues = assert_outcome(post_json(writer, resource), 400)
    assert issues[0]["expression"] == ["QuestionnaireResponse.item[0].answer"]
    del resource["status"]
    resource["item"][0]["answer"] = [{"valueInteger": 38}]
    issues = assert_outcome(post_json(writer, resource), 400)
    assert issues[0]["expression"] == ["QuestionnaireResponse.status"]
    assert problems(issues) == [("invalid_resource", "status")]


def test_unknown_link_ids_are_named(writer, nothing_stored):
    resource = qr_for(example("V1", licensed=False))
    resource["item"].append({"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]})
    items_by_link(resource)["med_days"]["item"].append({"linkId": "med_days.cannabis", "answer": [
        {"valueInteger": 3}]})
    issues = assert_outcome(post_json(writer, resource), 422)
    assert ("unknown_field", "favourite_colour") in problems(issues)
    assert ("unknown_field", "med_days.cannabis") in problems(issues)
    assert "QuestionnaireResponse.item.where(linkId='favourite_colour')" in issues[0]["expression"]


def test_a_licensed_questionnaire_without_its_pack_is_unknown(writer, nothing_stored):
    # V1 answers STarT Back and the CSI, whose wording needs the clinic's pack.
    issues = assert_outcome(post_json(writer, qr_for(example("V1", licensed=True))), 422)
    assert ("unknown_field", "instruments.startback") in problems(issues)


@pytest.mark.parametrize(("link_id", "answer", "expected"), [
    ("age", {"valueString": "38"}, "wrong_type"),
    ("age", {"valueInteger": True}, "wrong_type"),
    ("age", {"valueDecimal": 38.5}, "wrong_type"),
    ("has_back_pain", {"valueBoolean": True}, "wrong_type"),
    ("has_back_pain", {"valueCoding": {"system": codes.CS_ANSWER, "code": "maybe"}}, "not_allowed_value"),
    ("has_back_pain", {"valueCoding": {"system": "http://snomed.info/sct", "code": "yes"}},
     "not_allowed_value"),
    ("leg_pain", {"extension": [{"url": "http://example.org/x", "valueString": "x"}]}, "required"),
])
def test_wrong_answer_types_are_named(writer, nothing_stored, link_id, answer, expected):
    resource = _set_answer(qr_for(example("V1", licensed=False)), link_id, answer)
    issues = assert_outcome(post_json(writer, resource), 422)
    assert (expected, link_id) in problems(issues)
    assert any(e.startswith(f"QuestionnaireResponse.item.where(linkId='{link_id}').answer[0]")
               for i in issues for e in i.get("expression", []))


def test_missing_red_flag_answers_are_each_named(writer, nothing_stored):
    resource = qr_for(example("V7"))
    for link_id in ("onset_to_peak", "fever", "neck_stiffness"):
        resource = _without(resource, link_id)
    issues = assert_outcome(post_json(writer, resource), 422)
    found = problems(issues)
    for link_id in ("onset_to_peak", "fever", "neck_stiffness"):
        assert ("required", link_id) in found
    fever = next(i for i in issues if i["details"]["text"].startswith("fever:"))
    assert fever["code"] == "required"
    assert fever["expression"] == ["QuestionnaireResponse.item.where(linkId='fever')"]


def test_engine_errors_in_nested_groups_point_at_the_item(writer, nothing_stored):
    resource = qr_for(example("V7"))
    ha_type = items_by_link(resource)["ha_types"]
    ha_type["item"] = [i for i in ha_type["item"] if i["linkId"] != "ha_types.side"]
    _set_answer(resource, "age", {"valueInteger": 200})
    issues = assert_outcome(post_json(writer, resource), 422)
    by_field = {i["details"]["text"].split(":", 1)[0]: i for i in issues}
    assert by_field["ha_types[0].side"]["expression"] == [
        "QuestionnaireResponse.item.where(linkId='ha_types')[0].item.where(linkId='ha_types.side')"]
    assert by_field["age"]["details"]["coding"][0]["code"] == "out_of_range"


def test_an_inconsistent_intake_is_named(writer, nothing_stored):
    answers = example("V1", licensed=False)
    answers["back_pain_onset_age"] = 60  # older than the patient (contract B.14 #2)
    issues = assert_outcome(post_json(writer, qr_for(answers)), 422)
    assert ("inconsistent", "back_pain_onset_age") in problems(issues)


def test_none_of_these_cannot_be_combined(writer, nothing_stored):
    answers = example("V7")
    answers["pregnant"], answers["gestation_weeks"], answers["preeclampsia_symptoms"] = "yes", 20, ["vomiting"]
    resource = qr_for(answers)
    items_by_link(resource)["preeclampsia_symptoms"]["answer"].append(
        {"valueCoding": {"system": codes.CS_ANSWER, "code": codes.NONE_OF_THESE}})
    issues = assert_outcome(post_json(writer, resource), 422)
    assert ("inconsistent", "preeclampsia_symptoms") in problems(issues)


def test_the_questionnaire_status_and_subject_are_checked(writer, nothing_stored):
    resource = qr_for(example("V1", licensed=False), questionnaire="https://elsewhere.example/Questionnaire/phq9",
                      status="in-progress", subject={"reference": "Patient/999999"})
    found = problems(assert_outcome(post_json(writer, resource), 422))
    assert ("wrong_questionnaire", "questionnaire") in found
    assert ("wrong_status", "status") in found
    assert ("unknown_subject", "subject") in found


def test_a_subject_is_required(writer, nothing_stored):
    resource = qr_for(example("V1", licensed=False))
    del resource["subject"]
    assert ("required", "subject") in problems(assert_outcome(post_json(writer, resource), 422))


def test_other_media_types_are_refused(writer, nothing_stored):
    response = writer.post("/fhir/QuestionnaireResponse", "a=b", content_type="application/x-www-form-urlencoded")
    assert problems(assert_outcome(response, 415))[0][0] == "unsupported_media_type"


def test_a_huge_body_is_refused_unread(writer, nothing_stored):
    body = b'{"resourceType": "QuestionnaireResponse", "x": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    assert problems(assert_outcome(post_json(writer, body), 413))[0][0] == "too_large"


def test_deep_nesting_is_refused(writer, nothing_stored):
    assert_outcome(post_json(writer, "[" * 100_000 + "]" * 100_000), 400)
    assert_outcome(post_json(writer, '{"a":' * 200 + "1" + "}" * 200), 400)


def test_other_methods_get_405(writer, reader):
    assert_outcome(reader.get("/fhir/QuestionnaireResponse"), 405)
    response = writer.put("/fhir/QuestionnaireResponse/1", "{}", content_type="application/fhir+json")
    assert_outcome(response, 405)
    assert response["Allow"] == "GET"


def test_a_round_trip_of_a_wizard_intake_of_a_new_patient_keeps_the_summary(reader, writer):
    original = submit(example("V7"))
    exported = json.loads(reader.get(f"/fhir/QuestionnaireResponse/{original.pk}").content)
    exported["subject"] = {"identifier": {"system": "https://ehr.example/patients", "value": "X-9"}}
    assert post_json(writer, exported).status_code == 201
    copy = Intake.objects.exclude(pk=original.pk).get()
    assert copy.patient_id != original.patient_id and copy.summary == original.summary


def test_an_overlong_identifier_is_named_not_a_database_error(writer, nothing_stored):
    long = "x" * 300
    resource = qr_for(example("V1", licensed=False), subject={"identifier": {"system": long, "value": "1"}})
    assert ("out_of_range", "subject") in problems(assert_outcome(post_json(writer, resource), 422))
    resource = qr_for(example("V1", licensed=False), identifier={"system": "https://a.example", "value": long})
    assert ("out_of_range", "identifier") in problems(assert_outcome(post_json(writer, resource), 422))


def test_an_impossible_birth_date_is_refused_or_left_blank(writer):
    contained = {"resourceType": "Patient", "id": "p1", "birthDate": "2023-02-30",
                 "identifier": [{"system": "https://ehr.example/patients", "value": "MRN-8"}]}
    response = post_json(writer, qr_for(example("V1", licensed=False), subject={"reference": "#p1"},
                                        contained=[contained]))
    assert response.status_code in (201, 400)
    if response.status_code == 201:
        assert Patient.objects.get().date_of_birth is None
