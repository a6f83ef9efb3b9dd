"""Random and hostile POSTs to every step: never a 500, never an out-of-range answer in the draft, nothing lost.

Wrong types, huge numbers, unknown keys, unicode, control characters and missing fields are posted to every step
of a patient whose draft is already complete. After each POST: the status is 200 or 302, every stored answer is
within its question's domain (and the contract's, for top-level fields), and every answer of the other steps is
exactly as it was.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import wizard as wz
from intake.triage.errors import FieldError
from intake.triage.schema import FIELD_BY_NAME, check_value
from tests.web.conftest import example, post_step, walk

NAMES = wz.question_index({})
EVERYONE = {"age": 60, "has_back_pain": "yes", "has_headache": "yes", "neck_pain": "yes", "leg_pain": "yes",
            "ha_types": [{"aura": {}}, {"aura": {}}], "_ha_second_type": "yes"}
STEP_NAMES = {
    step.slug: {q.name for q in wz.flatten(wz.step_blocks(step, EVERYONE, {}))} for step in wz.STEPS
}

NASTY = st.sampled_from([
    "", " ", "yes", "no", "not_sure", "0", "-1", "31", "32", "120", "121", "1e9", "1e309", "-0", "0.5", "2.0",
    "NaN", "inf", "-inf", "１２", "٣", "²", "\x00", "1\x002", "\x1b[31m", "\u202e", "<script>alert(1)</script>",
    "9" * 5000, "true",
    "on", "None", "null", "[]", "{}", "visual", "lower_back", "10+", "one_side", "not_used", "😀" * 300,
])
VALUE = st.one_of(
    NASTY,
    st.text(max_size=30),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(NASTY, min_size=2, max_size=4),
)


def in_domain(q: wz.Question, v) -> bool:
    kind = q.kind
    if kind in ("enum", "ui", "presence"):
        return v in q.values
    if kind == "intchoice":
        return type(v) is int and v in q.values
    if kind in ("bool", "booltick"):
        return isinstance(v, bool)
    if kind == "tick":
        return v in ("yes", "no")
    if kind == "codes":
        return isinstance(v, list) and len(set(v)) == len(v) and all(c in q.values for c in v)
    if kind == "text":
        return isinstance(v, str) and 0 < len(v) <= wz.MAX_TEXT and v == v.strip()
    if kind == "med" and v == "not_sure":
        return True
    if v is None:
        return q.nullable
    if kind in ("int", "med"):
        return type(v) is int and (q.lo is None or v >= q.lo) and (q.hi is None or v <= q.hi)
    if kind == "number":
        return (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                and q.lo <= v <= q.hi)
    return False


def assert_draft_sound(draft: dict) -> None:
    for name, value in draft.items():
        if name.startswith("_"):
            continue
        q = NAMES[name]  # no unknown key is ever stored
        assert in_domain(q, value), (name, value)
        if q.path and len(q.path) == 1 and q.path[0] in FIELD_BY_NAME:
            errors: list[FieldError] = []
            ok, _ = check_value(FIELD_BY_NAME[q.path[0]], value, name, errors)
            assert ok, (name, value, errors)


@pytest.fixture
def complete_patient(patient):
    walk(patient, example("V4"))
    return patient


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_posts_never_break_the_draft(complete_patient, data):
    client = complete_patient
    slug = data.draw(st.sampled_from([s.slug for s in wz.STEPS] + ["no-such-step"]), label="step")
    known = sorted(STEP_NAMES.get(slug, set()) | {f"{n}-not_sure" for n in STEP_NAMES.get(slug, set())
                                                  if n.startswith("med_days-")})
    keys = data.draw(st.lists(st.sampled_from(known), unique=True, max_size=len(known)), label="keys") if known else []
    keys += data.draw(st.lists(st.text(min_size=1, max_size=20), max_size=3), label="unknown keys")
    post = {key: data.draw(VALUE, label=key) for key in keys}
    post["action"] = data.draw(st.sampled_from(["next", "back", "save", "", "delete", "☃"]), label="action")

    client.invitation.draft.refresh_from_db()
    before = dict(client.invitation.draft.answers)
    response = post_step(client, slug, post)
    assert response.status_code in (200, 302, 404)
    client.invitation.draft.refresh_from_db()
    after = client.invitation.draft.answers
    assert_draft_sound(after)
    mine = STEP_NAMES.get(slug, set())
    for name, value in before.items():
        if name.startswith("_") or name in mine:
            continue
        assert after.get(name, "<lost>") == value, name  # other steps' answers are never touched
    for name, value in after.items():
        if not name.startswith("_") and name not in mine:
            assert before.get(name) == value, name


def test_control_characters_are_never_stored(patient):
    response = post_step(patient, "about", {"age": "1\x002", "sex": "\x00", "has_back_pain": "yes\x00"})
    assert response.status_code == 200
    patient.invitation.draft.refresh_from_db()
    draft = patient.invitation.draft.answers
    assert draft["_raw"]["about"]["age"] == "12"
    assert_draft_sound(draft)


def test_the_walked_draft_is_sound(complete_patient):
    complete_patient.invitation.draft.refresh_from_db()
    assert_draft_sound(complete_patient.invitation.draft.answers)
