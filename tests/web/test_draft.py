"""Autosave on every step POST, resume from the link, Back and Next without losing answers."""

from __future__ import annotations

from django.urls import reverse

from intake.models import IntakeDraft
from tests.web.conftest import ABOUT_BACK_ONLY, draft_of, example, post_step, step_data


def test_it_resumes_at_the_saved_step_with_the_answers_filled_in(patient):
    post_step(patient, "about", ABOUT_BACK_ONLY)
    data = step_data(example("V1"))
    partial = {k: data[k] for k in ("back_pain_duration_weeks", "back_pain_history_months", "thoracic_pain")}
    response = post_step(patient, "back", partial)
    assert response.status_code == 200  # other answers of the step are missing
    draft = IntakeDraft.objects.get(invitation=patient.invitation)
    assert draft.step == "back"
    assert draft.answers["back_pain_duration_weeks"] == 2 and draft.answers["thoracic_pain"] == "no"

    patient.cookies.clear()  # another day, another browser: only the link
    response = patient.get(reverse("intake:start", args=[patient.token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:step", args=["back"])
    html = patient.get(response["Location"]).content.decode()
    assert 'name="back_pain_duration_weeks"' in html and 'value="2"' in html
    assert 'id="id_thoracic_pain_1" checked' in html
    back = patient.get(reverse("intake:step", args=["about"])).content.decode()
    assert 'value="38"' in back and 'id="id_has_back_pain_0" checked' in back


def test_back_saves_the_step_and_keeps_every_answer(patient):
    post_step(patient, "about", ABOUT_BACK_ONLY)
    response = post_step(patient, "back", {"back_pain_duration_weeks": "7", "back_pain_onset_age": "999"},
                         action="back")
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:step", args=["about"])
    draft = draft_of(patient)
    assert draft["back_pain_duration_weeks"] == 7
    assert "back_pain_onset_age" not in draft
    assert draft["_raw"]["back"] == {"back_pain_onset_age": "999"}
    assert draft["age"] == 38
    # Next from "about" again: the back step shows what was typed, including the bad value and its error.
    post_step(patient, "about", ABOUT_BACK_ONLY)
    html = patient.get(reverse("intake:step", args=["back"])).content.decode()
    assert 'value="7"' in html and 'value="999"' in html
    assert "Enter a whole number from 0 to 120." in html


def test_next_goes_on_after_the_errors_are_fixed(patient):
    post_step(patient, "about", ABOUT_BACK_ONLY)
    data = step_data(example("V1"))
    assert post_step(patient, "back", {**data, "back_pain_onset_age": "abc"}).status_code == 200
    response = post_step(patient, "back", data)
    assert response["Location"] == reverse("intake:step", args=["back-health"])
    draft = draft_of(patient)
    assert "back" not in draft["_raw"] and "back" in draft["_done"]


def test_save_and_finish_later_keeps_the_answers(patient):
    response = post_step(patient, "about", {"age": "41"}, action="save")
    assert response.status_code == 200
    assert "Your answers are saved" in response.content.decode()
    assert draft_of(patient)["age"] == 41


def test_the_progress_indicator_counts_the_steps_that_apply(patient):
    post_step(patient, "about", ABOUT_BACK_ONLY)
    html = patient.get(reverse("intake:step", args=["back"])).content.decode()
    assert "Step 2 of 11" in html
    assert '<progress max="11" value="2"' in html


def test_an_expired_draft_starts_afresh(patient, settings):
    from datetime import timedelta

    from django.utils import timezone

    post_step(patient, "about", ABOUT_BACK_ONLY)
    old = timezone.now() - timedelta(days=settings.INTAKE_DRAFT_DAYS + 1)
    IntakeDraft.objects.filter(invitation=patient.invitation).update(updated_at=old)
    response = patient.get(reverse("intake:start", args=[patient.token]))
    assert response.status_code == 200 and "Before your visit" in response.content.decode()
    assert "age" not in draft_of(patient)
