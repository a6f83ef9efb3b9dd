"""Issue #4, acceptance 2 (MH-SI): PHQ-9 item 9 answered "several days" or more shows crisis resources at once, on
every page from then on, and on the result screen (reference §2.5)."""

from __future__ import annotations

import pytest

from intake.models import Intake
from tests.browser.conftest import Patient, assert_accessible, example, input_values, invite, seed_draft

pytestmark = pytest.mark.browser

CRISIS = "Call the test crisis line on 000."


def v1_with_default_questionnaires(phq9_item_9: int) -> dict:
    """V1 for a clinic with the default questionnaires: PHQ-9 and GAD-7 instead of PHQ-4, no content packs."""
    answers = example("V1")
    instruments = answers["instruments"]
    for key in ("phq4", "startback", "csi_a"):
        del instruments[key]
    instruments["phq9"] = [0, 1, 0, 0, 1, 0, 0, 0, phq9_item_9]
    instruments["gad7"] = [0] * 7
    return answers


def test_thoughts_of_self_harm_show_crisis_resources_at_once_and_on_the_result(phone, settings):
    settings.CRISIS_RESOURCES_TEXT = CRISIS
    answers = v1_with_default_questionnaires(phq9_item_9=1)
    invitation, token = invite()
    seed_draft(invitation, answers, upto="mood")  # the steps before the mood questionnaires were answered earlier
    patient = Patient(phone)
    patient.open(f"/i/{token}/")
    assert patient.slug == "mood"  # the link resumes where the patient stopped
    crisis = phone.locator("#crisis-resources")
    assert crisis.count() == 0

    patient.fill(input_values(answers))
    assert phone.locator('input[name="instruments-phq9-8"][value="1"]').is_checked()
    assert patient.next() == "body"
    assert crisis.is_visible() and CRISIS in crisis.inner_text()
    assert phone.get_by_role("complementary", name="If you need help now").is_visible()
    assert_accessible(phone, "step with crisis resources")

    patient.answer_all(input_values(answers))
    assert CRISIS in crisis.inner_text()  # the review page too
    patient.send()
    intake = Intake.objects.get()
    assert intake.summary["patient_screen"]["crisis_resources"] is True
    assert "MH-SI" in [flag["id"] for flag in intake.summary["red_flags"]]
    assert phone.get_by_role("heading", level=1).inner_text() == "Please contact a doctor today"  # SAME_DAY
    assert crisis.is_visible() and CRISIS in crisis.inner_text()
    assert "MH-SI" not in phone.content()
    assert_accessible(phone, "same-day result with crisis resources")


def test_no_crisis_resources_without_that_answer(phone, settings):
    settings.CRISIS_RESOURCES_TEXT = CRISIS
    answers = v1_with_default_questionnaires(phq9_item_9=0)
    invitation, token = invite()
    seed_draft(invitation, answers, upto="mood")
    patient = Patient(phone)
    patient.open(f"/i/{token}/")
    patient.fill(input_values(answers))
    patient.next()
    assert phone.locator("#crisis-resources").count() == 0
    assert CRISIS not in phone.content()
