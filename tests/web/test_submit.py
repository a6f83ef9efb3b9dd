"""Review, submit (validated, saved and triaged in the same request) and the patient's result screen."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from intake.models import Flag, Intake
from intake.triage import FieldError, InvalidInput, evaluate
from tests.web.conftest import (
    CSI_PACK,
    STARTBACK_PACK,
    V1_QUESTIONNAIRES,
    draft_of,
    example,
    post_step,
    step_data,
    walk,
)

SUBMIT = {"privacy": "yes"}


def _submit(client, data=SUBMIT):
    return client.post(reverse("intake:submit"), data)


def test_the_review_page_lists_every_answer_with_change_links(patient):
    walk(patient, example("V1"))
    response = patient.get(reverse("intake:review"))
    assert response.status_code == 200
    assert response.context["problems"] == []
    html = response.content.decode()
    assert "How old are you?" in html and "<dd>38 " in html
    assert "Do you inject drugs?" in html
    assert f'href="{reverse("intake:step", args=["back-health"])}?return=review#id_ivdu_0"' in html
    assert "Step 11 of 11" in html


def test_a_change_from_the_review_page_returns_to_it(patient):
    walk(patient, example("V1"))
    data = step_data(example("V1"))
    response = patient.post(reverse("intake:step", args=["back"]), {**data, "return_to": "review", "action": "next"})
    assert response["Location"] == reverse("intake:review")


def test_submit_stores_the_intake_with_the_engines_summary_for_v1(patient, settings, load_pack):
    settings.INTAKE_QUESTIONNAIRES = V1_QUESTIONNAIRES
    load_pack("startback", STARTBACK_PACK)
    load_pack("csi", CSI_PACK)
    v1 = example("V1", complete=False)
    walk(patient, v1)
    response = _submit(patient, {"privacy": "yes", "checkins": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("intake:result")
    intake = Intake.objects.get()
    assert intake.answers == v1  # every V1 answer reached the engine exactly as the contract spells it
    assert intake.summary == evaluate(v1)
    assert intake.triage_status == "ok" and intake.overall_tier == "NONE"
    assert intake.privacy_accepted_at is not None
    assert intake.checkins_opt_in and intake.checkins_opt_in_at is not None
    patient.invitation.refresh_from_db()
    assert patient.invitation.used_at is not None
    assert "Your answers have been sent" in patient.get(response["Location"]).content.decode()


def test_submit_needs_the_privacy_notice_accepted(patient):
    walk(patient, example("V1"))
    response = _submit(patient, {})
    assert response.status_code == 200
    assert "Please confirm that you have read the privacy notice" in response.content.decode()
    assert not Intake.objects.exists()
    assert draft_of(patient)["age"] == 38


def test_submit_is_refused_while_a_section_is_unfinished(patient):
    walk(patient, example("V1"))
    post_step(patient, "about", {**step_data(example("V1")), "has_headache": "yes"})
    response = _submit(patient)
    assert response.status_code == 200
    assert not Intake.objects.exists()
    labels = [str(p["label"]) for p in response.context["problems"]]
    assert "Your headaches" in labels


def test_engine_errors_are_shown_on_the_review_page_never_a_500(patient, monkeypatch):
    walk(patient, example("V1"))
    import intake.services

    monkeypatch.setattr(intake.services, "validate", lambda answers: ({}, [FieldError("age", "out_of_range", "x")]))
    response = _submit(patient)
    assert response.status_code == 200
    problem = response.context["problems"][0]
    assert problem["href"].startswith(reverse("intake:step", args=["about"]))
    assert not Intake.objects.exists()


def test_invalid_input_from_the_service_is_mapped_back_to_its_step(patient, monkeypatch):
    walk(patient, example("V1"))
    import intake.services

    def refuse(**kwargs):
        raise InvalidInput([FieldError("ivdu", "required", "required")])

    monkeypatch.setattr(intake.services, "intake_submit", refuse)
    response = _submit(patient)
    assert response.status_code == 200
    assert "#id_ivdu_0" in response.context["problems"][0]["href"]


def test_an_emergency_result_must_be_acknowledged_before_the_page_lets_the_patient_go(patient):
    walk(patient, example("V7"))  # thunderclap headache: HA-THUNDER, ED_NOW
    response = _submit(patient)
    page = patient.get(response["Location"])
    html = page.content.decode()
    assert "Go to an emergency department or call your local emergency number now." in html
    assert 'data-must-acknowledge="true"' in html
    links = re.findall(r'<a [^>]*href="([^"]*)"', html)
    assert links == ["#main"]  # only the skip link: no other navigation until acknowledged
    assert "HA-THUNDER" not in html and "ED_NOW" not in html  # never flag IDs or tiers

    intake = Intake.objects.get()
    assert intake.emergency_acknowledged_at is None
    response = patient.post(reverse("intake:acknowledge"))
    assert response["Location"] == reverse("intake:result")
    intake.refresh_from_db()
    assert intake.emergency_acknowledged_at is not None
    html = patient.get(reverse("intake:result")).content.decode()
    assert "You have confirmed that you have read this advice" in html
    assert 'data-must-acknowledge' not in html


def test_a_thoughts_of_self_harm_answer_shows_crisis_resources(patient, settings):
    settings.CRISIS_RESOURCES_TEXT = "Call the test crisis line on 000."
    answers = example("V4")
    answers["instruments"]["phq9"][8] = 1
    walk(patient, answers)
    # At once: from the step after the PHQ-9 on, before the patient has even submitted (reference §2.5).
    assert "Call the test crisis line on 000." in patient.get(reverse("intake:review")).content.decode()
    response = _submit(patient)
    intake = Intake.objects.get()
    assert intake.summary["patient_screen"]["crisis_resources"] is True
    html = patient.get(response["Location"]).content.decode()
    assert "Call the test crisis line on 000." in html
    assert "Please contact a doctor today" in html  # MH-SI is SAME_DAY
    assert "MH-SI" not in html


def test_an_unclear_red_flag_answer_shows_the_neutral_review_notice(patient):
    answers = example("V1")
    answers["night_pain_unrelenting"] = "not_sure"
    walk(patient, answers)
    response = _submit(patient)
    html = patient.get(response["Location"]).content.decode()
    assert "Your clinician will review some of your answers before your visit." in html


def test_a_triage_failure_still_stores_the_intake_and_shows_the_normal_thank_you(patient, monkeypatch):
    import intake.services

    def broken(answers):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(intake.services, "evaluate_valid", broken)
    walk(patient, example("V7"))
    response = _submit(patient)
    intake = Intake.objects.get()
    assert intake.triage_status == Intake.TriageStatus.FAILED and intake.summary is None
    assert not Flag.objects.exists()
    page = patient.get(response["Location"])
    assert page.status_code == 200
    assert "Your answers have been sent to the clinic." in page.content.decode()


@pytest.mark.parametrize("name", ["V4", "V9", "V11"])
def test_the_examples_reach_the_engine_unchanged_through_the_wizard(patient, name):
    answers = example(name)
    for key in ("csi_a", "csi_b", "startback", "odi", "isi", "hit6", "midas", "id_migraine"):
        answers["instruments"].pop(key, None)  # licensed: not asked without a content pack
    walk(patient, answers)
    _submit(patient)
    intake = Intake.objects.get()
    assert _in_form_order(intake.answers) == _in_form_order(answers)
    assert intake.summary == evaluate(intake.answers)


def _in_form_order(answers: dict) -> dict:
    """Code lists come back in the order the form lists the choices; the engine ignores their order."""
    from intake.triage.instruments.wpi import AREA_CODES

    if "wpi" in answers["instruments"]:
        answers["instruments"]["wpi"] = sorted(answers["instruments"]["wpi"], key=AREA_CODES.index)
    return answers
