"""Issue #4, acceptance 3 and 6: axe-core finds no serious or critical violation on any wizard step, the review page
or any result and link page; with SCREENSHOTS=1 the same walk saves a phone screenshot of each screen under
docs/screenshots/patient/ (named by order and slug; see README "Screenshots").

    SCREENSHOTS=1 DATABASE_URL=... .venv/bin/python -m pytest tests/browser/test_accessibility.py
"""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from intake import wizard as wz
from tests.browser.conftest import (
    PACKS,
    Patient,
    assert_accessible,
    example,
    input_values,
    invite,
    load_pack,
    screenshot,
    seed_draft,
)

pytestmark = pytest.mark.browser

STEP_NUMBER = {step.slug: n for n, step in enumerate(wz.STEPS, start=1)}  # 01-about … 18-more-questionnaires
AFTER_STEPS = len(wz.STEPS) + 1  # 19-review, then the result and link pages


def everyone() -> dict:
    """Answers that open every step: V4 (back pain, neck pain, two kinds of headache) with V11's typical aura on
    the first kind of headache (the aura step)."""
    answers = copy.deepcopy(example("V4"))
    v11 = example("V11")
    answers["ha_types"][0]["aura"] = v11["ha_types"][0]["aura"]
    for key in ("typical_aura", "aura_first_ever", "aura_limb_weakness", "aura_over_60min", "aura_started_age_50_plus",
                "aura_sudden_onset"):
        answers[key] = v11[key]
    return answers


def check(page, name: str) -> None:
    assert_accessible(page, name)
    screenshot(page, name)


def test_every_step_and_the_review_page_are_accessible(phone, settings):
    settings.INTAKE_QUESTIONNAIRES = ["nprs_back", "nprs_head", "psfs", "rmdq", "phq9", "gad7", "wpi", "sss"]
    for instrument in PACKS:
        load_pack(instrument)
    _invitation, token = invite()
    patient = Patient(phone)
    patient.open(f"/i/{token}/")
    check(phone, "00-start")
    patient.start(token)

    # Next with nothing answered: the error summary (it takes the focus) and the messages at each question.
    patient.press("Next")
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    check(phone, "01-about-errors")

    def each(patient: Patient, slug: str) -> None:
        check(patient.page, f"{STEP_NUMBER[slug]:02d}-{slug}")

    visited = patient.answer_all(input_values(everyone()), each=each)
    assert visited == [step.slug for step in wz.STEPS]  # every step the wizard has
    assert_accessible(phone, "review (every step answered)")  # its screenshot: a shorter one, below


RESULTS = {  # screen → the answers that lead to it
    "emergency": "V7",  # HA-THUNDER, ED_NOW: must be acknowledged
    "same-day-crisis": "MH-SI",  # PHQ-9 item 9: same day, with crisis resources
    "clinician-review-notice": "unclear",  # a red-flag question answered "Not sure"
    "thank-you": "V1",
}


def result_answers(kind: str) -> dict:
    answers = copy.deepcopy(example("V7" if kind == "V7" else "V1"))
    answers["instruments"] = {"phq9": [0] * 8 + [1 if kind == "MH-SI" else 0]}
    if kind == "unclear":
        answers["night_pain_unrelenting"] = "not_sure"
    return answers


def test_every_result_and_link_page_is_accessible(phone, settings, new_phone):
    settings.INTAKE_QUESTIONNAIRES = ["phq9"]
    patient = Patient(phone)
    number = AFTER_STEPS + 1
    shows = {"emergency": ["#emergency-advice"], "same-day-crisis": ["#same-day-advice", "#crisis-resources"],
             "clinician-review-notice": ["#review-notice"], "thank-you": ["#thank-you"]}
    for screen, kind in RESULTS.items():
        invitation, token = invite()
        seed_draft(invitation, result_answers(kind))  # answered earlier: the link opens the review page
        patient.open(f"/i/{token}/")
        if screen == "thank-you":
            check(phone, f"{AFTER_STEPS:02d}-review")  # V1's answers: a review page of phone-screenshot length
        patient.send()
        for selector in shows[screen]:
            assert phone.locator(selector).is_visible(), (screen, selector)
        check(phone, f"{number:02d}-result-{screen}")
        number += 1
        if screen == "emergency":
            patient.press("I understand: I will get help now")
            check(phone, f"{number:02d}-result-emergency-acknowledged")
            number += 1

    # The last link, opened again after sending: 410 "already sent".
    patient.open(f"/i/{token}/", status=410)
    check(phone, f"{number:02d}-link-used-410")
    expired, expired_token = invite()
    expired.expires_at = timezone.now() - timedelta(days=1)
    expired.save()
    patient.open(f"/i/{expired_token}/", status=410)
    check(phone, f"{number + 1:02d}-link-expired-410")
    patient.open(f"/i/{token[:-2]}xx/", status=404)
    check(phone, f"{number + 2:02d}-link-unknown-404")
    patient.open("/no/such/page/", status=404)
    check(phone, f"{number + 3:02d}-page-not-found-404")

    other = Patient(new_phone())  # no link opened in this browser
    other.open("/intake/step/about/", status=403)
    check(other.page, f"{number + 4:02d}-link-needed-403")
    _invitation, token = invite()
    other.start(token)
    other.fill({"age": 52})
    other.press("Save and finish later")
    check(other.page, f"{number + 5:02d}-saved")
