"""assemble() nests each step's answers onto the earlier ones (wizard._GrowingNest, issue #7) instead of nesting
every answer again for every step. It must give exactly what nest() gives for the same flat answers, on every call
assemble makes: checked on the examples and on generated drafts, including inconsistent ones (aura details with
"no aura", PSFS rows, answers of sections that no longer apply)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake import wizard as wz
from tests.web.conftest import example

NAMES = wz.question_index({})


def checked_assemble(flat: dict) -> tuple[tuple, int]:
    """assemble(), with every _GrowingNest result compared to nest() of the same flat answers."""
    calls = 0
    original = wz._GrowingNest.__call__

    def compare(self, answers):
        nonlocal calls
        got = original(self, answers)
        assert got == wz.nest(answers, self.names), sorted(set(answers) - set(self.flat or {}))
        calls += 1
        return got

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wz._GrowingNest, "__call__", compare)
        return wz.assemble(flat, NAMES, {}), calls


def test_it_nests_every_step_of_the_examples_as_nest_does():
    for name in ("V1", "V4", "V7", "V9", "V11"):
        flat = wz.to_flat(example(name), NAMES)
        (_answers, steps, _kept), calls = checked_assemble(flat)
        assert calls >= len(steps) >= 4  # it ran, step by step


def test_it_adds_to_the_last_result_instead_of_nesting_again():
    flat = wz.to_flat(example("V4"), NAMES)
    full = []
    original = wz.nest

    def counting(answers, names):
        full.append(len(answers))
        return original(answers, names)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wz, "nest", counting)
        wz.assemble(flat, NAMES, {})
    # The growing nest starts from nothing and assemble nests the kept answers once at the end: 2 full nests for
    # 13 steps, where nesting afresh made one per step.
    assert len(full) <= 3, full


def value_for(q: wz.Question):
    if q.kind == "presence":
        return st.sampled_from(["yes", "no"])
    if q.kind in ("tick",):
        return st.sampled_from(["yes", "no", True, False])
    if q.kind in ("booltick", "bool"):
        return st.booleans()
    if q.kind == "codes":
        return st.lists(st.sampled_from(q.values), unique=True, max_size=3) if q.values else st.just([])
    if q.kind == "med":
        return st.one_of(st.integers(0, 31), st.just("not_sure"))
    if q.kind in ("int", "number"):
        lo = int(q.lo) if q.lo is not None else 0
        hi = int(q.hi) if q.hi is not None else 100
        return st.integers(lo, hi)
    if q.kind == "text":
        return st.sampled_from(["walking", "lifting", ""])
    if q.choices:
        return st.sampled_from(q.values)
    return st.sampled_from(["yes", "no"])


QUESTIONS = sorted(NAMES.values(), key=lambda q: q.name)


@st.composite
def drafts(draw):
    base = draw(st.sampled_from(["V1", "V4", "V7", "V9", "V11", None]))
    flat = wz.to_flat(example(base), NAMES) if base else {}
    for key in draw(st.lists(st.sampled_from(sorted(flat) or ["age"]), max_size=10)):
        flat.pop(key, None)
    for q in draw(st.lists(st.sampled_from(QUESTIONS), max_size=25)):
        flat[q.name] = draw(value_for(q))
    for toggle in ("has_back_pain", "has_headache", "neck_pain", "leg_pain", "ha_second_type"):
        if draw(st.booleans()) and draw(st.booleans()):
            flat[toggle] = draw(st.sampled_from(["yes", "no"]))
    return flat


@settings(max_examples=150, deadline=None)
@given(drafts())
def test_it_nests_generated_drafts_as_nest_does(flat):
    checked_assemble(flat)


def test_assemble_hands_out_the_kept_answers_nested_and_step_blocks_leaves_them_as_they_are():
    """The step pages and the review read Assembly.kept_nested (one nest less a request); it must be nest() of the
    kept answers, and building a step's questions from it must not change it (every page reuses it)."""
    import copy

    for name in ("V1", "V4", "V7", "V9", "V11"):
        assembly = wz.assemble(wz.to_flat(example(name), NAMES), NAMES, {})
        _answers, steps, kept = assembly
        assert assembly.kept_nested == wz.nest(kept, NAMES)
        before = copy.deepcopy(assembly.kept_nested)
        for step in steps:
            wz.flatten(wz.step_blocks(step, assembly.kept_nested, {}))
        assert assembly.kept_nested == before
