"""GET /fhir/Questionnaire/intake: the intake as a FHIR R4 Questionnaire, generated from the wizard's definitions."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import questions as words
from intake.fhir import codes
from intake.fhir.conditions import SPECIAL, AllOf, AnyOf, Atom, UnsupportedCondition, fhirpath, parse
from intake.fhir.questionnaire import intake_questionnaire
from intake.fhir.tree import NOT_ASKED
from intake.triage.schema import CAD_ITEMS, FIELDS, OPTIONAL, Condition

from .conftest import assert_outcome, assert_valid


def _items(items):
    for item in items:
        yield item
        yield from _items(item.get("item", []))


def _ext(item: dict, url: str):
    return next((e for e in item.get("extension", []) if e["url"] == url), None)


@pytest.fixture(scope="module")
def questionnaire():
    return intake_questionnaire({})


@pytest.fixture(scope="module")
def by_link(questionnaire):
    return {i["linkId"]: i for i in _items(questionnaire["item"])}


def test_it_serves_a_valid_r4_questionnaire(reader):
    response = reader.get("/fhir/Questionnaire/intake")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Cache-Control"] == "no-store"
    body = assert_valid(json.loads(response.content))
    assert body["url"] == codes.INTAKE_QUESTIONNAIRE_URL
    assert body["status"] == "active"


def test_it_answers_404_for_other_questionnaires(reader):
    assert_outcome(reader.get("/fhir/Questionnaire/nope"), 404)


def test_its_link_ids_are_the_contract_field_names(by_link):
    asked = [f.name for f in FIELDS if f.name not in NOT_ASKED]
    assert all(name in by_link for name in asked)
    for nested in ("ha_types.side", "ha_types.aura.types", "med_days.triptan", "instruments.phq9[8]",
                   "instruments.sss.fatigue", "instruments.psfs.score", "instruments.wpi"):
        assert nested in by_link


def test_link_ids_are_unique(questionnaire):  # invariant que-2
    ids = [i["linkId"] for i in _items(questionnaire["item"])]
    assert len(ids) == len(set(ids))


def test_nested_groups_have_the_contract_shape(by_link):
    ha_types = by_link["ha_types"]
    assert ha_types["type"] == "group" and ha_types["repeats"] is True
    assert _ext(ha_types, codes.EXT_MAX_OCCURS)["valueInteger"] == 2
    aura = by_link["ha_types.aura"]
    assert aura["type"] == "group"
    assert aura["enableWhen"] == [{"question": "ha_types.has_aura", "operator": "=",
                                   "answerCoding": {"system": codes.CS_ANSWER, "code": "yes"}}]
    assert by_link["med_days"]["type"] == "group" and by_link["instruments"]["type"] == "group"
    assert by_link["instruments.phq9"]["type"] == "group"


def test_item_types_follow_the_contract_types(by_link):
    assert by_link["age"]["type"] == "integer"
    assert by_link["procedure_days_ago"]["type"] == "decimal"
    assert by_link["has_back_pain"]["type"] == "choice"
    assert by_link["preeclampsia_symptoms"]["type"] == "choice" and by_link["preeclampsia_symptoms"]["repeats"]
    assert by_link["instruments.rmdq[0]"]["type"] == "boolean"
    assert by_link["instruments.psfs.activity"]["type"] == "string"
    assert [o["valueCoding"]["code"] for o in by_link["onset_to_peak"]["answerOption"]] == [
        "seconds", "within_a_minute", "minutes", "hours", "days_or_longer", "not_sure"]


def test_every_red_flag_question_is_required_and_marked(by_link):
    for spec in FIELDS:
        if spec.rf:
            item = by_link[spec.name]
            assert item["required"] is True, spec.name
            assert _ext(item, codes.EXT_RED_FLAG_QUESTION)["valueBoolean"] is True
            assert [o["valueCoding"]["code"] for o in item["answerOption"]] == ["yes", "no", "not_sure"]


def test_required_follows_the_schema(by_link):
    for spec in FIELDS:
        if spec.name in NOT_ASKED or spec.name == "instruments":  # instruments: a group left out is {} (B.13)
            continue
        expected = spec.required is not OPTIONAL and not spec.nullable
        assert by_link[spec.name].get("required", False) is expected, spec.name


def test_every_condition_is_stated_and_more_than_one_enable_when_has_a_behaviour(questionnaire, by_link):
    for item in _items(questionnaire["item"]):
        if len(item.get("enableWhen", [])) > 1:
            assert item["enableBehavior"] in ("any", "all"), item["linkId"]  # invariant que-12
        for when in item.get("enableWhen", []):
            assert when["question"] in by_link
    for spec in FIELDS:
        if isinstance(spec.required, Condition):
            item = by_link[spec.name]
            assert _ext(item, codes.EXT_REQUIRED_WHEN)["valueString"] == spec.required.text
            assert ("enableWhen" in item) != (_ext(item, codes.EXT_ENABLE_WHEN_EXPRESSION) is not None)


def test_mixed_conditions_use_enable_behaviour(by_link):
    assert by_link["ces_saddle_numbness"]["enableBehavior"] == "any"  # back OR leg pain
    assert by_link["gca_visual"]["enableBehavior"] == "all"  # headache AND age >= 50
    assert {w["question"] for w in by_link["neuro_symptoms_within_14_days"]["enableWhen"]} == set(CAD_ITEMS)


def test_a_condition_on_any_headache_type_is_an_sdc_expression(by_link):
    expression = _ext(by_link["typical_aura"], codes.EXT_ENABLE_WHEN_EXPRESSION)["valueExpression"]
    assert expression["language"] == "text/fhirpath"
    assert "linkId='ha_types.has_aura'" in expression["expression"]


def test_every_schema_condition_text_is_understood():
    for spec in FIELDS:
        if isinstance(spec.required, Condition):
            parse(spec.required.text)
    with pytest.raises(UnsupportedCondition):
        parse("the moon is full")


def test_fhirpath_of_an_integer_condition():
    assert fhirpath(Atom("age", ">=", 50)) == (
        "%resource.repeat(item).where(linkId='age').answer.value.where($this >= 50).exists()")


def test_choice_items_carry_patient_wording(by_link):
    assert by_link["has_back_pain"]["text"].startswith("Is low back pain")
    labels = {o["valueCoding"]["code"]: o["valueCoding"]["display"] for o in by_link["fever"]["answerOption"]}
    assert labels == {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
    help_item = by_link["age.help"]
    assert help_item["type"] == "display" and help_item["text"]


def test_empty_lists_are_an_exclusive_answer(by_link):
    last = by_link["preeclampsia_symptoms"]["answerOption"][-1]
    assert last["valueCoding"]["code"] == codes.NONE_OF_THESE
    assert _ext(last, codes.EXT_OPTION_EXCLUSIVE)["valueBoolean"] is True


def test_shipped_questionnaires_carry_loinc_codes_and_attribution(by_link):
    assert by_link["instruments.phq9[8]"]["code"] == [{"system": codes.LOINC, "code": "44260-8"}]
    assert by_link["instruments.gad7[0]"]["code"][0]["code"] == "69725-0"
    attribution = _ext(by_link["instruments.phq9"], codes.EXT_INSTRUMENT_COPYRIGHT)["valueMarkdown"]
    assert "No permission required" in attribution
    scored = by_link["instruments.phq9[0]"]["answerOption"][1]["valueCoding"]
    assert scored["code"] == "1" and _ext(scored, codes.EXT_ORDINAL_VALUE)["valueDecimal"] == 1


def test_licensed_questionnaires_are_left_out_without_a_pack(by_link):
    for key in ("csi_a", "csi_b", "odi", "ndi", "startback", "hit6", "midas", "isi", "peg", "pseq", "id_migraine",
                "promis_sleep"):
        assert f"instruments.{key}" not in by_link


def test_a_loaded_pack_adds_its_questionnaire_with_its_copyright(reader, load_packs):
    load_packs("startback", "promis_sleep")
    body = json.loads(reader.get("/fhir/Questionnaire/intake").content)
    assert_valid(body)
    items = {i["linkId"]: i for i in _items(body["item"])}
    startback = items["instruments.startback"]
    assert _ext(startback, codes.EXT_INSTRUMENT_COPYRIGHT)["valueMarkdown"] == "© Test owner of startback"
    assert items["instruments.startback[8]"]["text"] == "Test startback item 9"
    assert "© Test owner of startback" in body["copyright"]
    assert startback["enableWhen"][0]["question"] == "has_back_pain"  # asked as the wizard asks it
    form = items["instruments.promis_sleep.form"]
    assert form["readOnly"] is True and form["answerOption"][0]["initialSelected"] is True
    assert "instruments.csi_a" not in items


def test_it_is_valid_with_every_licensed_pack_loaded(reader, load_packs):
    load_packs()
    body = assert_valid(json.loads(reader.get("/fhir/Questionnaire/intake").content))
    items = {i["linkId"] for i in _items(body["item"])}
    for key in ("csi_a", "csi_b", "odi", "ndi", "startback", "hit6", "midas", "isi", "peg", "pseq", "id_migraine",
                "promis_sleep"):
        assert f"instruments.{key}" in items
    assert "instruments.midas.items[4]" in items and "instruments.promis_sleep.items[7]" in items


def test_midas_items_a_and_b_and_csi_part_b_are_worded_as_the_wizard_asks_them(reader, load_packs):
    load_packs("midas", "csi")
    items = {i["linkId"]: i for i in _items(json.loads(reader.get("/fhir/Questionnaire/intake").content)["item"])}
    assert items["instruments.midas.a"]["text"] == "Test midas item A"  # the pack's wording (packs.EXTRA_ITEMS)
    assert items["instruments.midas.b"]["text"] == "Test midas item B"
    assert items["instruments.midas.a"]["type"] == items["instruments.midas.b"]["type"] == "integer"
    assert not items["instruments.midas.a"].get("required")  # optional and unscored (§1.2.7)
    csi_b = items["instruments.csi_b"]
    assert csi_b["text"] == str(words.CSI_B.label)  # own words, not the pack's
    assert not _ext(csi_b, codes.EXT_INSTRUMENT_COPYRIGHT)
    assert csi_b["answerOption"][-1]["valueCoding"]["code"] == codes.NONE_OF_THESE


def test_midas_items_a_and_b_have_neutral_names_without_the_packs_wording(reader, load_packs):
    from intake.models import ContentPack

    pack = load_packs("midas")["midas"]
    pack.content = {k: v for k, v in pack.content.items() if k not in ("a", "b")}
    pack.full_clean()
    pack.save()
    assert ContentPack.objects.get().content.get("a") is None
    items = {i["linkId"]: i for i in _items(json.loads(reader.get("/fhir/Questionnaire/intake").content)["item"])}
    assert items["instruments.midas.a"]["text"].startswith("Migraine Disability Assessment (MIDAS) A")


def test_the_version_changes_with_the_packs(questionnaire, load_packs):
    from intake.wizard import active_packs

    load_packs("isi")
    assert intake_questionnaire(active_packs())["version"] != questionnaire["version"]


# ---------------------------------------------------------------- enableWhen agrees with the engine's Conditions
def _values(answers: dict, link_id: str) -> list:
    if link_id == "ha_types.has_aura":
        return ["yes" if isinstance(t.get("aura"), dict) else "no" for t in answers.get("ha_types") or []]
    if link_id.startswith("med_days."):
        value = (answers.get("med_days") or {}).get(link_id.split(".", 1)[1])
        return [] if value is None else [value]
    value = answers.get(link_id)
    return [] if value is None else [value]


def _compare(value, op: str, target) -> bool:
    if isinstance(target, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return {"=": value == target, "!=": value != target, ">=": value >= target, "<=": value <= target,
                ">": value > target, "<": value < target}[op]
    return (value == target) if op == "=" else (value != target)


def _holds(expr, answers) -> bool:
    if isinstance(expr, Atom):
        return any(_compare(v, expr.op, expr.value) for v in _values(answers, expr.question))
    results = [_holds(p, answers) for p in expr.parts]
    return all(results) if isinstance(expr, AllOf) else any(results)


def _enabled(item: dict, answers: dict, by_link: dict) -> bool:
    """FHIR semantics: enableWhen over the answers of enabled items; the SDC expression's source otherwise."""
    if "enableWhen" in item:
        results = []
        for when in item["enableWhen"]:
            target = when.get("answerInteger", when.get("answerCoding", {}).get("code"))
            results.append(_holds(Atom(when["question"], when["operator"], target), answers))
        return all(results) if item.get("enableBehavior") == "all" else any(results)
    if _ext(item, codes.EXT_ENABLE_WHEN_EXPRESSION):
        return _holds(parse(_ext(item, codes.EXT_REQUIRED_WHEN)["valueString"]), answers)
    return True


YN = st.sampled_from(["yes", "no"])
RF = st.sampled_from(["yes", "no", "not_sure"])
GATES = {
    "age": st.integers(0, 120),
    "has_back_pain": YN, "has_headache": YN, "neck_pain": YN, "leg_pain": YN,
    "pregnant": RF, "postpartum_weeks": st.one_of(st.none(), st.integers(0, 60)),
    "major_trauma": RF, "head_neck_trauma": RF, "dural_puncture_procedure": RF,
    **{name: RF for name in CAD_ITEMS},
    "med_days": st.fixed_dictionaries({"any_acute": st.integers(0, 31)}),
    "ha_types": st.lists(st.fixed_dictionaries({"aura": st.one_of(st.none(), st.just({}))}), min_size=1,
                         max_size=2),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({}, optional=GATES))
def test_enable_when_agrees_with_the_schema_conditions(by_link, answers):
    # A disabled item has no answer (FHIR); drop out-of-scope answers until nothing changes, as a form filler does.
    while True:
        dropped = [k for k in answers if k in by_link and not _enabled(by_link[k], answers, by_link)]
        if not dropped:
            break
        for k in dropped:
            del answers[k]
    for spec in FIELDS:
        if isinstance(spec.required, Condition):
            assert _enabled(by_link[spec.name], answers, by_link) == spec.required(answers), (spec.name, answers)


def test_the_special_phrases_are_the_schema_ones():
    texts = {spec.required.text for spec in FIELDS if isinstance(spec.required, Condition)}
    for phrase in SPECIAL:
        assert any(phrase in text for text in texts)
    assert isinstance(parse("has_back_pain = yes OR leg_pain = yes"), AnyOf)
