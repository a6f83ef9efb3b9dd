"""Errors in plain words next to the field, an error summary naming the question, red-flag questions mandatory."""

from __future__ import annotations

from tests.web.conftest import ABOUT_BACK_ONLY, draft_of, example, post_step, step_data, walk


def _back_health(**changes) -> dict:
    data = step_data(example("V1"))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_requires_a_red_flag_answer_and_names_the_question(patient):
    post_step(patient, "about", ABOUT_BACK_ONLY)
    response = post_step(patient, "back-health", _back_health(ivdu=None))
    assert response.status_code == 200
    summary = response.context["errors"]
    assert [str(e["label"]) for e in summary] == ["Do you inject drugs?"]
    html = response.content.decode()
    assert "Please check these answers" in html
    assert 'href="#id_ivdu_0"' in html
    assert "If you do not know, choose “Not sure”." in html
    assert 'aria-describedby="id_ivdu_helptext id_ivdu_error"' in html
    assert 'id="id_ivdu_error"' in html


def test_it_accepts_not_sure_for_a_red_flag_question(patient):
    post_step(patient, "about", ABOUT_BACK_ONLY)
    response = post_step(patient, "back-health", _back_health(ivdu="not_sure"))
    assert response.status_code == 302
    assert draft_of(patient)["ivdu"] == "not_sure"


def test_it_explains_an_out_of_range_number_and_stores_nothing_out_of_range(patient):
    response = post_step(patient, "about", {**ABOUT_BACK_ONLY, "age": "130"})
    assert response.status_code == 200
    assert "Enter a whole number from 0 to 120." in response.content.decode()
    draft = draft_of(patient)
    assert "age" not in draft
    assert draft["has_back_pain"] == "yes"  # the valid answers of the step are kept
    assert 'value="130"' in response.content.decode()  # shown again as typed


def test_it_explains_an_answer_that_contradicts_another(patient):
    walk(patient, example("V1"))
    data = step_data(example("V1"))
    response = post_step(patient, "back", {**data, "back_pain_onset_age": "60"})
    assert response.status_code == 200
    assert "This cannot be more than your age now." in response.content.decode()
    assert draft_of(patient)["back_pain_onset_age"] == 60  # kept, so nothing typed is lost


def test_it_requires_every_phq9_item_including_item_9(patient):
    walk(patient, example("V1"))
    data = step_data(example("V1"))
    del data["instruments-phq9-8"]
    response = post_step(patient, "mood", data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["instruments-phq9-8"]


def test_it_lets_a_red_flag_question_be_answered_not_sure_but_never_left_blank_on_review(patient):
    walk(patient, example("V1"))
    post_step(patient, "back-health", _back_health(fever_recent=None), action="back")
    review = patient.get("/intake/review/")
    assert any("back pain and your health" in str(p["label"]) for p in review.context["problems"])
