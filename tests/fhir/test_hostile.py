"""Random and hostile bodies posted to /fhir/QuestionnaireResponse: never a 500, always an OperationOutcome."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import assert_valid, example, post_json, qr_for

HYPOTHESIS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
FIELD_NAMES = st.sampled_from(["linkId", "answer", "item", "valueCoding", "valueInteger", "valueString",
                               "valueBoolean", "valueDecimal", "extension", "text", "resourceType"])


def _check(response) -> None:
    assert response.status_code < 500, response.content[:2000]
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert body["resourceType"] == "OperationOutcome" and body["issue"]
        assert_valid(body)


def _all_items(items):
    """Every item dict at any depth (groups of headache types, questionnaires, ...)."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            yield item
            yield from _all_items(item.get("item"))


@pytest.fixture
def base_resource():
    answers = example("V4", licensed=False)
    answers["instruments"]["psfs"] = [{"activity": "walking", "score": 3}] * 3
    return qr_for(answers)


@HYPOTHESIS
@given(value=json_values)
def test_random_json_is_refused_with_an_outcome(writer, value):
    _check(post_json(writer, json.dumps(value)))


@HYPOTHESIS
@given(body=st.binary(max_size=200))
def test_random_bytes_are_refused_with_an_outcome(writer, body):
    _check(post_json(writer, body))


@HYPOTHESIS
@given(data=st.data())
def test_a_mutated_response_never_breaks_the_server(writer, base_resource, data):
    resource = json.loads(json.dumps(base_resource))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(["top", "item", "answer", "nested"]))
        if where == "top":
            key = data.draw(st.sampled_from(["subject", "questionnaire", "status", "contained", "identifier", "item",
                                             "authored", "resourceType"]))
            resource[key] = data.draw(json_values)
        else:
            items = list(_all_items(resource.get("item")))
            if not items:
                continue
            item = items[data.draw(st.integers(0, len(items) - 1))]
            if where == "item":
                item[data.draw(FIELD_NAMES)] = data.draw(json_values)
            elif where == "answer":
                item["answer"] = [{data.draw(FIELD_NAMES): data.draw(json_values)}]
            else:
                children = item["item"] if isinstance(item.get("item"), list) else []
                item["item"] = [*children, {"linkId": data.draw(st.text(max_size=30)),
                                            "answer": [{"valueString": data.draw(st.text(max_size=5))}]}]
    _check(post_json(writer, json.dumps(resource)))


@pytest.mark.parametrize("body", [
    '{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "age", "answer": '
    '[{"valueDecimal": 1e400}]}]}',
    '{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "age", "answer": '
    '[{"valueInteger": NaN}]}]}',
    '{"resourceType": "QuestionnaireResponse", "resourceType": "Patient"}',
    '{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "age", "answer": '
    '[{"valueInteger": ' + "9" * 5000 + "}]}]}",
    '{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "\\u0000\'", '
    '"answer": [{"valueString": "x"}]}]}',
    '\ufeff{"resourceType": "QuestionnaireResponse"}',
    '{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "ha_types", '
    '"item": null}, {"linkId": "med_days", "item": [], "answer": null}, {"linkId": "age", "answer": [null]}]}',
    '{"resourceType": "QuestionnaireResponse", "status": "completed", "subject": {"reference": "#nope"}, '
    '"contained": [{"resourceType": "Patient", "id": "p", "identifier": [{"system": null, "value": 3}]}]}',
])
def test_hostile_bodies_get_an_outcome(writer, body):
    response = post_json(writer, body.encode())
    _check(response)
    assert response.status_code in (400, 422)


def test_a_huge_decimal_is_a_named_error(writer):
    answers = example("V7")
    answers.update(dural_puncture_procedure="yes", procedure_days_ago=3, procedure_to_headache_onset_days=1,
                   pdph_no_longer_positional="no")
    resource = qr_for(answers)
    item = next(i for i in resource["item"] if i["linkId"] == "procedure_days_ago")
    body = json.dumps(resource).replace('"valueDecimal": 3', '"valueDecimal": 1e400')
    assert item
    response = post_json(writer, body)
    _check(response)
    assert response.status_code in (400, 422)
