"""Issue #4, acceptance 1 and 2 (ED_NOW): the public examples V1, V4 and V7 answered through the whole wizard on a
phone, sent, and stored with the summary that `manage.py triage` gives for the same answers."""

from __future__ import annotations

import copy

import pytest

from intake.models import Intake
from tests.browser.conftest import (
    Patient,
    assert_accessible,
    example,
    example_must,
    in_form_order,
    input_values,
    invite,
    seed_draft,
    triage_command,
)

pytestmark = pytest.mark.browser

# What a patient sees of each example, in order (the steps that apply to their answers).
STEPS = {
    "V1": ["about", "back", "back-health", "nerves", "health", "medicines", "pain", "back-function", "mood", "body",
           "more-questionnaires"],
    "V4": ["about", "back", "back-health", "nerves", "neck", "headache", "headache-main", "headache-second",
           "headache-symptoms", "headache-more", "health", "medicines", "pain", "back-function", "mood", "body",
           "more-questionnaires"],
    "V7": ["about", "neck", "headache", "headache-main", "headache-symptoms", "headache-more", "health", "medicines",
           "pain"],
}


def expected_stored(name: str) -> dict:
    """What the wizard stores: every answer of the example, exactly (V4 includes CSI part B and MIDAS items A and
    B, asked with the test packs' wording)."""
    return copy.deepcopy(example(name))


# Answers the wizard writes itself instead of asking: without leg pain, "pain below the knee?" is "none" (B.14 #1).
IMPLIED = {"leg_pain_below_knee"}


def not_sent(values: dict, used: set) -> set:
    """Single answers of the example that no input on any step took (a check-box list counts as one answer)."""
    return {name for name, value in values.items() if not isinstance(value, list) and name not in used
            and name.rsplit("-", 1)[0] not in used and name not in IMPLIED}


def complete(phone, clinic, name: str) -> tuple[Patient, Intake]:
    answers = example(name)
    clinic(answers)
    _invitation, token = invite()
    patient = Patient(phone)
    patient.start(token)
    values = input_values(answers)
    visited = patient.answer_all(values)
    assert visited == STEPS[name]
    assert not_sent(values, patient.used) == set()
    patient.send()
    intake = Intake.objects.get()
    assert in_form_order(intake.answers) == in_form_order(expected_stored(name))
    assert intake.summary == triage_command(intake.answers)
    must = example_must(name)
    assert intake.summary["overall_tier"] == must["overall_tier"]
    for key in ("cs_features_present#exact", "cs_features_absent#exact"):
        if key in must:  # V4: F6 comes from CSI part B, now asked after part A
            assert intake.summary[key.split("#")[0]] == must[key]
    for key, value in must.get("patient_screen", {}).items():
        assert intake.summary["patient_screen"][key] == value
    return patient, intake


@pytest.mark.parametrize("name", ["V1", "V4"])
def test_an_example_answered_on_a_phone_is_stored_with_the_commands_summary(phone, clinic, name):
    patient, intake = complete(phone, clinic, name)
    assert intake.triage_status == "ok" and intake.invitation.used_at is not None
    assert intake.summary["patient_screen"]["screen"] == "none"
    assert patient.page.locator("#thank-you").is_visible()
    if name == "V4":
        assert intake.summary["scores"]["csi"]["part_b"] == ["ibs", "migraine_or_tension_headache"]
        assert (intake.summary["scores"]["midas"]["item_a"], intake.summary["scores"]["midas"]["item_b"]) == (54, 7)


def test_v7_thunderclap_shows_emergency_advice_that_must_be_acknowledged(phone, clinic):
    patient, intake = complete(phone, clinic, "V7")
    page = patient.page
    assert intake.summary["patient_screen"]["screen"] == "emergency_advice"
    assert page.get_by_role("heading", level=1).inner_text() == "Please get medical help now"
    assert "Go to an emergency department or call your local emergency number now." in page.locator(
        "#emergency-advice").inner_text()
    assert page.locator("body").get_attribute("data-must-acknowledge") == "true"
    # Nothing leads away: the only link is the in-page skip link, the only control the acknowledgement.
    assert page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))") == ["#main"]
    controls = page.locator("button, input:not([type=hidden]), select, textarea, [role=button], [onclick]")
    assert controls.count() == 1
    assert controls.first.inner_text() == "I understand: I will get help now"
    assert "HA-THUNDER" not in page.content() and "ED_NOW" not in page.content()
    assert_accessible(page, "emergency advice (locked)")

    # Leaving without acknowledging asks the patient to stay (beforeunload); staying keeps the advice on screen.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#emergency-advice").click()  # the patient has touched the page (browsers ask only then)
    page.evaluate("() => { window.location.href = '/intake/review/'; }")
    page.get_by_role("button", name="I understand: I will get help now").wait_for()
    assert dialogs == ["beforeunload"]
    assert patient.slug == "result"
    intake.refresh_from_db()
    assert intake.emergency_acknowledged_at is None

    patient.press("I understand: I will get help now")
    intake.refresh_from_db()
    assert intake.emergency_acknowledged_at is not None
    assert patient.slug == "result"
    assert page.get_by_role("status").inner_text().startswith("Thank you. You have confirmed")
    assert page.locator("body").get_attribute("data-must-acknowledge") is None
    assert page.locator("button").count() == 0
    page.reload()
    assert page.get_by_role("status").is_visible()
    assert_accessible(page, "emergency advice (acknowledged)")


def test_csi_part_b_none_of_these_is_exclusive_and_sends_an_empty_list(phone, clinic):
    answers = example("V1")
    answers["instruments"]["csi_b"] = []  # "None of these"
    clinic(answers)
    invitation, _token = invite()
    seed_draft(invitation, answers, upto="more-questionnaires")
    patient = Patient(phone)
    patient.open(f"/i/{_token}/")  # resumes at the questionnaires
    assert patient.slug == "more-questionnaires"
    ibs = phone.get_by_label("Irritable bowel syndrome", exact=True)
    none = phone.get_by_label("None of these", exact=True)
    ibs.check()
    none.check()  # wizard.js: "None of these" unticks the conditions ...
    assert not ibs.is_checked()
    ibs.check()  # ... and a condition unticks "None of these"
    assert not none.is_checked()
    patient.fill(input_values(answers))
    assert none.is_checked() and not ibs.is_checked()
    assert patient.next() == "review"
    patient.send()
    intake = Intake.objects.get()
    assert in_form_order(intake.answers) == in_form_order(answers)
    assert intake.summary["scores"]["csi"]["part_b"] == []
