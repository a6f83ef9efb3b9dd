"""Who may use each /fhir/ endpoint (personas in conftest.py), and that nobody else sees a patient's data."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from intake.checkins.models import CheckInResponse
from intake.clinician.roles import CLINICIAN, FRONT_DESK
from intake.fhir.models import READ, WRITE
from intake.models import Intake

from .conftest import (
    FHIR_JSON,
    PERSONAS,
    answered_checkin,
    assert_outcome,
    example,
    make_token,
    make_user,
    persona_client,
    post_json,
    qr_for,
    submit,
    token_client,
)

ALLOWED = {"clinician", "practice admin", "token with scope"}
EXPECTED = {"anonymous": 401, "front desk": 403, "token without scope": 403, "token other scope": 403}
SECRET_NAME = "Zebedee-Quintessa"  # in the patient's record; must never appear in a refused answer

ENDPOINTS = {
    "questionnaire": ("GET", "/fhir/Questionnaire/intake", READ, 200),
    "response": ("GET", "/fhir/QuestionnaireResponse/{pk}", READ, 200),
    "summary": ("GET", "/fhir/Bundle/summary/{pk}", READ, 200),
    "checkin questionnaire": ("GET", "/fhir/Questionnaire/checkin-week6", READ, 200),
    "checkin response": ("GET", "/fhir/QuestionnaireResponse/checkin-{checkin}", READ, 200),
    "checkin summary": ("GET", "/fhir/Bundle/summary/checkin-{checkin}", READ, 200),
    "create": ("POST", "/fhir/QuestionnaireResponse", WRITE, 201),
    "unknown": ("GET", "/fhir/Patient/{patient}", READ, 404),
}


@pytest.fixture
def stored(db):
    from intake.models import Patient

    patient = Patient.objects.create(first_name=SECRET_NAME, email="zq@example.org")
    intake = submit(example("V7"), patient=patient)
    answered_checkin(patient, ces_saddle_numbness="yes")  # a second intake of the patient, and its week-6 check-in
    return intake


def _call(client: Client, endpoint: str, intake: Intake):
    method, url, _scope, _ok = ENDPOINTS[endpoint]
    checkin = CheckInResponse.objects.get(patient_id=intake.patient_id)
    url = url.format(pk=intake.pk, patient=intake.patient_id, checkin=checkin.pk)
    if method == "POST":
        return post_json(client, qr_for(example("V7"), subject={"reference": f"Patient/{intake.patient_id}"}))
    return client.get(url)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_access_matrix(stored, endpoint, persona):
    _method, _url, scope, ok = ENDPOINTS[endpoint]
    intakes = Intake.objects.count()
    response = _call(persona_client(persona, scope), endpoint, stored)

    if persona in ALLOWED:
        assert response.status_code == ok, response.content[:1000]
        return
    issues = assert_outcome(response, EXPECTED[persona])
    assert issues[0]["code"] == ("login" if persona == "anonymous" else "forbidden")
    assert SECRET_NAME not in response.content.decode()
    assert b"QuestionnaireResponse/" not in response.content
    if persona == "anonymous":
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"Flag/" not in response.content and b"LBP-CES" not in response.content
    assert Intake.objects.count() == intakes  # a refused post stores nothing


@pytest.mark.parametrize("persona", ["anonymous", "front desk", "token without scope"])
def test_a_refusal_does_not_say_whether_the_record_exists(stored, persona):
    client = persona_client(persona, READ)
    checkin = CheckInResponse.objects.get(patient_id=stored.patient_id)
    for existing_id, missing_id in ((stored.pk, 987654), (f"checkin-{checkin.pk}", "checkin-987654")):
        for path in ("QuestionnaireResponse", "Bundle/summary"):
            existing = client.get(f"/fhir/{path}/{existing_id}")
            missing = client.get(f"/fhir/{path}/{missing_id}")
            assert (existing.status_code, existing.content) == (missing.status_code, missing.content)


def test_a_read_token_cannot_write_and_a_write_token_cannot_read(stored):
    assert_outcome(post_json(token_client([READ]), qr_for(example("V7"))), 403)
    assert_outcome(token_client([WRITE]).get(f"/fhir/QuestionnaireResponse/{stored.pk}"), 403)
    issues = assert_outcome(token_client([WRITE]).get("/fhir/Questionnaire/intake"), 403)
    assert "fhir.read" in issues[0]["diagnostics"]


@pytest.mark.parametrize("header", ["Bearer cit_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "token"])
def test_a_bad_authorization_header_is_401(stored, header):
    response = Client(HTTP_AUTHORIZATION=header).get(f"/fhir/QuestionnaireResponse/{stored.pk}")
    assert_outcome(response, 401)
    assert "error=" in response["WWW-Authenticate"]


def test_revoked_and_expired_tokens_are_refused(stored):
    revoked = token_client([READ], revoked_at=timezone.now())
    expired = token_client([READ], expires_at=timezone.now() - timezone.timedelta(minutes=1))
    for client in (revoked, expired):
        assert_outcome(client.get("/fhir/Questionnaire/intake"), 401)


def test_the_bearer_header_decides_even_with_a_session(stored):
    front_desk = Client(HTTP_AUTHORIZATION=f"Bearer {make_token([READ])}")
    front_desk.force_login(make_user(FRONT_DESK))
    assert front_desk.get(f"/fhir/Bundle/summary/{stored.pk}").status_code == 200
    clinician = Client(HTTP_AUTHORIZATION="Bearer cit_wrong")
    clinician.force_login(make_user(CLINICIAN))
    assert_outcome(clinician.get(f"/fhir/Bundle/summary/{stored.pk}"), 401)


def test_a_session_post_needs_the_csrf_token_a_bearer_token_does_not(stored):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(CLINICIAN))
    resource = json.dumps(qr_for(example("V7")))
    issues = assert_outcome(browser.post("/fhir/QuestionnaireResponse", resource, content_type=FHIR_JSON), 403)
    assert "CSRF" in issues[0]["diagnostics"]
    system = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {make_token([WRITE])}")
    assert system.post("/fhir/QuestionnaireResponse", resource, content_type=FHIR_JSON).status_code == 201


def test_an_inactive_clinician_is_refused(stored):
    user = make_user(CLINICIAN)
    client = Client()
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/fhir/Questionnaire/intake").status_code in (401, 403)


def test_an_unsupported_method_is_refused_to_anonymous_before_anything_else(stored):
    assert_outcome(Client().delete(f"/fhir/QuestionnaireResponse/{stored.pk}"), 401)
