"""The check-ins as FHIR: GET /fhir/Questionnaire/checkin-<time point>, GET /fhir/QuestionnaireResponse/checkin-<id>,
GET /fhir/Bundle/summary/checkin-<id>, and check-ins in `export_fhir` (docs/fhir.md)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.clinician.models import AuditEvent
from intake.fhir import codes
from intake.fhir.checkin import (
    BASELINE,
    build,
    checkin_questionnaire,
    checkin_questionnaire_response,
    checkin_summary_bundle,
    context_holds,
)
from intake.fhir.conditions import AllOf, Atom
from intake.fhir.response import items_to_answers
from intake.triage import checkin_schema as cs
from intake.triage.schema import CAD_ITEMS, OPTIONAL, Condition

from .conftest import answered_checkin, assert_outcome, assert_valid, checkin_baseline, example, submit

TIME_POINTS = list(cs.TIME_POINTS)


def _items(items):
    for item in items:
        yield item
        yield from _items(item.get("item", []))


def _ext(item: dict, url: str):
    return next((e for e in item.get("extension", []) if e["url"] == url), None)


def _context(item: dict) -> tuple[str, str] | None:
    ext = _ext(item, codes.EXT_CHECKIN_BASELINE_CONDITION)
    if ext is None:
        return None
    parts = {e["url"]: e for e in ext["extension"]}
    return parts["condition"]["valueString"], parts["combine"]["valueCode"]


@pytest.fixture(scope="module")
def questionnaires():
    return {tp: checkin_questionnaire(tp) for tp in TIME_POINTS}


@pytest.fixture(scope="module")
def week6(questionnaires):
    return {i["linkId"]: i for i in _items(questionnaires["week6"]["item"])}


# ---------------------------------------------------------------- the Questionnaires
@pytest.mark.parametrize("time_point", TIME_POINTS)
def test_each_checkin_is_served_as_a_valid_questionnaire(reader, time_point):
    response = reader.get(f"/fhir/Questionnaire/checkin-{time_point}")
    assert response.status_code == 200, response.content[:2000]
    assert response["Cache-Control"] == "no-store"
    body = assert_valid(json.loads(response.content))
    assert body["id"] == f"checkin-{time_point}"
    assert body["url"] == f"{codes.BASE}/Questionnaire/checkin-{time_point}"
    ids = [i["linkId"] for i in _items(body["item"])]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("raw_id", ["checkin-week3", "checkin-", "checkin-WEEK6", "checkin-week6x"])
def test_an_unknown_checkin_questionnaire_is_a_404(reader, raw_id):
    assert_outcome(reader.get(f"/fhir/Questionnaire/{raw_id}"), 404)


def test_link_ids_are_the_checkin_answer_names(questionnaires):
    for tp, questionnaire in questionnaires.items():
        by_link = {i["linkId"] for i in _items(questionnaire["item"])}
        for spec in cs.FIELDS:
            if spec.name != "instruments" or cs.TIME_POINTS[tp]["weeks"] >= cs.EXTENDED_FROM_WEEK:
                assert spec.name in by_link, (tp, spec.name)
        assert {f"med_days_window.{k}" for k in cs.MED_KEYS} <= by_link


def test_the_recall_window_sets_the_day_ranges(questionnaires):
    for tp, questionnaire in questionnaires.items():
        by_link = {i["linkId"]: i for i in _items(questionnaire["item"])}
        window = cs.TIME_POINTS[tp]["window_days"]
        for link in ("ha_days_window", "migraine_days_window", "med_days_window.triptan", "med_days_window.any_acute"):
            assert _ext(by_link[link], codes.EXT_MAX_VALUE)["valueInteger"] == window, (tp, link)


def test_the_red_flag_rescreen_is_required_and_marked(week6):
    rf = [spec for spec in cs.FIELDS if spec.rf]
    assert {"ces_saddle_numbness", "fever", "post_tx_within_7_days", "major_trauma"} <= {s.name for s in rf}
    assert week6["onset_to_peak"]["required"] is True  # re-screened too, with its own answer values
    for spec in rf:
        item = week6[spec.name]
        assert item["required"] is True, spec.name
        assert _ext(item, codes.EXT_RED_FLAG_QUESTION)["valueBoolean"] is True
        assert [o["valueCoding"]["code"] for o in item["answerOption"]] == list(spec.values)


def test_required_follows_the_field_table(week6):
    for spec in cs.FIELDS:
        if spec.name == "instruments":
            continue
        expected = spec.required is not OPTIONAL and not spec.nullable
        assert week6[spec.name].get("required", False) is expected, spec.name


def test_answer_value_sets(week6):
    codes_of = {link: [o["valueCoding"]["code"] for o in week6[link]["answerOption"]]
                for link in ("pgic", "nprs_head", "onset_to_peak", "procedure_type", "leg_pain_below_knee")}
    assert codes_of["pgic"] == [str(n) for n in range(1, 8)]
    assert codes_of["nprs_head"] == ["no_headaches", *(str(n) for n in range(11))]
    assert codes_of["onset_to_peak"][-1] == "no_headache"
    assert codes_of["leg_pain_below_knee"] == ["none", "left", "right", "both"]
    pgic = week6["pgic"]["answerOption"][3]["valueCoding"]
    assert pgic["display"] == "No change" and _ext(pgic, codes.EXT_ORDINAL_VALUE)["valueDecimal"] == 4
    assert _ext(week6["nprs_head"]["answerOption"][0]["valueCoding"], codes.EXT_ORDINAL_VALUE) is None


def test_baseline_conditions_are_an_extension_answer_conditions_are_enable_when(week6):
    assert _context(week6["nprs_back"]) == ("baseline has_back_pain = yes", "all")
    assert "enableWhen" not in week6["nprs_back"]
    assert _context(week6["migraine_days_window"]) == ("migraine phenotype at baseline", "all")
    assert _context(week6["pgic"]) is None and "enableWhen" not in week6["pgic"]
    # AND: the item exists only with the context; then its enableWhen applies.
    assert _context(week6["major_trauma"]) == ("baseline has_back_pain = yes", "all")
    assert [w["question"] for w in week6["major_trauma"]["enableWhen"]] == ["new_event_injury"]
    # OR: with the context the CAD items are always asked; without it, after a neck treatment.
    assert _context(week6["vertigo_new"]) == ("baseline neck_pain = yes OR baseline has_headache = yes", "any")
    assert [w["question"] for w in week6["vertigo_new"]["enableWhen"]] == ["neck_treatment_since_last"]
    assert {w["question"] for w in week6["neuro_symptoms_within_14_days"]["enableWhen"]} == set(CAD_ITEMS)
    assert week6["confusion_drowsy"]["enableBehavior"] == "any"
    # "neck treatment AND any POST-TX item" cannot be said with enableWhen (a CAD item may be asked without it).
    expression = _ext(week6["post_tx_within_7_days"], codes.EXT_ENABLE_WHEN_EXPRESSION)["valueExpression"]
    assert "neck_treatment_since_last" in expression["expression"]
    assert "enableWhen" not in week6["post_tx_within_7_days"]
    for spec in cs.FIELDS:
        if isinstance(spec.required, Condition):
            assert _ext(week6[spec.name], codes.EXT_REQUIRED_WHEN)["valueString"] == spec.required.text


def test_questionnaires_from_six_weeks_ask_phq4_and_cascade_to_phq9_and_gad7(questionnaires, week6):
    week2 = {i["linkId"] for i in _items(questionnaires["week2"]["item"])}
    assert not any(link.startswith("instruments") for link in week2)
    assert week6["instruments"]["required"] is True and week6["instruments.phq4"]["required"] is True
    assert week6["instruments.phq4[0]"]["code"][0]["code"] == "69725-0"
    cascade = _ext(week6["instruments.phq9"], codes.EXT_ENABLE_WHEN_EXPRESSION)["valueExpression"]["expression"]
    assert "instruments.phq4[3]" in cascade and ">= 3" in cascade
    assert _context(week6["instruments.rmdq"])[0] == "baseline has_back_pain = yes AND baseline instruments.rmdq given"
    assert _context(week6["instruments.psfs"])[0] == "baseline instruments.psfs given"
    assert week6["instruments.psfs.activity"]["readOnly"] is True


# ---------------------------------------------------------------- the split agrees with the engine's Conditions
def _compare(value, op: str, target) -> bool:
    if isinstance(target, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return {"=": value == target, ">=": value >= target, "<=": value <= target}[op]
    return value == target if op == "=" else value != target


def _holds(expr, answers: dict) -> bool:
    if isinstance(expr, Atom):
        value = answers.get(expr.question)
        return value is not None and _compare(value, expr.op, expr.value)
    results = [_holds(p, answers) for p in expr.parts]
    return all(results) if isinstance(expr, AllOf) else any(results)


def _enable_when(item: dict, answers: dict, splits: dict) -> bool | None:
    """FHIR semantics of the answer part: enableWhen, or the SDC expression's source; None when there is none."""
    if "enableWhen" in item:
        results = []
        for when in item["enableWhen"]:
            target = when.get("answerInteger", when.get("answerCoding", {}).get("code"))
            results.append(_holds(Atom(when["question"], when["operator"], target), answers))
        return all(results) if item.get("enableBehavior") == "all" else any(results)
    if _ext(item, codes.EXT_ENABLE_WHEN_EXPRESSION):
        return _holds(splits[item["linkId"]].answer, answers)
    return None


def _asked(item: dict, answers: dict, view: dict, splits: dict) -> bool:
    """As the server renders the form for this baseline (context) and a form filler applies enableWhen."""
    split = splits.get(item["linkId"])
    enabled = _enable_when(item, answers, splits)
    if split is None or split.context is None:
        return True if enabled is None else enabled
    here = context_holds(split.context, view)
    if split.combine == "any":
        return here or bool(enabled)
    return here and (True if enabled is None else enabled)


YN = st.sampled_from(["yes", "no"])
RF = st.sampled_from(["yes", "no", "not_sure"])
VIEWS = st.fixed_dictionaries({
    "has_back_pain": YN, "has_headache": YN, "neck_pain": YN, "leg_pain": YN, "_migraine": st.booleans(),
})
ANSWERS = st.fixed_dictionaries({}, optional={
    **{name: RF for name in (*CAD_ITEMS, "fever", "head_neck_trauma", "major_trauma", "dural_puncture_procedure",
                             "pregnant", "leg_weakness_new", *cs.POST_TX_EXTRA, cs.POST_TX_NAUSEA)},
    **{name: YN for name in ("neck_treatment_since_last", "new_event_injury", "new_event_procedure",
                             "new_event_diagnosis")},
    "postpartum_weeks": st.one_of(st.none(), st.integers(0, 60)),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(view=VIEWS, answers=ANSWERS)
def test_context_and_enable_when_agree_with_the_field_table(week6, view, answers):
    _root, splits = build("week6")
    view = {**view, "_weeks": 6, "_window_days": 28}
    while True:  # a question that is not asked has no answer: drop until nothing changes
        dropped = [k for k in answers if not _asked(week6[k], answers, view, splits)]
        if not dropped:
            break
        for k in dropped:
            del answers[k]
    for spec in cs.FIELDS:
        if isinstance(spec.required, Condition):
            expected = spec.required({**view, **answers})
            assert _asked(week6[spec.name], answers, view, splits) == expected, (spec.name, view, answers)


def test_baseline_contexts_name_baseline_facts_only():
    _root, splits = build("week6")
    answer_names = set(cs.FIELD_BY_KEY)
    for split in splits.values():
        for atom in _atoms(split.context):
            assert atom.question.startswith(BASELINE) and atom.question not in answer_names
        for atom in _atoms(split.answer):
            assert atom.question in answer_names


def _atoms(expr):
    if expr is None:
        return
    if isinstance(expr, Atom):
        yield expr
    else:
        for part in expr.parts:
            yield from _atoms(part)


# ---------------------------------------------------------------- answered check-ins
def test_an_answered_checkin_is_a_valid_questionnaire_response(reader):
    psfs = [{"activity": a, "score": 6} for a in ("Walking", "Lifting", "Sitting")]
    instruments = {"phq4": [0, 1, 0, 0], "psfs": psfs}
    response = answered_checkin(pgic=6, new_event_diagnosis="yes", new_event_diagnosis_text="Diabetes",
                                free_text="Feeling tired", instruments=instruments)
    http = reader.get(f"/fhir/QuestionnaireResponse/checkin-{response.pk}")
    assert http.status_code == 200, http.content[:2000]
    body = assert_valid(json.loads(http.content))
    assert body["id"] == f"checkin-{response.pk}"
    assert body["questionnaire"] == (
        f"{codes.BASE}/Questionnaire/checkin-week6|{checkin_questionnaire('week6')['version']}")
    assert body["subject"] == {"reference": f"Patient/{response.patient_id}"}
    assert _ext(body, codes.EXT_CHECKIN_BASELINE)["valueReference"] == {
        "reference": f"QuestionnaireResponse/{response.checkin.plan.intake_id}"}
    items = {i["linkId"]: i for i in _items(body["item"])}
    assert items["pgic"]["answer"] == [{"valueCoding": {"system": codes.CS_ANSWER, "code": "6",
                                                        "display": "Much worse"}}]
    activities = [i["answer"][0]["valueString"] for i in _items(body["item"])
                  if i["linkId"] == "instruments.psfs.activity"]
    assert activities == ["Walking", "Lifting", "Sitting"]
    assert items["med_days_window.triptan"]["answer"] == [{"valueInteger": 0}]


def test_the_checkin_response_reads_back_as_the_stored_answers(db):
    response = answered_checkin(nprs_head="no_headaches", pregnant="yes", gestation_weeks=20,
                                preeclampsia_symptoms=[], postpartum_weeks=None,
                                med_days_window={**dict.fromkeys(("paracetamol", "nsaid_aspirin", "ergot", "opioid",
                                                                  "combination", "gepant_ditan", "other"), 0),
                                                 "triptan": "not_sure", "any_acute": 3})
    root, _splits = build("week6", everything=True)
    back, issues = items_to_answers(root, checkin_questionnaire_response(response)["item"])
    assert issues == []
    assert back == {k: v for k, v in response.answers.items() if v is not None}


def test_the_checkin_summary_has_scores_and_a_flag_per_new_red_flag(reader):
    response = answered_checkin(pgic=6, ces_saddle_numbness="yes")
    summary = response.summary
    assert "LBP-CES-1" in summary["new_red_flags"]
    # a flag that is not new (it fired before) is already a Flag of the earlier record: not repeated
    response.summary = {**summary, "red_flags": [*summary["red_flags"], {**summary["red_flags"][0], "id": "OLD-1"}]}
    response.save()
    http = reader.get(f"/fhir/Bundle/summary/checkin-{response.pk}")
    bundle = assert_valid(json.loads(http.content))
    assert bundle["id"] == f"summary-checkin-{response.pk}"
    by_type: dict = {}
    for entry in bundle["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    assert [f["code"]["coding"][0]["code"] for f in by_type["Flag"]] == summary["new_red_flags"]
    assert by_type["Flag"][0]["id"] == f"checkin-{response.pk}-LBP-CES-1"
    observations = {o["id"]: o for o in by_type["Observation"]}
    overall = observations[f"checkin-{response.pk}-overall-tier"]
    assert overall["valueCodeableConcept"]["coding"][0]["code"] == summary["overall_tier"] == "ED_NOW"
    assert observations[f"checkin-{response.pk}-score-pgic"]["valueInteger"] == 6
    nprs = observations[f"checkin-{response.pk}-score-nprs-back"]
    assert nprs["valueInteger"] == response.answers["nprs_back"]
    assert nprs["derivedFrom"] == [{"reference": f"QuestionnaireResponse/checkin-{response.pk}"}]
    assert {c["code"]["coding"][0]["code"] for c in nprs["component"]} >= {"nprs_back.baseline", "nprs_back.status"}
    assert any(c["system"] == codes.LOINC and c["code"] == "72514-3" for c in nprs["code"]["coding"])


def test_a_failed_checkin_summary_says_review_manually(db):
    response = answered_checkin()
    response.summary, response.triage_status = None, "failed"
    response.save()
    bundle = assert_valid(checkin_summary_bundle(response))
    overall = bundle["entry"][1]["resource"]
    assert overall["dataAbsentReason"]["coding"][0]["code"] == "error"
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient", "Observation"]


@pytest.mark.parametrize("raw_id", ["checkin-999999", "checkin-abc", "checkin-0", "checkin-", "checkin--1"])
def test_an_unknown_checkin_response_is_a_404(reader, raw_id):
    assert_outcome(reader.get(f"/fhir/QuestionnaireResponse/{raw_id}"), 404)
    assert_outcome(reader.get(f"/fhir/Bundle/summary/{raw_id}"), 404)


def test_checkin_reads_are_in_the_audit_trail(reader):
    response = answered_checkin()
    reader.get(f"/fhir/QuestionnaireResponse/checkin-{response.pk}")
    event = AuditEvent.objects.get(action="view")
    assert event.object_id == str(response.pk) and event.patient_pk == response.patient_id
    assert event.object_type == "checkins.checkinresponse" and event.detail["resource"] == "QuestionnaireResponse"


def test_the_intake_summary_bundle_is_the_intakes_own(reader):
    response = answered_checkin(ces_saddle_numbness="yes")
    intake_id = response.checkin.plan.intake_id
    bundle = assert_valid(json.loads(reader.get(f"/fhir/Bundle/summary/{intake_id}").content))
    assert not any(e["resource"]["id"].startswith("checkin-") for e in bundle["entry"])


def test_export_includes_each_answered_checkin_after_its_intake(db):
    first = submit(example("V7"))
    response = answered_checkin(first.patient, ces_saddle_numbness="yes")
    week2 = answered_checkin(first.patient, time_point="week2", baseline=checkin_baseline(age=55))
    answered_checkin()  # another patient: not in the export
    out = io.StringIO()

    call_command("export_fhir", "--patient", str(first.patient_id), stdout=out)

    bundle = assert_valid(json.loads(out.getvalue()))
    ids = [f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]]
    baseline = f"QuestionnaireResponse/{response.checkin.plan.intake_id}"
    assert ids.index(f"QuestionnaireResponse/{first.pk}") < ids.index(baseline)
    assert ids.index(baseline) < ids.index(f"QuestionnaireResponse/checkin-{response.pk}")
    assert f"QuestionnaireResponse/checkin-{week2.pk}" in ids
    assert f"Flag/checkin-{response.pk}-LBP-CES-1" in ids
    assert f"Observation/checkin-{response.pk}-overall-tier" in ids
    subjects = {e["resource"]["subject"]["reference"] for e in bundle["entry"] if "subject" in e["resource"]}
    assert subjects == {f"Patient/{first.patient_id}"}
    assert len(ids) == len(set(ids))
