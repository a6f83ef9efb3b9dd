"""§4.7 medication-overuse rows, criteria and notes (contract C.3, C.8, E.1, E.9). No database, no shared files."""

from __future__ import annotations

import pytest

from intake.triage.medication import criterion_a, evaluate_medication

ZERO_DAYS = {
    "paracetamol": 0,
    "nsaid_aspirin": 0,
    "triptan": 0,
    "ergot": 0,
    "opioid": 0,
    "combination": 0,
    "gepant_ditan": 0,
    "other": 0,
    "any_acute": 0,
}


def answers(med_days: dict | None = None, **fields) -> dict:
    """A headache patient with ≥15 headache days, a pre-existing headache and >3 months of medicine use."""
    days = {**ZERO_DAYS, **(med_days or {})}
    if "any_acute" not in (med_days or {}):
        # B.14 check 5: any_acute is at least every integer class count (here: the days with any medicine).
        days["any_acute"] = min(31, sum(v for k, v in days.items() if isinstance(v, int) and k != "any_acute"))
    a = {
        "has_headache": "yes",
        "headache_days_per_month": 18,
        "headache_freq_duration": "gt_3m",
        "headache_history_months": 120,
        "med_days": days,
    }
    if days["any_acute"] >= 1:
        a["med_overuse_duration"] = "gt_3m"
        a["headache_predates_med_use"] = "yes"
    a.update(fields)
    return {k: v for k, v in a.items() if v is not None}


def note_ids(result: dict) -> list[str]:
    return [note["id"] for note in result["notes"]]


def codes(result: dict) -> list[str]:
    return [code["code"] for code in result["codes"]]


# --------------------------------------------------------------------------- single-class rows


@pytest.mark.parametrize(
    ("code", "cls"), [("8.2.1", "ergot"), ("8.2.2", "triptan"), ("8.2.4", "opioid"), ("8.2.5", "combination")]
)
def test_it_meets_a_single_class_row_at_10_days_and_not_at_9(code, cls):
    below = evaluate_medication(answers({cls: 9}))
    at = evaluate_medication(answers({cls: 10}))

    assert below["rows"][code] is False
    assert below["moh"] == "not_met"
    assert below["acute_med_overuse_threshold_met"] is False
    assert at["rows"][code] is True
    assert at["moh"] == "met"
    assert at["acute_med_overuse_threshold_met"] is True
    assert codes(at) == [code]


def test_it_meets_8_2_3_at_15_nonopioid_days_and_not_at_14():
    below = evaluate_medication(answers({"paracetamol": 8, "nsaid_aspirin": 8, "nonopioid_any": 14, "any_acute": 14}))
    at = evaluate_medication(answers({"paracetamol": 8, "nsaid_aspirin": 8, "nonopioid_any": 15, "any_acute": 15}))

    assert below["rows"]["8.2.3"] is False
    assert at["rows"]["8.2.3"] is True
    assert codes(at) == ["8.2.3"]


def test_it_does_not_meet_8_2_3_at_10_nonopioid_days():
    # §4.7: non-opioid analgesics need ≥15 days, not the ≥10 of the other rows.
    result = evaluate_medication(answers({"nsaid_aspirin": 12, "any_acute": 12}))

    assert result["rows"]["8.2.3"] is False
    assert result["acute_med_overuse_threshold_met"] is False


def test_it_uses_nonopioid_any_instead_of_the_rule_1_bounds_when_sent():
    result = evaluate_medication(
        answers({"paracetamol": 10, "nsaid_aspirin": 10, "nonopioid_any": 10, "any_acute": 20})
    )

    assert result["rows"]["8.2.3"] is False
    assert result["moh"] == "not_met"


def test_it_meets_8_2_3_by_the_rule_1_lower_bound():
    result = evaluate_medication(answers({"paracetamol": 15, "nsaid_aspirin": 3, "any_acute": 16}))

    assert result["rows"]["8.2.3"] is True
    assert result["moh"] == "met"


def test_it_rejects_8_2_3_when_the_rule_1_upper_bound_is_under_15():
    result = evaluate_medication(answers({"paracetamol": 7, "nsaid_aspirin": 7, "any_acute": 14}))

    assert result["rows"]["8.2.3"] is False


def test_it_caps_the_rule_1_upper_bound_at_any_acute():
    # p + n = 16, but non-opioid days cannot exceed the 14 days with any acute medicine (§4.7 rule 1).
    result = evaluate_medication(answers({"paracetamol": 8, "nsaid_aspirin": 8, "any_acute": 14}))

    assert result["rows"]["8.2.3"] is False
    assert "ACUTE-MED-CLARIFY" not in note_ids(result)


def test_it_makes_8_2_3_possible_clarify_when_the_rule_1_bounds_straddle_15():
    result = evaluate_medication(answers({"paracetamol": 8, "nsaid_aspirin": 8, "any_acute": 16}))

    assert result["rows"]["8.2.3"] == "possible_clarify"
    assert result["moh"] == "possible_clarify"
    assert result["acute_med_overuse_threshold_met"] is False
    assert result["codes"] == []
    assert note_ids(result) == ["ACUTE-MED-CLARIFY"]
    note = result["notes"][0]
    assert note["tier"] == "ROUTINE"
    assert note["action"] == "NOTE"
    assert note["text"] == "acute-medication days possibly at an MOH threshold: clarify"
    assert "med_days.paracetamol=8" in note["triggered_by"]


def test_it_keeps_moh_not_met_but_adds_the_clarify_note_when_criterion_a_fails():
    result = evaluate_medication(
        answers({"paracetamol": 8, "nsaid_aspirin": 8, "any_acute": 16}, headache_days_per_month=10)
    )

    assert result["rows"]["8.2.3"] == "possible_clarify"
    assert result["moh"] == "not_met"
    assert note_ids(result) == ["ACUTE-MED-CLARIFY"]


# --------------------------------------------------------------------------- 8.2.3 attributes


@pytest.mark.parametrize(
    ("paracetamol", "nsaid", "nonopioid", "expected"),
    [(15, 0, 15, ["8.2.3.1"]), (0, 16, 16, ["8.2.3.2"]), (16, 15, 20, ["8.2.3.1", "8.2.3.2"]), (8, 8, 16, [])],
)
def test_it_sets_the_8_2_3_subtype_attributes_from_the_single_drug_counts(paracetamol, nsaid, nonopioid, expected):
    med = {"paracetamol": paracetamol, "nsaid_aspirin": nsaid, "nonopioid_any": nonopioid, "any_acute": nonopioid}

    result = evaluate_medication(answers(med))

    assert codes(result) == ["8.2.3"]
    assert result["codes"][0]["attributes"] == expected


# --------------------------------------------------------------------------- 8.2.6 (four-class bounds)


def test_it_meets_8_2_6_with_two_classes_totalling_10_days_none_overused():
    result = evaluate_medication(answers({"triptan": 5, "opioid": 5, "any_acute": 10}))

    assert result["rows"]["8.2.6"] is True
    assert codes(result) == ["8.2.6"]


def test_it_does_not_meet_8_2_6_under_10_days():
    result = evaluate_medication(answers({"triptan": 5, "opioid": 4, "any_acute": 9}))

    assert result["rows"]["8.2.6"] is False
    assert result["moh"] == "not_met"


def test_it_makes_8_2_6_possible_clarify_when_the_four_class_bounds_straddle_10():
    # lower = max(10 − other 5, 5) = 5; upper = min(5 + 5, 10) = 10 (E.9).
    result = evaluate_medication(answers({"triptan": 5, "opioid": 5, "other": 5, "any_acute": 10}))

    assert result["rows"]["8.2.6"] == "possible_clarify"
    assert result["moh"] == "possible_clarify"
    assert result["acute_med_overuse_threshold_met"] is False
    assert note_ids(result) == ["ACUTE-MED-CLARIFY"]


def test_it_needs_two_of_the_four_classes_for_8_2_6():
    # Paracetamol and NSAID days are one class (§4.7 rule 1): 6 + 6 is a single class.
    result = evaluate_medication(answers({"paracetamol": 6, "nsaid_aspirin": 6, "any_acute": 12}))

    assert result["rows"]["8.2.6"] is False


def test_it_does_not_give_8_2_6_when_a_single_class_row_is_met():
    result = evaluate_medication(answers({"triptan": 10, "opioid": 5, "any_acute": 15}))

    assert result["rows"]["8.2.2"] is True
    assert result["rows"]["8.2.6"] is False
    assert codes(result) == ["8.2.2"]


def test_it_never_counts_gepant_ditan_other_or_combination_toward_the_four_class_total():
    result = evaluate_medication(answers({"triptan": 5, "gepant_ditan": 5, "other": 4, "combination": 4}))

    assert result["rows"]["8.2.6"] is False
    assert result["moh"] == "not_met"
    assert result["acute_med_overuse_threshold_met"] is False


# --------------------------------------------------------------------------- 8.2.7 ("not_sure")


def test_it_meets_8_2_7_when_a_class_is_not_sure_and_the_four_class_total_is_met():
    result = evaluate_medication(answers({"triptan": "not_sure", "any_acute": 12}))

    assert result["rows"]["8.2.2"] == "undetermined"
    assert result["rows"]["8.2.6"] is False
    assert result["rows"]["8.2.7"] is True
    assert codes(result) == ["8.2.7"]
    assert note_ids(result) == ["MOH"]


def test_it_decides_a_not_sure_row_as_not_met_when_any_acute_is_under_10():
    result = evaluate_medication(answers({"triptan": "not_sure", "any_acute": 9}))

    assert result["rows"]["8.2.2"] is False
    assert result["rows"]["8.2.7"] is False
    assert result["moh"] == "not_met"


def test_it_makes_8_2_7_possible_clarify_when_the_bounds_straddle_10():
    # lower = max(12 − other 4, 0) = 8; upper = min(12, 12) = 12.
    result = evaluate_medication(answers({"triptan": "not_sure", "other": 4, "any_acute": 12}))

    assert result["rows"]["8.2.7"] == "possible_clarify"
    assert result["moh"] == "possible_clarify"
    assert result["acute_med_overuse_threshold_met"] is False
    assert note_ids(result) == ["ACUTE-MED-CLARIFY"]
    assert "med_days.triptan=not_sure" in result["notes"][0]["triggered_by"]


def test_it_does_not_give_8_2_7_when_another_row_is_met():
    result = evaluate_medication(answers({"triptan": "not_sure", "opioid": 12, "any_acute": 15}))

    assert result["rows"]["8.2.4"] is True
    assert result["rows"]["8.2.7"] is False
    assert codes(result) == ["8.2.4"]


def test_it_does_not_count_an_undetermined_row_toward_the_threshold():
    result = evaluate_medication(answers({"ergot": "not_sure", "other": 12, "any_acute": 12}))

    assert result["rows"]["8.2.1"] == "undetermined"
    assert result["acute_med_overuse_threshold_met"] is False


def test_it_treats_an_open_8_2_3_with_a_not_sure_drug_as_undetermined():
    # E.9: the rule 1 bounds (and so "possible, clarify") need both counts; a "not_sure" count is 0..any_acute.
    result = evaluate_medication(answers({"paracetamol": "not_sure", "nsaid_aspirin": 10, "any_acute": 20}))

    assert result["rows"]["8.2.3"] == "undetermined"
    assert result["rows"]["8.2.7"] is True


# --------------------------------------------------------------------------- criteria A and B


def test_it_needs_15_headache_days_for_moh():
    result = evaluate_medication(answers({"triptan": 12}, headache_days_per_month=14))

    assert result["moh"] == "not_met"
    assert result["acute_med_overuse_threshold_met"] is True
    assert result["codes"] == []
    assert note_ids(result) == ["ACUTE-MED-OVERUSE"]
    note = result["notes"][0]
    assert note["text"] == "acute-medication use at a level associated with MOH risk"
    assert note["triggered_by"] == ["med_days.triptan=12"]


def test_it_needs_more_than_3_months_of_overuse_for_moh():
    result = evaluate_medication(answers({"triptan": 12}, med_overuse_duration="1_3m"))

    assert result["moh"] == "not_met"
    assert result["acute_med_overuse_threshold_met"] is True
    assert note_ids(result) == ["ACUTE-MED-OVERUSE"]


def test_it_needs_a_pre_existing_headache_for_moh():
    result = evaluate_medication(answers({"triptan": 12}, headache_predates_med_use="not_sure"))

    assert result["moh"] == "not_met"
    assert note_ids(result) == ["ACUTE-MED-OVERUSE"]


def test_it_adds_the_moh_note_with_its_facts_when_a_and_b_hold():
    result = evaluate_medication(answers({"triptan": 12}))

    assert note_ids(result) == ["MOH"]
    note = result["notes"][0]
    assert note["tier"] == "ROUTINE"
    assert note["action"] == "NOTE"
    assert note["text"] == "review acute medication; consider withdrawal plan"
    assert {"med_days.triptan=12", "headache_days_per_month=18", "med_overuse_duration=gt_3m"} <= set(
        note["triggered_by"]
    )
    phenotype = result["codes"][0]
    assert phenotype["code"] == "8.2.2"
    assert phenotype["certainty"] == "features_consistent"
    assert phenotype["type_index"] is None
    assert phenotype["label"].startswith("features consistent with ICHD-3 8.2.2")


def test_it_lists_several_met_rows_in_code_order():
    result = evaluate_medication(answers({"opioid": 11, "triptan": 12, "any_acute": 20}))

    assert codes(result) == ["8.2.2", "8.2.4"]


@pytest.mark.parametrize(
    ("history", "duration", "expected"),
    [(1, "lt_1m", True), (0, "lt_1m", False), (4, "1_3m", True), (3, "1_3m", False), (500, "gt_3m", False)],
)
def test_it_shows_a_pre_existing_headache_by_history_longer_than_the_time_at_the_current_level(
    history, duration, expected
):
    a = answers(
        {"triptan": 12},
        headache_predates_med_use="no",
        headache_history_months=history,
        med_overuse_duration=duration,
    )

    assert criterion_a(a) is expected


def test_it_shows_a_pre_existing_headache_by_headache_predates_med_use():
    a = answers({"triptan": 12}, headache_predates_med_use="yes", headache_history_months=0)

    assert criterion_a(a) is True


# --------------------------------------------------------------------------- no headache (E.1)


def test_it_evaluates_nothing_without_headache():
    a = {"has_headache": "no", "med_days": {**ZERO_DAYS, "triptan": 20, "nsaid_aspirin": 20, "any_acute": 25}}

    result = evaluate_medication(a)

    assert result["moh"] == "not_met"
    assert result["acute_med_overuse_threshold_met"] is False
    assert result["codes"] == []
    assert result["notes"] == []
    assert set(result["rows"].values()) == {False}
    [entry] = result["explain"]
    assert entry["id"] == "MED-THRESHOLDS"
    assert entry["ref"] == "§4.7"
    assert entry["result"] is False
    assert entry["inputs"]["has_headache"] == "no"
    assert entry["inputs"]["med_days.triptan"] == 20
    assert entry["detail"]["moh"] == "not_met"


def test_it_always_emits_the_med_thresholds_explain_entry():
    result = evaluate_medication(answers())

    assert result["explain"][0]["id"] == "MED-THRESHOLDS"
    assert result["explain"][0]["inputs"]["med_days.any_acute"] == 0
    assert "has_headache" not in result["explain"][0]["inputs"]
    assert list(result["explain"][0]["detail"]["rows"]) == [
        "8.2.1",
        "8.2.2",
        "8.2.3",
        "8.2.4",
        "8.2.5",
        "8.2.6",
        "8.2.7",
    ]


def test_it_explains_every_note():
    result = evaluate_medication(answers({"triptan": 12}, headache_days_per_month=14))

    assert [e["id"] for e in result["explain"]] == ["MED-THRESHOLDS", "ACUTE-MED-OVERUSE"]
    assert result["explain"][1]["result"] is True


def test_it_reads_v4_medication_as_not_met():
    # §7 V4: triptan 4 < 10, non-opioid 4 < 15, four-class total 8 < 10.
    result = evaluate_medication(answers({"triptan": 4, "nsaid_aspirin": 4, "nonopioid_any": 4, "any_acute": 8}))

    assert result["moh"] == "not_met"
    assert result["acute_med_overuse_threshold_met"] is False
    assert result["notes"] == []
