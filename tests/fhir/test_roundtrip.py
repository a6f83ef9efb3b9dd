"""An intake exported as a QuestionnaireResponse and posted back is the same intake, triaged the same way."""

from __future__ import annotations

import json

import pytest

from intake.models import Intake

from .conftest import assert_valid, example, post_json, submit


@pytest.mark.parametrize("name", ["V1", "V4", "V7"])
def test_it_round_trips_an_example_to_the_same_summary(name, reader, writer, load_packs):
    load_packs()  # V1 and V4 answer licensed questionnaires (STarT Back, CSI, ODI, HIT-6, ...)
    original = submit(example(name))
    exported = json.loads(reader.get(f"/fhir/QuestionnaireResponse/{original.pk}").content)
    assert_valid(exported)

    response = post_json(writer, exported)

    assert response.status_code == 201, response.content[:3000]
    copy = Intake.objects.exclude(pk=original.pk).get()
    assert copy.answers == original.answers
    assert copy.summary == original.summary
    assert copy.patient_id == original.patient_id  # subject Patient/<id> is matched, not duplicated
    assert response["Location"] == f"/fhir/QuestionnaireResponse/{copy.pk}"
    assert_valid(json.loads(response.content))


def test_it_keeps_not_sure_nulls_and_empty_lists(reader, writer):
    answers = example("V7")
    answers["med_days"]["triptan"] = "not_sure"
    answers["pregnant"] = "yes"
    answers["gestation_weeks"] = 20
    answers["preeclampsia_symptoms"] = []
    original = submit(answers)
    exported = json.loads(reader.get(f"/fhir/QuestionnaireResponse/{original.pk}").content)
    items = {i["linkId"]: i for i in exported["item"]}
    assert items["preeclampsia_symptoms"]["answer"][0]["valueCoding"]["code"] == "none_of_these"
    assert "postpartum_weeks" not in items  # null is an item left out

    response = post_json(writer, exported)

    assert response.status_code == 201, response.content[:3000]
    copy = Intake.objects.exclude(pk=original.pk).get()
    assert copy.answers["med_days"]["triptan"] == "not_sure"
    assert copy.answers["preeclampsia_symptoms"] == []
    assert copy.answers["postpartum_weeks"] is None
    assert copy.summary == original.summary
