"""Which steps and questions a patient sees follows the contract's "required when" (schema Conditions)."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from intake import wizard as wz
from intake.triage.schema import FIELDS, OPTIONAL, Condition
from tests.web.conftest import ABOUT_BACK_ONLY, draft_of, example, post_step, walk

HEADACHE_STEPS = {"headache", "headache-main", "headache-second", "aura", "headache-symptoms", "headache-more"}


def test_it_never_shows_headache_steps_to_a_back_only_patient(patient):
    visited = walk(patient, example("V1"))
    assert visited[:4] == ["about", "back", "back-health", "nerves"]
    assert not HEADACHE_STEPS & set(visited)
    assert "neck" not in visited
    response = patient.get(reverse("intake:step", args=["headache-symptoms"]))
    assert response.status_code == 302
    assert "headache" not in response["Location"]


def test_it_asks_cauda_equina_questions_of_a_leg_pain_only_patient(patient):
    about = {**ABOUT_BACK_ONLY, "has_back_pain": "no", "leg_pain": "yes"}
    response = post_step(patient, "about", about)
    assert response["Location"] == reverse("intake:step", args=["nerves"])
    html = patient.get(response["Location"]).content.decode()
    for name in ("ces_saddle_numbness", "ces_urinary_difficulty", "ces_urinary_incontinence", "ces_bowel_dysfunction",
                 "ces_sexual_dysfunction", "leg_pain_below_knee", "leg_vs_back"):
        assert f'name="{name}"' in html
    assert 'name="leg_weakness_new"' not in html  # back-only question (B.3)
    assert patient.get(reverse("intake:step", args=["back"])).status_code == 302


def test_it_fills_below_knee_as_none_for_back_pain_without_leg_pain(patient):
    walk(patient, example("V1"))
    html = patient.get(reverse("intake:step", args=["nerves"])).content.decode()
    assert 'name="leg_pain_below_knee"' not in html
    response = patient.get(reverse("intake:review"))
    answers = wz.assemble(draft_of(patient), wz.question_index({}), {})[0]
    assert answers["leg_pain_below_knee"] == "none"
    assert response.status_code == 200


@pytest.mark.parametrize("age, asked", [(49, False), (50, True)])
def test_it_asks_giant_cell_arteritis_questions_only_from_age_50(patient, age, asked):
    post_step(patient, "about", {**ABOUT_BACK_ONLY, "age": str(age), "has_back_pain": "no", "has_headache": "yes"})
    html = patient.get(reverse("intake:step", args=["headache-more"])).content.decode()
    assert ('name="gca_jaw_claudication"' in html) is asked


def test_it_asks_neck_and_artery_questions_with_headache_but_not_with_back_pain_only(patient):
    post_step(patient, "about", ABOUT_BACK_ONLY)
    assert patient.get(reverse("intake:step", args=["neck"])).status_code == 302
    post_step(patient, "about", {**ABOUT_BACK_ONLY, "has_headache": "yes"})
    html = patient.get(reverse("intake:step", args=["neck"])).content.decode()
    assert 'name="vertigo_new"' in html
    assert 'name="neck_stiff_reduced_movement"' not in html  # neck pain only


def test_it_asks_the_second_headache_type_and_aura_only_when_reported(patient):
    answers = example("V11")  # one type, with aura
    visited = walk(patient, answers)
    assert "aura" in visited and "headache-second" not in visited
    html = patient.get(reverse("intake:step", args=["aura"])).content.decode()
    assert 'name="ha_types-0-aura-types"' in html and 'name="ha_types-1-aura-types"' not in html


def test_it_skips_the_aura_step_without_aura(patient):
    visited = walk(patient, example("V4"))  # two types, no aura
    assert "headache-second" in visited and "aura" not in visited


def test_it_removes_a_follow_up_answer_that_its_question_no_longer_calls_for(patient):
    walk(patient, example("V1"))
    data = {**_back_step(), "major_trauma": "no", "major_trauma_days": "3"}
    assert post_step(patient, "back", data).status_code == 302
    assert "major_trauma_days" not in draft_of(patient)


def test_it_requires_the_follow_up_when_the_answer_calls_for_it(patient):
    walk(patient, example("V1"))
    response = post_step(patient, "back", {**_back_step(), "major_trauma": "yes"})
    assert response.status_code == 200
    assert "major_trauma_days" in response.context["form"].errors
    response = post_step(patient, "back", {**_back_step(), "major_trauma": "yes", "major_trauma_days": "2"})
    assert response.status_code == 302
    assert draft_of(patient)["major_trauma_days"] == 2


def test_it_asks_medicine_overuse_questions_only_with_headache_and_medicine_days(patient):
    walk(patient, example("V1"))
    html = patient.get(reverse("intake:step", args=["medicines"])).content.decode()
    assert 'name="med_overuse_duration"' not in html  # no headache
    patient.post(reverse("intake:step", args=["about"]), {**ABOUT_BACK_ONLY, "has_headache": "yes", "action": "next"})
    html = patient.get(reverse("intake:step", args=["medicines"])).content.decode()
    assert 'name="med_overuse_duration"' in html and "data-show-when" in html


def _back_step() -> dict:
    from tests.web.conftest import step_data

    return step_data(example("V1"))


# ---------------------------------------------------------------- the browser hints agree with the schema
def _follow_ups():
    names = wz.question_index({})
    return [q for q in names.values() if q.follow_up], names


def test_every_contract_field_has_a_question():
    names = wz.question_index({})
    paths = {q.path[0] for q in names.values() if q.path}
    for field in FIELDS:
        if field.name in ("contract_version", "instruments"):
            continue
        assert field.name in paths, field.name


def test_the_follow_up_hints_agree_with_the_schema_conditions():
    """wizard.js shows a follow-up exactly when the schema Condition asks for it, for every combination of the
    controlling answers (with the sections that gate the step open)."""
    follow_ups, names = _follow_ups()
    base = {"age": 40, "has_back_pain": "yes", "has_headache": "yes", "neck_pain": "yes", "leg_pain": "yes"}
    for q in follow_ups:
        controls = sorted({name for name, _op, _v in q.follow_up})
        domains = []
        for name in controls:
            control = names[name]
            if control.kind in ("int", "med"):
                domains.append([0, 1, 5, 6, 7, 20, None] if control.nullable else [0, 1, 5, 6, 7, 20])
            else:
                domains.append(list(control.values))
        combos = itertools.product(*domains) if len(controls) <= 3 else _one_at_a_time(controls, domains)
        for combo in combos:
            flat = {**base, **{f"med_days-{k}": 0 for k in ("paracetamol", "any_acute")}}
            flat.update({name: value for name, value in zip(controls, combo, strict=True) if value is not None})
            flat.setdefault("postpartum_weeks", None)
            hint = wz._hint_true(q, flat)
            if isinstance(q.required, Condition):
                assert q.required(wz.nest(flat, names)) == hint, (q.name, flat)
            else:
                assert q.required is OPTIONAL


def _one_at_a_time(controls, domains):
    """The ten CAD items: all "no", and each one "yes" / "not_sure" in turn."""
    yield tuple("no" for _ in controls)
    for i in range(len(controls)):
        for value in domains[i]:
            yield tuple(value if j == i else "no" for j in range(len(controls)))
