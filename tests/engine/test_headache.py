"""§4.1–§4.6, §4.8–§4.10 headache phenotypes (contract C.7, E.8). No database, no shared files."""

from __future__ import annotations

import json

import pytest

from intake.triage.headache import cervicogenic_blocked, evaluate_headache
from intake.triage.medication import evaluate_medication

NO_MEDS = {
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

NO_NECK_LINK = {
    "ha_started_with_neck_problem": "no",
    "ha_improves_when_neck_improves": "no",
    "neck_movement_or_posture_triggers_ha": "no",
    "side_locked": "no",
    "neck_pressure_triggers_ha": "no",
}


def migraine_type(**overrides) -> dict:
    """A type meeting 1.1 A–D (C 4/4, D by nausea and by photo+phonophobia)."""
    return {
        "attack_count_lifetime": "10+",
        "duration_untreated": "4h_72h",
        "side": "one_side",
        "quality": "throbbing",
        "intensity": "severe",
        "worse_with_activity": "yes",
        "nausea": "moderate_severe",
        "vomiting": "no",
        "photophobia": "yes",
        "phonophobia": "yes",
        "aura": None,
        "triptan_relieves": "not_used",
        "days_per_month": 4,
        **overrides,
    }


def tension_type(**overrides) -> dict:
    """A type meeting TTH-C 4/4, TTH-D and D-chronic; 1.1 C 0/4."""
    return {
        "attack_count_lifetime": "10+",
        "duration_untreated": "30m_4h",
        "side": "both_sides",
        "quality": "pressing_tight",
        "intensity": "mild",
        "worse_with_activity": "no",
        "nausea": "none",
        "vomiting": "no",
        "photophobia": "no",
        "phonophobia": "no",
        "aura": None,
        "triptan_relieves": "not_used",
        "days_per_month": 4,
        **overrides,
    }


def aura(**overrides) -> dict:
    """A typical visual aura meeting 1.2 A–C (C 6/6)."""
    return {
        "types": ["visual"],
        "attack_count": "5+",
        "spreads_over_5min": "yes",
        "two_or_more_in_succession": "yes",
        "each_lasts_5_60min": "yes",
        "one_sided": "yes",
        "positive": "yes",
        "headache_within_60min": "yes",
        **overrides,
    }


def patient(*types: dict, **fields) -> dict:
    """A headache patient without neck pain; headache days default to the sum of the types' days."""
    a = {
        "has_headache": "yes",
        "neck_pain": "no",
        "headache_days_per_month": min(31, sum(t["days_per_month"] for t in types)),
        "headache_freq_duration": "gt_3m",
        "headache_history_months": 60,
        "ha_types": list(types),
        "med_days": dict(NO_MEDS),
        **fields,
    }
    if a["neck_pain"] == "yes":
        a.setdefault("neck_stiff_reduced_movement", "no")
        a["ha_types"] = [{**NO_NECK_LINK, **t} for t in a["ha_types"]]
    return a


def run(a: dict, red_flags: list[dict] | None = None) -> dict:
    return evaluate_headache(a, red_flags or [], evaluate_medication(a))


def flag(flag_id: str, tier: str = "URGENT", action: str = "URGENT_REFERRAL") -> dict:
    return {"id": flag_id, "tier": tier, "action": action, "triggered_by": [], "sources": []}


def labels(result: dict) -> list[tuple[str, int | None]]:
    return [(p["code"], p["type_index"]) for p in result["headache_phenotypes"]]


# --------------------------------------------------------------------------- reference vignettes


def test_it_outputs_only_chronic_migraine_for_v4():
    main = migraine_type(nausea="mild", triptan_relieves="yes", days_per_month=10)
    second = tension_type(days_per_month=8)
    a = patient(main, second, headache_days_per_month=18, headache_history_months=276)
    a["med_days"] = {**NO_MEDS, "nsaid_aspirin": 4, "triptan": 4, "any_acute": 8, "nonopioid_any": 4}
    a.update(med_overuse_duration="gt_3m", headache_predates_med_use="yes")
    med = evaluate_medication(a)

    result = evaluate_headache(a, [flag("CAD-RISK", "ROUTINE", "NOTE")], med)

    assert result["headache_phenotype_status"] == "evaluated"
    assert labels(result) == [("1.3", None)]
    assert result["headache_phenotypes"][0]["certainty"] == "features_consistent"
    assert result["headache_counts"] == {"headache_days_per_month": 18, "migraine_days_per_month": 10}
    assert med["moh"] == "not_met"
    assert result["notes"] == []


def test_it_outputs_typical_aura_migraine_for_v11():
    a = patient(
        migraine_type(
            worse_with_activity="no",
            nausea="mild",
            days_per_month=3,
            aura=aura(two_or_more_in_succession="no"),
        ),
        neck_pain="yes",
    )

    result = run(a, [flag("CAD-RISK", "ROUTINE", "NOTE")])

    [phenotype] = result["headache_phenotypes"]
    assert phenotype["code"] == "1.2"
    assert phenotype["type_index"] == 0
    assert phenotype["certainty"] == "features_consistent"
    assert phenotype["attributes"] == ["typical_aura_1.2.1"]
    assert phenotype["criteria_trace"]["C"] == "5/6"
    assert result["cervicogenic_features_reported"] is False
    assert result["headache_counts"] == {"headache_days_per_month": 3, "migraine_days_per_month": 3}


def test_it_suppresses_phenotypes_for_v7_and_gives_the_thunderclap_hint():
    single = tension_type(
        attack_count_lifetime="1",
        duration_untreated="4h_72h",
        quality="other",
        intensity="severe",
        nausea="moderate_severe",
        vomiting="yes",
        days_per_month=1,
    )
    a = patient(single, headache_freq_duration="lt_1m", headache_history_months=0)
    red_flags = [
        flag("HA-THUNDER", "EMERGENCY", "ED_NOW"),
        flag("HA-NEW-PATTERN"),
        flag("HA-VALSALVA"),
    ]

    result = run(a, red_flags)

    assert result["headache_phenotype_status"] == "suppressed_secondary_cause_to_exclude"
    assert result["headache_phenotypes"] == []
    assert result["secondary_hint"] == [
        {
            "code": "4.4",
            "flag": "HA-THUNDER",
            "text": "thunderclap pattern (4.4 only after secondary causes are excluded)",
        }
    ]
    assert result["headache_counts"] == {"headache_days_per_month": 1, "migraine_days_per_month": 0}
    assert result["cervicogenic_features_reported"] is False
    assert result["notes"] == []
    assert result["explain"] == [
        {
            "id": "HEADACHE-SUPPRESSION",
            "ref": "§4.10",
            "result": True,
            "inputs": {},
            "detail": {"flags": ["HA-THUNDER", "HA-NEW-PATTERN", "HA-VALSALVA"]},
        }
    ]


# --------------------------------------------------------------------------- suppression and hints (§4.8, §4.10)


@pytest.mark.parametrize(("days_ago", "code"), [(14, "7.2.1"), (15, "7.2.2"), (14.5, "7.2.2")])
def test_it_gives_the_pdph_hint_by_days_since_the_procedure(days_ago, code):
    a = patient(migraine_type(), dural_puncture_procedure="yes", procedure_days_ago=days_ago)

    result = run(a, [flag("HA-PDPH", "EMERGENCY", "SAME_DAY")])

    assert result["headache_phenotype_status"] == "suppressed_secondary_cause_to_exclude"
    assert [hint["code"] for hint in result["secondary_hint"]] == [code]
    assert result["secondary_hint"][0]["flag"] == "HA-PDPH"


def test_it_lists_hints_in_red_flags_order():
    a = patient(migraine_type(), dural_puncture_procedure="yes", procedure_days_ago=2)
    red_flags = [flag("HA-PDPH", "EMERGENCY", "ED_NOW"), flag("HA-THUNDER", "EMERGENCY", "ED_NOW")]

    result = run(a, red_flags)

    assert [hint["code"] for hint in result["secondary_hint"]] == ["7.2.1", "4.4"]


def test_it_keeps_suppressed_labels_in_explain_as_not_interpreted():
    a = patient(migraine_type(), tension_type(days_per_month=6))

    result = run(a, [flag("HA-NEW-PATTERN"), flag("HA-PROGRESSIVE")])

    assert result["headache_phenotypes"] == []
    assert result["secondary_hint"] == []
    suppression, *entries = result["explain"]
    assert suppression["detail"] == {"flags": ["HA-NEW-PATTERN", "HA-PROGRESSIVE"]}
    assert [(e["id"], e["type_index"], e["not_interpreted"]) for e in entries] == [
        ("ICHD-1.1", 0, True),
        ("ICHD-2.2", 1, True),
    ]


def test_it_withholds_moh_labels_while_suppressed_but_explains_them():
    a = patient(migraine_type(days_per_month=16), headache_days_per_month=16)
    a["med_days"] = {**NO_MEDS, "triptan": 12, "any_acute": 12}
    a.update(med_overuse_duration="gt_3m", headache_predates_med_use="yes")

    result = run(a, [flag("CAD-HISTORY")])

    assert result["headache_phenotypes"] == []
    assert [e["id"] for e in result["explain"] if e.get("not_interpreted")] == ["ICHD-1.3", "ICHD-8.2.2"]


@pytest.mark.parametrize("flag_id", ["HA-DRUG", "CAD-RISK", "UCI-RISK", "MH-SI", "LBP-MALIG", "LBP-AXSPA"])
def test_it_does_not_suppress_for_flags_outside_the_list(flag_id):
    result = run(patient(migraine_type()), [flag(flag_id)])

    assert result["headache_phenotype_status"] == "evaluated"
    assert labels(result) == [("1.1", 0)]


def test_it_reports_no_headache_without_headache():
    result = evaluate_headache({"has_headache": "no", "neck_pain": "yes", "med_days": NO_MEDS}, [], {"codes": []})

    assert result == {
        "headache_phenotype_status": "no_headache",
        "headache_phenotypes": [],
        "secondary_hint": [],
        "cervicogenic_features_reported": False,
        "headache_counts": None,
        "notes": [],
        "explain": [],
    }


# --------------------------------------------------------------------------- 1.1 criteria (§4.2)


def test_it_meets_1_1_with_all_four_criteria():
    result = run(patient(migraine_type()))

    [phenotype] = result["headache_phenotypes"]
    assert (phenotype["code"], phenotype["type_index"], phenotype["certainty"]) == ("1.1", 0, "features_consistent")
    assert phenotype["criteria_trace"] == {"A": True, "B": True, "C": "4/4", "D": True}
    assert phenotype["label"] == "features consistent with ICHD-3 1.1 migraine without aura"


@pytest.mark.parametrize(("count", "code"), [("5-9", "1.1"), ("10+", "1.1"), ("2-4", "1.5"), ("1", "1.5")])
def test_it_needs_five_attacks_for_1_1_a(count, code):
    assert labels(run(patient(migraine_type(attack_count_lifetime=count)))) == [(code, 0)]


@pytest.mark.parametrize(("duration", "code"), [("4h_72h", "1.1"), ("30m_4h", "1.5"), ("3d_7d", "1.5")])
def test_it_needs_4_to_72_hours_for_1_1_b(duration, code):
    assert labels(run(patient(migraine_type(duration_untreated=duration)))) == [(code, 0)]


def test_it_needs_two_of_four_pain_characteristics_for_1_1_c():
    two = migraine_type(intensity="mild", worse_with_activity="no")  # one_side + throbbing
    one = migraine_type(side="both_sides", quality="pressing_tight", worse_with_activity="no")  # severe only

    assert labels(run(patient(two))) == [("1.1", 0)]
    result = run(patient(one))
    assert labels(result) == [("1.5", 0)]
    assert result["headache_phenotypes"][0]["criteria_trace"]["C"] == "1/4"
    assert result["headache_phenotypes"][0]["certainty"] == "probable"


@pytest.mark.parametrize(
    ("nausea", "vomiting", "photo", "phono", "code"),
    [
        ("mild", "no", "no", "no", "1.1"),
        ("none", "yes", "no", "no", "1.1"),
        ("none", "no", "yes", "yes", "1.1"),
        ("none", "no", "yes", "no", "1.5"),
        ("none", "no", "no", "no", "1.5"),
    ],
)
def test_it_needs_nausea_vomiting_or_photo_and_phonophobia_for_1_1_d(nausea, vomiting, photo, phono, code):
    t = migraine_type(nausea=nausea, vomiting=vomiting, photophobia=photo, phonophobia=phono)

    assert labels(run(patient(t))) == [(code, 0)]


def test_it_gives_1_5_before_2_4_when_both_are_all_but_one():
    # 1.1: A, B, D met, C 1/4; 2.2: A, B, C met, D not (nausea) → 3/4 as well.
    t = migraine_type(side="both_sides", quality="pressing_tight", worse_with_activity="no", days_per_month=5)

    assert labels(run(patient(t))) == [("1.5", 0)]


# --------------------------------------------------------------------------- 1.2 (§4.3)


def test_it_needs_three_of_six_aura_characteristics_for_1_2_and_gives_1_5_with_two():
    three = aura(two_or_more_in_succession="no", each_lasts_5_60min="no", one_sided="no")
    two = aura(two_or_more_in_succession="no", each_lasts_5_60min="no", one_sided="no", positive="no")

    met = run(patient(migraine_type(aura=three)))
    probable = run(patient(migraine_type(aura=two)))

    assert labels(met) == [("1.2", 0)]
    assert met["headache_phenotypes"][0]["criteria_trace"]["C"] == "3/6"
    assert labels(probable) == [("1.5", 0)]
    assert probable["headache_phenotypes"][0]["criteria_trace"] == {"A": True, "B": True, "C": "2/6"}


def test_it_needs_two_aura_attacks_for_1_2_a():
    assert labels(run(patient(migraine_type(aura=aura(attack_count="2-4"))))) == [("1.2", 0)]
    assert labels(run(patient(migraine_type(aura=aura(attack_count="1"))))) == [("1.5", 0)]


def test_it_classifies_an_aura_type_against_1_2_only():
    # The headache features meet 1.1, but an aura type gets 1.2 (or 1.5 / nothing), never 1.1 (§4.3).
    weak_aura = aura(attack_count="1", spreads_over_5min="no", two_or_more_in_succession="no", each_lasts_5_60min="no")
    weak_aura.update(one_sided="no", positive="no", headache_within_60min="no")

    assert labels(run(patient(migraine_type(aura=weak_aura)))) == []


def test_it_outputs_1_1_for_a_separate_type_without_aura():
    result = run(patient(migraine_type(aura=aura()), migraine_type()))

    assert labels(result) == [("1.2", 0), ("1.1", 1)]


@pytest.mark.parametrize(
    ("types", "attributes"),
    [
        (["visual", "sensory", "speech"], ["typical_aura_1.2.1"]),
        (["visual", "motor"], ["motor_aura_1.2.3"]),
        (["retinal"], ["brainstem_or_retinal_aura_1.2.2_1.2.4"]),
        (["motor", "brainstem"], ["motor_aura_1.2.3", "brainstem_or_retinal_aura_1.2.2_1.2.4"]),
    ],
)
def test_it_sets_the_1_2_sub_label_attributes(types, attributes):
    result = run(patient(migraine_type(aura=aura(types=types))))

    assert result["headache_phenotypes"][0]["attributes"] == attributes


# --------------------------------------------------------------------------- 1.3 (§4.4) and migraine days (E.8)


def chronic_pair(migraine_days: int, other_days: int, **fields) -> dict:
    return patient(migraine_type(days_per_month=migraine_days), tension_type(days_per_month=other_days), **fields)


def test_it_meets_1_3_at_15_headache_days_and_not_at_14():
    at = run(chronic_pair(8, 7))
    below = run(chronic_pair(8, 6))

    assert labels(at) == [("1.3", None)]
    assert at["headache_counts"] == {"headache_days_per_month": 15, "migraine_days_per_month": 8}
    assert labels(below) == [("1.1", 0), ("2.2", 1)]


def test_it_needs_headaches_this_often_for_more_than_3_months_for_1_3():
    result = run(chronic_pair(10, 10, headache_freq_duration="1_3m"))

    assert ("1.3", None) not in labels(result)


def test_it_needs_8_migraine_days_for_1_3_c():
    at = run(chronic_pair(8, 8))
    below = run(chronic_pair(7, 8))

    assert labels(at) == [("1.3", None)]
    assert labels(below) == [("1.1", 0), ("2.2", 1)]
    assert below["headache_counts"]["migraine_days_per_month"] == 7


def test_it_needs_a_type_meeting_1_1_b_to_d_with_five_attacks_for_1_3_b():
    # Both types are migraine days (triptan-responsive), but neither meets 1.1 B–D with ≥5 attacks.
    main = migraine_type(attack_count_lifetime="2-4", days_per_month=10)
    second = tension_type(triptan_relieves="yes", days_per_month=8)

    result = run(patient(main, second))

    assert result["headache_counts"]["migraine_days_per_month"] == 18
    assert ("1.3", None) not in labels(result)


def test_it_meets_1_3_b_through_an_aura_type_with_five_aura_attacks():
    main = migraine_type(aura=aura(), attack_count_lifetime="2-4", days_per_month=16)

    result = run(patient(main))

    assert labels(result) == [("1.3", None)]
    assert result["headache_phenotypes"][0]["attributes"] == ["with_aura_history"]


def test_it_counts_triptan_responsive_types_as_migraine_days():
    result = run(patient(migraine_type(days_per_month=4), tension_type(triptan_relieves="yes", days_per_month=3)))

    assert result["headache_counts"]["migraine_days_per_month"] == 7


def test_it_caps_migraine_days_at_headache_days():
    a = patient(migraine_type(days_per_month=10), migraine_type(days_per_month=10), headache_days_per_month=15)

    assert run(a)["headache_counts"] == {"headache_days_per_month": 15, "migraine_days_per_month": 15}


def test_it_gives_no_other_label_to_any_type_when_1_3_is_output():
    # Type 1 is probable migraine (1.1 A fails) and tension-like; with 1.3 it gets no 1.5, 2.x or 2.4 (E.8).
    second = migraine_type(attack_count_lifetime="2-4", days_per_month=10)
    result = run(patient(migraine_type(days_per_month=10), second, headache_days_per_month=20))

    assert labels(result) == [("1.3", None)]
    assert result["headache_phenotypes"][0]["attributes"] == []


def test_it_gives_no_tension_type_label_with_chronic_migraine():
    result = run(chronic_pair(10, 16, headache_days_per_month=26))

    assert labels(result) == [("1.3", None)]


# --------------------------------------------------------------------------- tension-type headache (§4.5)


@pytest.mark.parametrize(("days", "code"), [(0, "2.1"), (1, "2.2"), (14, "2.2"), (15, "2.3")])
def test_it_picks_the_tension_type_code_by_days_of_the_type(days, code):
    result = run(patient(tension_type(days_per_month=days), headache_days_per_month=days))

    assert labels(result) == [(code, 0)]
    assert result["headache_phenotypes"][0]["certainty"] == "features_consistent"


def test_it_does_not_need_3_months_for_infrequent_tension_type():
    result = run(patient(tension_type(days_per_month=0), headache_freq_duration="lt_1m"))

    assert labels(result) == [("2.1", 0)]


def test_it_gives_2_4_to_frequent_tension_type_of_under_3_months():
    result = run(patient(tension_type(days_per_month=5), headache_freq_duration="1_3m"))

    assert labels(result) == [("2.4", 0)]
    assert result["headache_phenotypes"][0]["certainty"] == "probable"


def test_it_gives_2_4_when_tension_type_has_fewer_than_10_attacks():
    assert labels(run(patient(tension_type(attack_count_lifetime="5-9", days_per_month=5)))) == [("2.4", 0)]


def test_it_gives_2_4_when_chronic_tension_type_fails_d_chronic():
    t = tension_type(nausea="mild", photophobia="yes", days_per_month=20)

    assert labels(run(patient(t))) == [("2.4", 0)]


def test_it_allows_mild_nausea_alone_in_chronic_tension_type():
    assert labels(run(patient(tension_type(nausea="mild", days_per_month=20)))) == [("2.3", 0)]


def test_it_needs_30_minutes_to_7_days_for_episodic_tension_type():
    assert labels(run(patient(tension_type(duration_untreated="lt_30m", days_per_month=5)))) == [("2.4", 0)]
    assert labels(run(patient(tension_type(duration_untreated="gt_7d_or_continuous", days_per_month=20)))) == [
        ("2.3", 0)
    ]


def test_it_needs_two_of_four_tension_type_characteristics():
    two = tension_type(side="one_side", quality="throbbing")  # mild + not worse: 2/4
    one = tension_type(side="one_side", quality="throbbing", worse_with_activity="yes")  # mild only: 1/4

    assert labels(run(patient(two))) == [("2.2", 0)]
    assert labels(run(patient(one))) == [("2.4", 0)]


def test_it_notes_an_unclassified_headache_when_nothing_is_met():
    t = tension_type(attack_count_lifetime="1", nausea="moderate_severe", days_per_month=3)

    result = run(patient(t, headache_freq_duration="lt_1m"))

    assert result["headache_phenotype_status"] == "evaluated"
    assert result["headache_phenotypes"] == []
    assert result["notes"] == [
        {
            "id": "HA-UNCLASSIFIED",
            "tier": None,
            "action": None,
            "text": "unclassified headache. Diary recommended",
            "triggered_by": [],
        }
    ]
    assert [e["id"] for e in result["explain"]] == ["HA-UNCLASSIFIED"]


# --------------------------------------------------------------------------- 8.2 and ordering (C.7)


def test_it_adds_moh_codes_after_the_per_type_labels_and_before_11_2_1():
    main = tension_type(days_per_month=10, ha_started_with_neck_problem="yes", ha_improves_when_neck_improves="yes")
    second = migraine_type(days_per_month=5)
    a = patient(main, second, neck_pain="yes", headache_days_per_month=15)
    a["med_days"] = {**NO_MEDS, "triptan": 12, "any_acute": 12}
    a.update(med_overuse_duration="gt_3m", headache_predates_med_use="yes")

    result = run(a)

    assert labels(result) == [("2.2", 0), ("1.1", 1), ("8.2.2", None), ("11.2.1", 0)]
    assert [e["id"] for e in result["explain"]] == ["ICHD-2.2", "ICHD-1.1", "ICHD-8.2.2", "ICHD-11.2.1"]
    assert all(e["result"] is True for e in result["explain"])


def test_it_outputs_chronic_migraine_and_moh_together():
    a = patient(migraine_type(days_per_month=16), headache_days_per_month=16)
    a["med_days"] = {**NO_MEDS, "triptan": 12, "any_acute": 12}
    a.update(med_overuse_duration="gt_3m", headache_predates_med_use="yes")

    assert labels(run(a)) == [("1.3", None), ("8.2.2", None)]


# --------------------------------------------------------------------------- 11.2.1 (§4.9)


def test_it_reports_cervicogenic_features_with_two_proxies():
    t = tension_type(ha_started_with_neck_problem="yes", ha_improves_when_neck_improves="yes")

    result = run(patient(t, neck_pain="yes"))

    assert labels(result) == [("2.2", 0), ("11.2.1", 0)]
    cervicogenic = result["headache_phenotypes"][1]
    assert cervicogenic["attributes"] == []
    assert cervicogenic["certainty"] == "features_consistent"
    assert cervicogenic["label"] == (
        "cervicogenic features reported (11.2.1). Criterion B and the examination findings need the clinician"
    )
    assert result["cervicogenic_features_reported"] is True


def test_it_does_not_report_cervicogenic_features_with_one_proxy():
    t = tension_type(ha_started_with_neck_problem="yes")

    result = run(patient(t, neck_pain="yes"))

    assert labels(result) == [("2.2", 0)]
    assert result["cervicogenic_features_reported"] is False


def test_it_counts_proxy_c3_only_with_reduced_neck_movement():
    t = tension_type(ha_started_with_neck_problem="yes", neck_movement_or_posture_triggers_ha="yes")

    without = run(patient(t, neck_pain="yes", neck_stiff_reduced_movement="no"))
    with_stiffness = run(patient(t, neck_pain="yes", neck_stiff_reduced_movement="yes"))

    assert without["cervicogenic_features_reported"] is False
    assert with_stiffness["cervicogenic_features_reported"] is True


def test_it_counts_side_locked_and_neck_pressure_as_one_proxy():
    one = tension_type(side_locked="yes", neck_pressure_triggers_ha="yes")
    two = tension_type(side_locked="yes", neck_pressure_triggers_ha="yes", ha_improves_when_neck_improves="yes")

    assert run(patient(one, neck_pain="yes"))["cervicogenic_features_reported"] is False
    assert run(patient(two, neck_pain="yes"))["cervicogenic_features_reported"] is True


def test_it_needs_neck_pain_for_11_2_1():
    t = tension_type(ha_started_with_neck_problem="yes", ha_improves_when_neck_improves="yes")

    assert run(patient(t, neck_pain="no"))["cervicogenic_features_reported"] is False


def test_it_marks_migraine_criteria_also_met_on_a_migraine_type():
    t = migraine_type(ha_started_with_neck_problem="yes", ha_improves_when_neck_improves="yes")

    result = run(patient(t, neck_pain="yes"))

    assert labels(result) == [("1.1", 0), ("11.2.1", 0)]
    cervicogenic = result["headache_phenotypes"][1]
    assert cervicogenic["attributes"] == ["migraine_criteria_also_met"]
    assert cervicogenic["label"] == (
        "neck-related features reported. Migraine criteria are also met, and neck pain is common in migraine. "
        "Clinician to judge"
    )


def test_it_marks_migraine_criteria_also_met_on_a_type_covered_by_1_3():
    t = migraine_type(days_per_month=16, ha_started_with_neck_problem="yes", ha_improves_when_neck_improves="yes")

    result = run(patient(t, neck_pain="yes"))

    assert labels(result) == [("1.3", None), ("11.2.1", 0)]
    assert result["headache_phenotypes"][1]["attributes"] == ["migraine_criteria_also_met"]


@pytest.mark.parametrize(
    ("red_flag", "blocked"),
    [
        (flag("CAD-ACUTE", "EMERGENCY", "ED_NOW"), True),
        (flag("CAD-HISTORY"), True),
        (flag("HA-TRAUMA", "EMERGENCY", "SAME_DAY"), True),
        (flag("HA-NEW-PATTERN"), True),
        (flag("HA-DRUG", "ROUTINE", "NOTE"), False),
        (flag("CAD-RISK", "ROUTINE", "NOTE"), False),
        (flag("MH-SI", "EMERGENCY", "SAME_DAY"), False),
    ],
)
def test_it_blocks_11_2_1_for_dissection_trauma_and_urgent_headache_flags(red_flag, blocked):
    assert cervicogenic_blocked([red_flag]) is blocked


def test_it_never_outputs_11_2_1_while_suppressed():
    t = tension_type(ha_started_with_neck_problem="yes", ha_improves_when_neck_improves="yes")

    result = run(patient(t, neck_pain="yes"), [flag("CAD-ACUTE", "EMERGENCY", "ED_NOW")])

    assert result["cervicogenic_features_reported"] is False
    assert result["headache_phenotypes"] == []
    assert not any(e["id"] == "ICHD-11.2.1" for e in result["explain"])


# --------------------------------------------------------------------------- wording and explain


def test_it_never_says_diagnosis():
    a = patient(migraine_type(aura=aura(types=["motor"])), tension_type(days_per_month=20), neck_pain="yes")

    result = run(a)

    assert "diagnos" not in json.dumps(result).lower()
    assert all(p["label"].startswith("features consistent with ICHD-3") for p in result["headache_phenotypes"])


def test_it_explains_each_phenotype_with_the_fields_read():
    result = run(patient(migraine_type()))

    [entry] = result["explain"]
    assert entry["id"] == "ICHD-1.1"
    assert entry["ref"] == "§4.2"
    assert entry["type_index"] == 0
    assert entry["inputs"]["ha_types[0].attack_count_lifetime"] == "10+"
    assert entry["inputs"]["ha_types[0].duration_untreated"] == "4h_72h"
    assert entry["detail"]["criteria"] == {"A": True, "B": True, "C": "4/4", "D": True}
