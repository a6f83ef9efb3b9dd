"""The worked examples (reference.md §7; contract parts F, G, H), checked the way contract part F describes.

The example files are copied into tests/engine/examples so the suite never reads ../shared. Each is run through
the engine and through `manage.py triage`, and its `must`, `must_not` and the contract invariants are checked.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from intake.triage import evaluate

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))
MISSING = object()


def _match(exp, act) -> bool:
    if isinstance(exp, dict):
        return isinstance(act, dict) and all(k in act and _match(v, act[k]) for k, v in exp.items())
    if isinstance(exp, list):
        return isinstance(act, list) and _assign(exp, act) == len(exp)
    if isinstance(exp, bool) or isinstance(act, bool):
        return isinstance(exp, bool) and isinstance(act, bool) and exp == act
    if isinstance(exp, (int, float)):
        return isinstance(act, (int, float)) and math.isfinite(act) and abs(exp - act) <= 1e-6
    if isinstance(exp, str) and exp.startswith("re:"):
        return isinstance(act, str) and re.fullmatch(exp[3:], act, re.S) is not None
    return exp == act


def _assign(exp: list, act: list) -> int:
    """Each expected item must match a different element (bipartite matching)."""
    owner: dict[int, int] = {}

    def try_(i, seen):
        for j, a in enumerate(act):
            if j in seen or not _match(exp[i], a):
                continue
            seen.add(j)
            if j not in owner or try_(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(exp)) if try_(i, set()))


def _get(obj, path: str):
    cur = obj
    for seg in path.split("."):
        if isinstance(cur, dict) and seg in cur:
            cur = cur[seg]
        elif isinstance(cur, list) and seg.isdigit() and int(seg) < len(cur):
            cur = cur[int(seg)]
        else:
            return MISSING
    return cur


def must_failures(out: dict, must: dict) -> list[str]:
    bad = []
    for key, exp in must.items():
        path, _, op = key.partition("#")
        act = _get(out, path)
        if act is MISSING:
            bad.append(f"{path} missing")
        elif op == "exact":
            if not (isinstance(act, list) and len(act) == len(exp) and _assign(exp, act) == len(exp)):
                bad.append(f"{path}: expected exactly {exp}, got {act}")
        elif op == "len":
            if not (isinstance(act, list) and len(act) == exp):
                bad.append(f"{path}: expected {exp} elements, got {act}")
        elif not _match(exp, act):
            bad.append(f"{path}: expected {exp}, got {act}")
    return bad


def must_not_failures(out: dict, must_not: dict) -> list[str]:
    bad = []
    text = json.dumps(out, ensure_ascii=False)
    for key, forbidden in must_not.items():
        items = forbidden if isinstance(forbidden, list) else [forbidden]
        if key == "@text":
            for it in items:
                if re.search(it[3:], text) if it.startswith("re:") else it in text:
                    bad.append(f"text contains {it}")
            continue
        act = _get(out, key)
        if act is MISSING:
            continue
        for element in act if isinstance(act, list) else [act]:
            for it in items:
                if _match(it, element):
                    bad.append(f"{key} contains {it}")
    return bad


@pytest.fixture(params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example(request) -> dict:
    return json.loads(request.param.read_text())


def test_it_has_the_five_public_examples():
    assert {p.stem.split("-")[0] for p in EXAMPLES} == {"V1", "V4", "V7", "V9", "V11"}


def test_it_meets_every_must_of_the_example(example):
    out = evaluate(example["input"])
    assert must_failures(out, example["must"]) == []


def test_it_meets_every_must_not_of_the_example(example):
    out = evaluate(example["input"])
    assert must_not_failures(out, example["must_not"]) == []


def test_it_gives_the_same_summary_twice(example):
    assert evaluate(example["input"]) == evaluate(json.loads(json.dumps(example["input"])))


def test_it_flags_v7_thunderclap_for_the_emergency_department():
    v7 = json.loads((Path(__file__).parent / "examples" / "V7-thunderclap-weightlifting.json").read_text())
    out = evaluate(v7["input"])
    assert out["overall_tier"] == "ED_NOW"
    assert out["patient_screen"] == {"screen": "emergency_advice", "must_acknowledge": True, "crisis_resources": False}
    assert [h["code"] for h in out["secondary_hint"]] == ["4.4"]
    assert out["headache_phenotypes"] == []
    assert out["cs_pattern"] == "deferred_red_flag"


def test_the_matcher_itself_rejects_a_wrong_value():
    # Guards against a matcher that passes everything.
    assert must_failures({"overall_tier": "NONE"}, {"overall_tier": "ED_NOW"}) != []
    assert must_not_failures({"red_flags": [{"id": "HA-NEURO"}]}, {"red_flags": [{"id": "HA-NEURO"}]}) != []
