"""Contract answers -> QuestionnaireResponse items -> contract answers is the identity (no database)."""

from __future__ import annotations

from hypothesis import given, settings

from intake.fhir.response import answers_to_items, items_to_answers
from intake.fhir.tree import build
from intake.triage import validate
from tests.engine.strategies import valid_intakes

from .conftest import assert_valid, example, qr_for

TREE = build({}, everything=True)


def _round_trip(answers: dict) -> dict:
    back, issues = items_to_answers(TREE, answers_to_items(TREE, answers))
    assert issues == []
    return back


@settings(max_examples=200, deadline=None)
@given(valid_intakes())
def test_any_valid_intake_reads_back_unchanged(answers):
    assert validate(answers)[1] == []
    assert _round_trip(answers) == answers


def test_the_examples_read_back_unchanged():
    for name in ("V1", "V4", "V7", "V9", "V11"):
        answers = example(name)
        assert _round_trip(answers) == answers, name


def test_an_exported_response_is_valid_fhir():
    for name in ("V4", "V11"):
        assert_valid(qr_for(example(name)))


def test_aura_is_a_yes_no_question_and_a_group():
    items = answers_to_items(TREE, example("V11"))
    ha_type = next(i for i in items if i["linkId"] == "ha_types")
    children = {i["linkId"]: i for i in ha_type["item"]}
    assert children["ha_types.has_aura"]["answer"][0]["valueCoding"]["code"] == "yes"
    aura = {i["linkId"]: i for i in children["ha_types.aura"]["item"]}
    assert aura["ha_types.aura.types"]["answer"][0]["valueCoding"]["code"] == "visual"


def test_a_not_sure_medicine_count_has_a_data_absent_reason():
    answers = example("V7")
    answers["med_days"]["opioid"] = "not_sure"
    items = answers_to_items(TREE, answers)
    med = {i["linkId"]: i for i in next(i for i in items if i["linkId"] == "med_days")["item"]}
    assert med["med_days.opioid"]["answer"] == [{"extension": [{
        "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "asked-unknown"}]}]
    assert _round_trip(answers) == answers
