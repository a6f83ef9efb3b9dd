"""`manage.py triage_checkin FILE` (docs/checkin-contract.md): the follow-up rules of reference.md §6.4, R1–R12,
each at its boundaries, through the command. No database."""

from __future__ import annotations

import json
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from .builders import DROP, intake
from .checkin_builders import answers, checkin, document

PSFS3 = [{"activity": "Walking", "score": 3}, {"activity": "Lifting", "score": 4}, {"activity": "Sitting", "score": 5}]


def run(tmp_path, payload) -> tuple[int, dict]:
    path = tmp_path / "followup.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    out, code, real = StringIO(), 0, sys.stdout
    sys.stdout = out
    try:
        call_command("triage_checkin", str(path))
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout = real
    assert out.getvalue().count("\n") == 1, "stdout must carry exactly one JSON object"
    return code, json.loads(out.getvalue())


def back(**instruments) -> dict:
    return intake(back=True, headache=False, neck=False, instruments=instruments)


def headache(**kw) -> dict:
    kw.setdefault("instruments", {"nprs_head": 6})
    return intake(back=False, headache=True, neck=False, **kw)


def summary(tmp_path, baseline, time_point="week6", day=None, previous=(), **overrides) -> dict:
    doc = document(baseline, [*previous, checkin(time_point, answers(baseline, time_point, **overrides), day=day)])
    code, out = run(tmp_path, doc)
    assert code == 0, out
    return out


def change(out: dict, measure: str) -> dict:
    return next(c for c in out["changes"] if c["measure"] == measure)


def note_ids(out: dict) -> list[str]:
    return [n["id"] for n in out["notes"]]


def with_inst(time_point="week6", **inst) -> dict:
    base = {"phq4": [0, 0, 0, 0]} if time_point != "week2" else {}
    return {**base, **inst}


# ---------------------------------------------------------------- R1 like with like
def test_r1_a_baseline_scored_by_other_rules_is_rescored_and_said_so(tmp_path):
    baseline = back(nprs_back=7)
    doc = document(baseline, [checkin("week2", answers(baseline, "week2"))], rules_version="2025.01-r0")
    code, out = run(tmp_path, doc)
    assert code == 0 and out["baseline_rules_version"] == "2025.01-r0"
    assert "BASELINE-RESCORED" in note_ids(out)
    assert "BASELINE-RESCORED" not in note_ids(summary(tmp_path, baseline, "week2"))


def test_r1_psfs_compares_the_same_activities_only(tmp_path):
    baseline = back(nprs_back=7, psfs=PSFS3)
    same = [
        {"activity": " walking", "score": 6},
        {"activity": "LIFTING", "score": 6},
        {"activity": "Sitting", "score": 7},
    ]
    out = summary(tmp_path, baseline, instruments=with_inst(psfs=same))
    assert change(out, "psfs")["activities_compared"] == 3 and change(out, "psfs")["caveats"] == []
    partial = [
        {"activity": "Walking", "score": 6},
        {"activity": "Gardening", "score": 9},
        {"activity": "Running", "score": 9},
    ]
    out = summary(tmp_path, baseline, instruments=with_inst(psfs=partial))
    assert change(out, "psfs")["activities_compared"] == 1 and change(out, "psfs")["baseline"] == 3
    other = [
        {"activity": "Gardening", "score": 9},
        {"activity": "Running", "score": 9},
        {"activity": "Golf", "score": 9},
    ]
    assert change(summary(tmp_path, baseline, instruments=with_inst(psfs=other)), "psfs")["status"] == "not_comparable"


def test_r1_promis_needs_the_same_short_form(tmp_path):
    baseline = back(promis_sleep={"form": "4a", "items": [3, 3, 3, 3], "t_score": 60})
    same = {"form": "4a", "items": [2, 2, 2, 2], "t_score": 52}
    other = {"form": "6a", "items": [2] * 6, "t_score": 52}
    assert (
        change(summary(tmp_path, baseline, instruments=with_inst(promis_sleep=same)), "promis_sleep")["status"]
        == "no_mcid"
    )
    assert (
        change(summary(tmp_path, baseline, instruments=with_inst(promis_sleep=other)), "promis_sleep")["status"]
        == "not_comparable"
    )


def test_r1_recall_windows_hit6_after_4_weeks_midas_from_12_weeks(tmp_path):
    hit6 = ["always"] * 6
    baseline = headache(instruments={"nprs_head": 6, "hit6": hit6, "midas": {"items": [10, 5, 5, 5, 5]}})
    better = ["sometimes"] * 6
    assert (
        change(summary(tmp_path, baseline, "week2", instruments={"hit6": better}), "hit6")["status"] == "not_comparable"
    )
    assert (
        change(summary(tmp_path, baseline, "week6", instruments=with_inst(hit6=better)), "hit6")["status"]
        == "improved_meaningful"
    )
    midas = {"items": [4, 3, 3, 3, 3]}
    assert (
        change(summary(tmp_path, baseline, "week6", instruments=with_inst(midas=midas)), "midas")["status"]
        == "not_comparable"
    )
    assert (
        change(summary(tmp_path, baseline, "week12", instruments=with_inst("week12", midas=midas)), "midas")["status"]
        == "improved_meaningful"
    )


# ---------------------------------------------------------------- R2, R3 signed and relative change
def test_r2_a_positive_delta_is_improvement_for_both_directions(tmp_path):
    baseline = back(nprs_back=7, psfs=PSFS3, pseq=[3] * 10)
    out = summary(
        tmp_path,
        baseline,
        nprs_back=4,
        instruments=with_inst(
            pseq=[4] * 10, psfs=[{"activity": a["activity"], "score": a["score"] + 1} for a in PSFS3]
        ),
    )
    assert change(out, "nprs_back")["delta"] == 3  # lower is better: baseline − follow-up
    assert change(out, "pseq")["delta"] == 10 and change(out, "psfs")["delta"] == 1  # higher is better
    worse = summary(tmp_path, baseline, nprs_back=9)
    assert change(worse, "nprs_back")["delta"] == -2


def test_r3_relative_change_is_undefined_at_baseline_0_and_for_higher_is_better(tmp_path):
    out = summary(tmp_path, back(nprs_back=5, psfs=PSFS3), nprs_back=4, instruments=with_inst(psfs=PSFS3))
    assert change(out, "nprs_back")["pct"] == 20
    assert change(out, "psfs")["pct"] is None
    peg0 = summary(tmp_path, back(peg=[0, 0, 0]), instruments=with_inst(peg=[1, 1, 1]))
    assert change(peg0, "peg")["pct"] is None and change(peg0, "peg")["status"] == "not_assessable_floor"


# ---------------------------------------------------------------- R4 status, first match wins
@pytest.mark.parametrize(
    ("base", "follow", "status"),
    [
        (8, 6, "improved_meaningful"),  # delta 2 = MCID
        (8, 7, "no_meaningful_change"),  # delta 1, 12.5 %
        (3, 2, "improved_relative_only"),  # delta 1 < 2, 33 % ≥ 30 %
        (5, 4, "no_meaningful_change"),  # 20 % < 30 %
        (4, 6, "worse_meaningful"),  # −delta 2 = MCID (symmetric, PRODUCT RULE)
        (4, 5, "no_meaningful_change"),
    ],
)
def test_r4_nprs(tmp_path, base, follow, status):
    assert change(summary(tmp_path, back(nprs_back=base), nprs_back=follow), "nprs_back")["status"] == status


@pytest.mark.parametrize(
    ("base", "follow", "status"),
    [
        (10, 5, "improved_meaningful"),
        (10, 6, "improved_relative_only"),
        (10, 14, "no_meaningful_change"),
        (10, 15, "worse_meaningful"),
        (14, 10, "no_meaningful_change"),
    ],  # 4 points, 28.6 %
)
def test_r4_rmdq(tmp_path, base, follow, status):
    rmdq = lambda n: [True] * n + [False] * (24 - n)  # noqa: E731
    out = summary(tmp_path, back(rmdq=rmdq(base)), instruments=with_inst(rmdq=rmdq(follow)))
    assert change(out, "rmdq")["status"] == status and change(out, "rmdq")["mcid"]["abs"] == 5


@pytest.mark.parametrize(
    ("follow_scores", "status"),
    [
        ([6, 7, 7], "improved_meaningful"),  # mean 6.33: +2.33 ≥ 2.3
        ([6, 6, 6], "no_meaningful_change"),  # +2.0
        ([1, 2, 2], "worse_meaningful"),  # −2.33
        ([2, 2, 2], "no_meaningful_change"),
    ],
)
def test_r4_psfs_exact_boundary_of_2_3(tmp_path, follow_scores, status):
    follow = [{"activity": a["activity"], "score": s} for a, s in zip(PSFS3, follow_scores, strict=True)]
    out = summary(tmp_path, back(psfs=PSFS3), instruments=with_inst(psfs=follow))
    assert change(out, "psfs")["status"] == status and change(out, "psfs")["mcid"]["abs"] == 2.3


def test_r4_phq9_relative_threshold_only_at_moderate_baseline(tmp_path):
    phq = lambda total: [3] * (total // 3) + [total % 3] + [0] * (8 - total // 3)  # noqa: E731
    moderate = summary(tmp_path, back(phq9=phq(12)), instruments=with_inst(phq9=phq(9), gad7=[0] * 7))
    assert change(moderate, "phq9")["status"] == "improved_relative_only"  # 3 points, 25 %
    severe = summary(tmp_path, back(phq9=phq(16)), instruments=with_inst(phq9=phq(12), gad7=[0] * 7))
    assert change(severe, "phq9")["status"] == "no_meaningful_change"  # 4 points, 25 %, not moderate
    assert (
        change(summary(tmp_path, back(phq9=phq(16)), instruments=with_inst(phq9=phq(11), gad7=[0] * 7)), "phq9")[
            "status"
        ]
        == "improved_meaningful"
    )


@pytest.mark.parametrize(
    ("follow", "status"),
    [([4, 4, 4], "improved_meaningful"), ([4, 4, 5], "no_meaningful_change"), ([8, 8, 8], "worse_meaningful")],
)
def test_r4_peg_provisional_30_percent(tmp_path, follow, status):
    out = summary(tmp_path, back(peg=[6, 6, 6]), instruments=with_inst(peg=follow))
    assert change(out, "peg")["status"] == status and change(out, "peg")["mcid"]["provisional"] is True


# ---------------------------------------------------------------- R5 floor and ceiling
def test_r5_floor_below_one_mcid(tmp_path):
    assert change(summary(tmp_path, back(nprs_back=1), nprs_back=0), "nprs_back")["status"] == "not_assessable_floor"
    assert change(summary(tmp_path, back(nprs_back=2), nprs_back=0), "nprs_back")["status"] == "improved_meaningful"
    rmdq = lambda n: [True] * n + [False] * (24 - n)  # noqa: E731
    assert (
        change(summary(tmp_path, back(rmdq=rmdq(4)), instruments=with_inst(rmdq=rmdq(0))), "rmdq")["status"]
        == "not_assessable_floor"
    )
    assert (
        change(summary(tmp_path, back(rmdq=rmdq(5)), instruments=with_inst(rmdq=rmdq(0))), "rmdq")["status"]
        == "improved_meaningful"
    )


def test_r5_rmdq_ceiling_above_20_is_a_caveat(tmp_path):
    rmdq = lambda n: [True] * n + [False] * (24 - n)  # noqa: E731
    above = summary(tmp_path, back(rmdq=rmdq(21)), instruments=with_inst(rmdq=rmdq(21)))
    at = summary(tmp_path, back(rmdq=rmdq(20)), instruments=with_inst(rmdq=rmdq(20)))
    assert change(above, "rmdq")["caveats"] and not change(at, "rmdq")["caveats"]


def test_r5_higher_is_better_floor_is_less_than_one_mcid_of_room(tmp_path):
    near_top = [{"activity": "A", "score": 8}, {"activity": "B", "score": 8}, {"activity": "C", "score": 8}]
    room = [{"activity": "A", "score": 8}, {"activity": "B", "score": 8}, {"activity": "C", "score": 7}]
    top = [dict(a, score=10) for a in near_top]
    assert (
        change(summary(tmp_path, back(psfs=near_top), instruments=with_inst(psfs=top)), "psfs")["status"]
        == "not_assessable_floor"
    )  # 10 − 8 = 2 < 2.3
    assert (
        change(summary(tmp_path, back(psfs=room), instruments=with_inst(psfs=top)), "psfs")["status"]
        == "improved_meaningful"
    )  # 10 − 7.67 = 2.33


# ---------------------------------------------------------------- R6 headache days
@pytest.mark.parametrize(
    ("base", "days", "status"),
    [
        (10, 5, "improved_meaningful"),
        (10, 6, "improved_relative_only"),
        (10, 8, "no_meaningful_change"),
        (10, 15, "worse_meaningful"),
        (10, 14, "no_meaningful_change"),
        (4, 2, "improved_meaningful"),
        (3, 0, "not_assessable_floor"),
    ],
)
def test_r6_fifty_percent_on_28_day_windows(tmp_path, base, days, status):
    baseline = headache(headache_days_per_month=base)
    baseline["ha_types"][0]["days_per_month"] = min(base, 4)
    out = summary(tmp_path, baseline, ha_days_window=days)
    assert change(out, "headache_days")["status"] == status


def test_r6_not_on_the_14_day_window_and_rate_per_28_days(tmp_path):
    baseline = headache(headache_days_per_month=10)
    out = summary(tmp_path, baseline, "week2", ha_days_window=2)
    entry = change(out, "headache_days")
    assert entry["status"] == "not_assessable_window" and entry["followup"] == 4  # 2 × 28 / 14


def test_r6_migraine_days_use_the_derived_baseline(tmp_path):
    baseline = headache(headache_days_per_month=10)
    baseline["ha_types"][0].update(
        side="one_side",
        quality="throbbing",
        intensity="severe",
        worse_with_activity="yes",
        nausea="moderate_severe",
        days_per_month=8,
    )
    out = summary(tmp_path, baseline, ha_days_window=6, migraine_days_window=4)
    assert (
        change(out, "migraine_days")["baseline"] == 8
        and change(out, "migraine_days")["status"] == "improved_meaningful"
    )


# ---------------------------------------------------------------- R7 PGIC alerts
@pytest.mark.parametrize(
    ("pgic", "note", "tier"),
    [
        (4, None, "NONE"),
        (5, "PGIC-MINIMALLY-WORSE", "ROUTINE"),
        (6, "PGIC-WORSE", "URGENT_REFERRAL"),
        (7, "PGIC-WORSE", "URGENT_REFERRAL"),
    ],
)
def test_r7_pgic(tmp_path, pgic, note, tier):
    out = summary(tmp_path, back(nprs_back=5), "week2", pgic=pgic)
    assert out["overall_tier"] == tier
    assert (note in note_ids(out)) if note else not any(n.startswith("PGIC") for n in note_ids(out))
    assert out["pgic"] == {"value": pgic, "responder": False}


# ---------------------------------------------------------------- R8 red-flag re-screen
def test_r8_a_rescreen_flag_fires_with_its_section_2_tier_and_overrides(tmp_path):
    out = summary(tmp_path, back(nprs_back=5), "week2", ces_saddle_numbness="yes")
    assert [(f["id"], f["action"]) for f in out["red_flags"]] == [("LBP-CES-1", "ED_NOW")]
    assert out["new_red_flags"] == ["LBP-CES-1"]
    assert out["overall_tier"] == "ED_NOW" and out["red_flag_override"] is True
    assert out["patient_screen"] == {"screen": "emergency_advice", "must_acknowledge": True, "crisis_resources": False}
    assert "NO_MANUAL_THERAPY_REGION=lumbar" in out["precautions"]
    clear = summary(tmp_path, back(nprs_back=5), "week2")
    assert clear["red_flags"] == [] and clear["red_flag_override"] is False


def test_r8_a_flag_already_seen_at_baseline_or_before_is_not_new(tmp_path):
    baseline = back(nprs_back=5)
    baseline["leg_pain_below_knee"] = "both"  # LBP-CES-2 at baseline
    baseline["leg_pain"] = "yes"
    baseline.update(leg_vs_back="equal", leg_paraesthesia="no")
    out = summary(tmp_path, baseline, "week2", leg_pain_below_knee="both")
    assert [f["id"] for f in out["red_flags"]] == ["LBP-CES-2"] and out["new_red_flags"] == []
    first = checkin("week2", answers(back(nprs_back=5), "week2", fever_recent="yes"))
    again = summary(tmp_path, back(nprs_back=5), previous=[first], fever_recent="yes")
    assert [f["id"] for f in again["red_flags"]] == ["LBP-INFECT"] and again["new_red_flags"] == []


def test_r8_the_baseline_history_combines_with_a_new_symptom(tmp_path):
    with_cancer = back(nprs_back=5)
    with_cancer["cancer_history"] = "yes"
    out = summary(tmp_path, with_cancer, "week2", leg_weakness_new="yes", leg_weakness_progressing="no")
    flag = next(f for f in out["red_flags"] if f["id"] == "LBP-MSCC")
    assert flag["action"] == "ED_NOW" and "baseline.cancer_history=yes" in flag["triggered_by"]
    assert (
        summary(tmp_path, back(nprs_back=5), "week2", leg_weakness_new="yes", leg_weakness_progressing="no")[
            "red_flags"
        ]
        == []
    )


def test_r8_post_treatment_neurological_symptoms_within_7_days(tmp_path):
    baseline = back(nprs_back=5)
    fired = summary(
        tmp_path, baseline, "week2", neck_treatment_since_last="yes", vertigo_new="yes", post_tx_within_7_days="yes"
    )
    assert [(f["id"], f["action"]) for f in fired["red_flags"]] == [("POST-TX-NEURO", "ED_NOW")]
    assert "NO_CERVICAL_MANUAL_THERAPY" in fired["precautions"]
    later = summary(
        tmp_path, baseline, "week2", neck_treatment_since_last="yes", vertigo_new="yes", post_tx_within_7_days="no"
    )
    assert later["red_flags"] == []
    nausea_only = summary(
        tmp_path, baseline, "week2", neck_treatment_since_last="yes", post_tx_nausea="yes", post_tx_within_7_days="yes"
    )
    assert nausea_only["red_flags"] == []  # §2.4: nausea only alongside another item


def test_r8_not_sure_is_never_no(tmp_path):
    ed = summary(tmp_path, back(nprs_back=5), "week2", ces_bowel_dysfunction="not_sure")
    assert [(n["id"], n["action"]) for n in ed["notes"]] == [("RF-UNCLEAR", "SAME_DAY")]
    urgent = summary(tmp_path, back(nprs_back=5), "week2", unexplained_weight_loss="not_sure")
    assert [(n["id"], n["action"]) for n in urgent["notes"]] == [("RF-UNCLEAR", "URGENT_REFERRAL")]


@pytest.mark.parametrize(("item9", "fired"), [(0, False), (1, True)])
def test_r8_phq9_item_9_at_follow_up(tmp_path, item9, fired):
    out = summary(
        tmp_path, back(nprs_back=5), instruments=with_inst(phq4=[0, 0, 2, 2], phq9=[1] * 8 + [item9], gad7=[0] * 7)
    )
    assert (["MH-SI"] if fired else []) == [f["id"] for f in out["red_flags"]]
    assert out["patient_screen"]["crisis_resources"] is fired


# ---------------------------------------------------------------- R9 discordance
@pytest.mark.parametrize(("nprs", "pgic", "fired"), [(5, 5, True), (5, 4, False), (9, 2, True), (9, 3, False)])
def test_r9_discordant_patient_reported_change(tmp_path, nprs, pgic, fired):
    out = summary(tmp_path, back(nprs_back=7), "week2", nprs_back=nprs, pgic=pgic)
    assert ("DISCORDANT-CHANGE" in note_ids(out)) is fired


# ---------------------------------------------------------------- R10 no response at 6 weeks
@pytest.mark.parametrize(
    ("time_point", "nprs", "pgic", "fired"),
    [("week6", 6, 4, True), ("week6", 6, 3, False), ("week6", 5, 4, False), ("week12", 6, 4, False)],
)
def test_r10_no_meaningful_improvement_at_6_weeks(tmp_path, time_point, nprs, pgic, fired):
    out = summary(tmp_path, back(nprs_back=7), time_point, nprs_back=nprs, pgic=pgic)
    assert ("NO-RESPONSE-6W" in note_ids(out)) is fired


# ---------------------------------------------------------------- R11 medication trend
def _meds(**days) -> dict:
    med = {
        "paracetamol": 0,
        "nsaid_aspirin": 0,
        "triptan": 0,
        "ergot": 0,
        "opioid": 0,
        "combination": 0,
        "gepant_ditan": 0,
        "other": 0,
    }
    med.update(days)
    med["any_acute"] = max(med[k] for k in med if isinstance(med[k], int))
    return med


@pytest.mark.parametrize(
    ("week2_triptan", "week6_triptan", "ha_days", "notes"),
    [
        (5, 10, 14, ["MED-MOH-RISK"]),  # 10/28 at both
        (4, 10, 14, []),  # 8/28 at 2 weeks: not two in a row
        (5, 9, 14, []),
        (5, 10, 15, ["MED-MOH-RISK", "POSSIBLE-MOH"]),
    ],
)
def test_r11_two_consecutive_checkins_at_an_moh_threshold(tmp_path, week2_triptan, week6_triptan, ha_days, notes):
    baseline = headache(headache_days_per_month=15)
    first = checkin("week2", answers(baseline, "week2", med_days_window=_meds(triptan=week2_triptan)))
    out = summary(
        tmp_path, baseline, previous=[first], med_days_window=_meds(triptan=week6_triptan), ha_days_window=ha_days
    )
    assert [n for n in note_ids(out) if n in ("MED-MOH-RISK", "POSSIBLE-MOH")] == notes


def test_r11_a_missed_checkin_breaks_the_run_and_back_pain_alone_never_counts(tmp_path):
    baseline = headache(headache_days_per_month=15)
    first = checkin("week2", answers(baseline, "week2", med_days_window=_meds(nsaid_aspirin=8)))
    out = summary(
        tmp_path,
        baseline,
        "week12",
        previous=[first, checkin("week6", status="missed")],
        med_days_window=_meds(nsaid_aspirin=15),
    )
    assert "MED-MOH-RISK" not in note_ids(out) and out["missed"] == ["week6"]
    assert "MED-MOH-RISK" in note_ids(
        summary(tmp_path, baseline, previous=[first], med_days_window=_meds(nsaid_aspirin=15))
    )
    back_only = back(nprs_back=5)
    first = checkin("week2", answers(back_only, "week2", med_days_window=_meds(nsaid_aspirin=8)))
    assert "MED-MOH-RISK" not in note_ids(
        summary(tmp_path, back_only, previous=[first], med_days_window=_meds(nsaid_aspirin=15))
    )


# ---------------------------------------------------------------- R12 re-classification
@pytest.mark.parametrize(("weeks", "day", "category"), [(0, 84, "subacute"), (0, 91, "chronic"), (2, 84, "chronic")])
def test_r12_duration_is_updated_at_12_weeks_when_back_pain_persists(tmp_path, weeks, day, category):
    baseline = back(nprs_back=6)
    baseline["back_pain_duration_weeks"] = weeks
    out = summary(tmp_path, baseline, "week12", day=day, nprs_back=3)
    reclass = out["reclassification"]
    assert reclass["applied"] is True and reclass["back_pain"]["duration_category"] == category
    changed = "back_pain.duration_category" in reclass["badges"]
    assert changed is True  # acute at baseline
    assert ("cs_features.F1" in reclass["badges"]) is (category == "chronic")


def test_r12_not_before_12_weeks_and_not_when_back_pain_has_gone(tmp_path):
    assert summary(tmp_path, back(nprs_back=6), "week6")["reclassification"] is None
    gone = summary(tmp_path, back(nprs_back=6), "week12", nprs_back=0)["reclassification"]
    assert gone["applied"] is False and gone["badges"] == []


# ---------------------------------------------------------------- §6.2 windows
def test_an_answer_outside_its_window_is_stored_but_not_compared(tmp_path):
    out = summary(tmp_path, back(nprs_back=7), "week2", day=19, nprs_back=3, pgic=5)
    assert out["in_window"] is False and change(out, "nprs_back")["status"] == "out_of_window"
    assert "OUT-OF-WINDOW" in note_ids(out) and "DISCORDANT-CHANGE" not in note_ids(out)
    assert summary(tmp_path, back(nprs_back=7), "week2", day=18, nprs_back=3)["in_window"] is True


# ---------------------------------------------------------------- bad input (contract part D)
def errors_of(doc: dict) -> set[tuple[str, str]]:
    assert doc["error"] == "invalid_input"
    return {(e["field"], e["problem"]) for e in doc["errors"]}


def test_bad_input_names_every_field_and_exits_2(tmp_path):
    baseline = back(nprs_back=5)
    bad = answers(baseline, "week6", pgic=8, nprs_back=DROP, fever_recent="maybe", surprise=1)
    doc = document(intake(age="40"), [checkin("week6", bad)])
    code, out = run(tmp_path, doc)
    assert code == 2 and errors_of(out) == {("baseline.age", "wrong_type")}
    code, out = run(tmp_path, document(baseline, [checkin("week6", bad)]))
    assert code == 2
    assert errors_of(out) >= {
        ("checkins[0].answers.pgic", "out_of_range"),
        ("checkins[0].answers.nprs_back", "required"),
        ("checkins[0].answers.fever_recent", "not_allowed_value"),
        ("checkins[0].answers.surprise", "unknown_field"),
    }


def test_bad_documents(tmp_path):
    baseline = back(nprs_back=5)
    ok = checkin("week2", answers(baseline, "week2"))
    cases = [
        (
            {"baseline": baseline},
            {("rules_version", "required"), ("baseline_date", "required"), ("checkins", "required")},
        ),
        (document(baseline, [ok], baseline_date="5 Jan 2026"), {("baseline_date", "not_allowed_value")}),
        (
            document(baseline, [checkin("week6", answers(baseline, "week6")), ok]),
            {("checkins[1].time_point", "inconsistent")},
        ),
        (
            document(baseline, [dict(ok, status="missed")]),
            {
                ("checkins[0].answered_on", "inconsistent"),
                ("checkins[0].answers", "inconsistent"),
                ("checkins", "wrong_length"),
            },
        ),
        (document(baseline, [dict(ok, answered_on="2025-12-31")]), {("checkins[0].answered_on", "inconsistent")}),
        (
            document(baseline, [checkin("week6", answers(baseline, "week6", instruments={}))]),
            {("checkins[0].answers.instruments.phq4", "required")},
        ),
    ]
    for payload, expected in cases:
        code, out = run(tmp_path, payload)
        assert code == 2 and errors_of(out) >= expected, (expected, out)


def test_unreadable_and_not_json(tmp_path):
    code, out = run(tmp_path, "{not json")
    assert code == 2 and errors_of(out) == {("", "not_json")}
    real, sys.stdout = sys.stdout, StringIO()
    try:
        with pytest.raises(SystemExit) as exc:
            call_command("triage_checkin", str(tmp_path / "missing.json"))
        printed = sys.stdout.getvalue()
    finally:
        sys.stdout = real
    assert exc.value.code == 2 and errors_of(json.loads(printed)) == {("", "unreadable")}


@pytest.mark.parametrize(
    ("base", "follow", "status"),
    [
        (15, 10, "improved_meaningful"),
        (15, 11, "no_meaningful_change"),
        (30, 21, "improved_meaningful"),
        (30, 22, "no_meaningful_change"),
        (10, 0, "no_mcid"),
    ],
)
def test_r4_midas_mcid_depends_on_the_baseline(tmp_path, base, follow, status):
    midas = lambda total: {"items": [total, 0, 0, 0, 0]}  # noqa: E731
    baseline = headache(instruments={"nprs_head": 6, "midas": midas(base)})
    out = summary(tmp_path, baseline, "week12", instruments=with_inst("week12", midas=midas(follow)))
    assert change(out, "midas")["status"] == status
