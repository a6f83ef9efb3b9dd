"""Fixtures of the FHIR tests. Personas (who may use /fhir/):

- anonymous: no session, no token -> 401;
- front desk: signed in, never clinical data -> 403;
- clinician, practice admin: signed in with `clinician.view_clinical_data` -> read and write;
- token without scope (or with the other scope) -> 403; token with fhir.read / fhir.write -> that operation.
"""

from __future__ import annotations

import copy
import json
from itertools import count
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from intake import services
from intake.clinician.roles import CLINICIAN, FRONT_DESK, PRACTICE_ADMIN
from intake.content.packs import EXTRA_ITEMS, LICENSED, item_domain, n_items, validate_pack
from intake.fhir.models import READ, WRITE, ApiToken
from intake.fhir.resources import validated

EXAMPLES = Path(__file__).resolve().parent.parent / "engine" / "examples"
FHIR_JSON = "application/fhir+json"
_seq = count(1)


def example(name: str, *, licensed: bool = True) -> dict:
    """The input of an engine example (tests/engine/examples); without `licensed`, only the questionnaires whose
    wording ships with the app are kept (a licensed one needs the clinic's content pack)."""
    from intake.fhir.tree import SHIPPED_KEYS

    for path in EXAMPLES.glob(f"{name}-*.json"):
        answers = copy.deepcopy(json.loads(path.read_text())["input"])
        if not licensed:
            answers["instruments"] = {k: v for k, v in answers["instruments"].items() if k in SHIPPED_KEYS}
        return answers
    raise LookupError(name)


def pack_content(instrument: str) -> dict:
    """A made-up, valid content pack for a licensed instrument (not real wording)."""
    content: dict = {"title": f"Test {instrument} questionnaire", "instructions": "Test instructions.", "items": []}
    if instrument == "promis_sleep":
        content["form"] = "8a"
    total = n_items(instrument, content)
    for i in range(total):
        domain = item_domain(instrument, i, total)
        item: dict = {"text": f"Test {instrument} item {i + 1}"}
        if domain["type"] == "bool":
            item["options"] = [{"value": True, "label": "Yes"}, {"value": False, "label": "No"}]
        elif domain["type"] == "enum":
            item["options"] = [{"value": v, "label": f"Label {v}"} for v in domain["values"]]
        elif domain["hi"] - domain["lo"] <= 10:
            item["options"] = [{"value": v, "label": f"Level {v}"} for v in range(domain["lo"], domain["hi"] + 1)]
        content["items"].append(item)
    for key in EXTRA_ITEMS.get(instrument, ()):  # MIDAS items A and B (optional in a pack; given here)
        content[key] = {"text": f"Test {instrument} item {key.upper()}"}
    assert validate_pack(instrument, content) == [], validate_pack(instrument, content)
    return content


@pytest.fixture
def load_packs(db):
    """Load active content packs: load_packs() for every licensed instrument, or load_packs("csi", "odi")."""
    from intake.models import ContentPack

    def load(*instruments: str):
        packs = {}
        for instrument in instruments or LICENSED:
            pack = ContentPack(instrument=instrument, content=pack_content(instrument),
                               copyright_notice=f"© Test owner of {instrument}", active=True)
            pack.full_clean()
            pack.save()
            packs[instrument] = pack
        return packs

    return load


def make_user(role: str | None):
    n = next(_seq)
    user = get_user_model().objects.create_user(username=f"fhir-{(role or 'user').replace(' ', '')}-{n}",
                                                password=None, is_staff=role is not None)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def session_client(role: str) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


def make_token(scopes: list[str], **kwargs) -> str:
    raw = ApiToken.new_token()
    token = ApiToken(name=kwargs.pop("name", f"system {next(_seq)}"), scopes=scopes, **kwargs)
    token.set_token(raw)
    token.full_clean()
    token.save()
    return raw


def token_client(scopes: list[str], **kwargs) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {make_token(scopes, **kwargs)}")


@pytest.fixture
def clinician_client(db):
    return session_client(CLINICIAN)


@pytest.fixture
def reader(db):
    return token_client([READ])


@pytest.fixture
def writer(db):
    return token_client([WRITE])


PERSONAS = ("anonymous", "front desk", "clinician", "practice admin", "token without scope", "token other scope",
            "token with scope")


def persona_client(persona: str, scope: str) -> Client:
    if persona == "anonymous":
        return Client()
    if persona == "front desk":
        return session_client(FRONT_DESK)
    if persona == "clinician":
        return session_client(CLINICIAN)
    if persona == "practice admin":
        return session_client(PRACTICE_ADMIN)
    if persona == "token without scope":
        return token_client([])
    if persona == "token other scope":
        return token_client([WRITE if scope == READ else READ])
    return token_client([scope])


def submit(answers: dict, patient=None):
    """An intake made exactly as the wizard makes it (services.intake_submit)."""
    from intake.models import Patient

    patient = patient or Patient.objects.create(first_name="Pat", last_name="Example", email="pat@example.org")
    return services.intake_submit(patient=patient, answers=answers, privacy_accepted=True, checkins_opt_in=False)


def post_json(client: Client, data, **extra):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post("/fhir/QuestionnaireResponse", body, content_type=FHIR_JSON, **extra)


def assert_valid(resource: dict) -> dict:
    """The resource passes the FHIR library's validation (fhir.resources, R4B models)."""
    validated(resource)
    return resource


def assert_outcome(response, status: int) -> list[dict]:
    assert response.status_code == status, (response.status_code, response.content[:2000])
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = json.loads(response.content)
    assert body["resourceType"] == "OperationOutcome"
    assert_valid(body)
    return body["issue"]


def problems(issues: list[dict]) -> list[tuple[str, str]]:
    """(problem code, field) of each issue."""
    return [(i["details"]["coding"][0]["code"], i["details"]["text"].split(":", 1)[0]) for i in issues]


def qr_for(answers: dict, *, subject: dict | None = None, packs: dict | None = None, **fields) -> dict:
    """A QuestionnaireResponse for contract answers, as another system would send it."""
    from intake.fhir import codes
    from intake.fhir.response import answers_to_items
    from intake.fhir.tree import build

    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": codes.INTAKE_QUESTIONNAIRE_URL,
        "status": "completed",
        "subject": subject or {"identifier": {"system": "https://ehr.example/patients", "value": "MRN-1"}},
        "authored": "2026-11-20T10:00:00+00:00",
        "item": answers_to_items(build(packs or {}, everything=True), answers),
    }
    resource.update(fields)
    return resource


def items_by_link(resource: dict) -> dict:
    return {i["linkId"]: i for i in resource["item"]}


def checkin_baseline(**overrides) -> dict:
    """A back-pain and headache baseline (with RMDQ and PSFS, asked again from 6 weeks), every red flag "no"."""
    from tests.engine.builders import intake as build_intake

    instruments = {
        "nprs_back": 7,
        "rmdq": [True] * 10 + [False] * 14,
        "psfs": [{"activity": "Walking", "score": 3}, {"activity": "Lifting", "score": 4},
                 {"activity": "Sitting", "score": 5}],
    }
    return build_intake(back=True, headache=True, neck=False, instruments=instruments, **overrides)


def answered_checkin(patient=None, *, time_point: str = "week6", baseline: dict | None = None, **answers):
    """A check-in answered through the check-in service (intake_submit with consent schedules it; response_submit
    validates, triages and stores the answers), `answers` overriding a complete "nothing of note" check-in."""
    from datetime import timedelta

    from intake.checkins.models import CheckIn
    from intake.checkins.services import response_submit
    from intake.models import Patient
    from intake.triage.checkin_schema import TIME_POINTS
    from tests.engine.checkin_builders import answers as checkin_answers

    baseline = baseline or checkin_baseline()
    patient = patient or Patient.objects.create(first_name="Pat", last_name="Example", email="pat@example.org")
    intake = services.intake_submit(patient=patient, answers=baseline, privacy_accepted=True, checkins_opt_in=True)
    checkin = CheckIn.objects.get(plan__intake=intake, time_point=time_point)
    now = intake.submitted_at + timedelta(days=TIME_POINTS[time_point]["target_day"])
    return response_submit(checkin=checkin, answers=checkin_answers(baseline, time_point, **answers), now=now)
