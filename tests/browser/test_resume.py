"""Issue #4, acceptance 4: answers are saved at each step; a patient who closes the browser and opens the link again
(no cookies) comes back to the step where they stopped, with their answers."""

from __future__ import annotations

import pytest

from intake.models import IntakeDraft
from tests.browser.conftest import Patient, example, input_values, invite

pytestmark = pytest.mark.browser

SOME_OF_BACK_HEALTH = ("unexplained_weight_loss", "fever_recent", "ivdu")


def checked(page, name: str) -> str | None:
    """The value of the ticked radio of a question, or None."""
    boxes = page.locator(f'input[name="{name}"]:checked')
    return boxes.first.get_attribute("value") if boxes.count() else None


def test_closing_the_browser_and_opening_the_link_again_resumes_with_the_answers(phone, settings, new_phone):
    settings.INTAKE_QUESTIONNAIRES = []
    values = input_values(example("V1"))
    invitation, token = invite()
    patient = Patient(phone)
    patient.start(token)
    patient.fill(values)
    assert patient.next() == "back"
    patient.fill(values)
    assert patient.next() == "back-health"
    patient.fill({name: values[name] for name in SOME_OF_BACK_HEALTH})  # a few answers, then the phone rings
    patient.press("Save and finish later")
    assert phone.get_by_role("heading", level=1).inner_text() == "Your answers are saved"
    phone.context.close()  # the whole browser context: cookies and session gone

    later = new_phone()
    assert later.context.cookies() == []
    again = Patient(later)
    again.open(f"/i/{token}/")
    assert again.slug == "back-health"
    for name in SOME_OF_BACK_HEALTH:
        assert checked(later, name) == "no"
    assert checked(later, "steroids_3mo_plus") is None  # not answered yet
    assert IntakeDraft.objects.get(invitation=invitation).step == "back-health"

    again.press("Back")
    assert again.slug == "back"
    assert later.locator("#id_back_pain_duration_weeks").input_value() == "2"
    assert later.locator("#id_back_pain_onset_age").input_value() == "38"
    assert checked(later, "back_pain_days_past_6m") == "lt_half"
    assert checked(later, "minor_trauma") == "yes"
    again.press("Back")
    assert again.slug == "about"
    assert later.locator("#id_age").input_value() == "38"
    assert checked(later, "sex") == "M" and checked(later, "has_back_pain") == "yes"

    # Carry on: the rest of the answers, and the wizard goes on from there to the review.
    assert again.next() == "back"
    assert again.next() == "back-health"
    again.fill(values)
    assert again.next() == "nerves"
    again.answer_all(values)
    assert again.slug == "review"
