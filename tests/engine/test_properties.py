"""Property tests over valid intakes (issue acceptance; reference.md §0.2.1, §2.1, §3.3)."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.triage import evaluate, validate
from intake.triage.red_flags import ACTION_RANK, OVERALL_OF_ACTION, OVERALL_RANK, TIER_OF_ACTION
from intake.triage.schema import RF_FIELDS

from .strategies import complete, valid_intakes

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCREEN_OF = {
    "ED_NOW": "emergency_advice",
    "SAME_DAY": "same_day_contact",
    "URGENT_REFERRAL": "clinician_review_notice",
    "ROUTINE": "none",
    "NONE": "none",
}


def check_contract_invariants(out: dict) -> None:
    """Contract part F invariants, on every output."""
    flags, notes = out["red_flags"], out["notes"]
    for f in flags:
        assert TIER_OF_ACTION[f["action"]] == f["tier"]
    ranks = [ACTION_RANK[f["action"]] for f in flags]
    assert ranks == sorted(ranks, reverse=True)
    actions = [f["action"] for f in flags] + [n["action"] for n in notes if n["action"]]
    want = max((OVERALL_OF_ACTION[a] for a in actions), key=OVERALL_RANK.__getitem__, default="NONE")
    assert out["overall_tier"] == want
    fired = {e["id"] for e in out["explain"] if e["result"] is True}
    assert {f["id"] for f in flags} <= fired
    if out["headache_phenotype_status"] == "suppressed_secondary_cause_to_exclude":
        assert out["headache_phenotypes"] == []
    screen = SCREEN_OF[out["overall_tier"]]
    assert out["patient_screen"] == {
        "screen": screen,
        "must_acknowledge": screen == "emergency_advice",
        "crisis_resources": any(f["id"] == "MH-SI" for f in flags),
    }
    features = out["cs_features_present"] + out["cs_features_absent"] + out["cs_features_unknown"]
    assert sorted(features) == sorted(f"F{i}" for i in range(1, 13))


@SETTINGS
@given(valid_intakes())
def test_it_never_raises_on_a_valid_intake_and_keeps_the_contract(a):
    clean, errors = validate(a)
    assert errors == [], errors
    check_contract_invariants(evaluate(a))


@SETTINGS
@given(valid_intakes(), st.data())
def test_it_never_lowers_the_overall_tier_when_a_red_flag_answer_turns_from_no(a, data):
    noes = [name for name in RF_FIELDS if a.get(name) == "no"]
    if not noes:
        return
    name = data.draw(st.sampled_from(noes))
    new_answer = data.draw(st.sampled_from(["yes", "not_sure"]))
    before = evaluate(a)["overall_tier"]
    b = copy.deepcopy(a)
    b[name] = new_answer
    b = complete(b, data.draw)
    after = evaluate(b)["overall_tier"]
    assert OVERALL_RANK[after] >= OVERALL_RANK[before], (name, new_answer, before, after)


@SETTINGS
@given(valid_intakes())
def test_an_emergency_or_urgent_flag_always_defers_the_cs_pattern(a):
    out = evaluate(a)
    if any(f["tier"] in ("EMERGENCY", "URGENT") for f in out["red_flags"]):
        assert out["cs_pattern"] == "deferred_red_flag"
    else:
        assert out["cs_pattern"] != "deferred_red_flag"


@SETTINGS
@given(valid_intakes())
def test_a_not_sure_answer_never_fires_a_flag_but_always_reaches_review(a):
    out = evaluate(a)
    unclear = [n for n in out["notes"] if n["id"] == "RF-UNCLEAR"]
    has_not_sure = (
        any(a.get(name) == "not_sure" for name in RF_FIELDS)
        or a.get("onset_to_peak") == "not_sure"
        or ("not_sure" in (a.get("preeclampsia_symptoms") or []))
    )
    assert bool(unclear) == has_not_sure
    if has_not_sure:
        assert OVERALL_RANK[out["overall_tier"]] >= OVERALL_RANK["URGENT_REFERRAL"]
    for flag in out["red_flags"]:
        assert not any(fact.endswith("=not_sure") for fact in flag["triggered_by"])
