"""Questionnaire validation (contract B.13) and scoring (contract C.10, reference §1.2).

Pure Python: no database, no Django, nothing read from /work/shared at test time. Expected values are copied
from reference.md §1.2 and from the worked examples (contract part G, V1; example V4).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.triage import instruments as reg
from intake.triage.errors import PROBLEMS
from intake.triage.instruments import (
    csi,
    hit6,
    midas,
    ndi,
    odi,
    promis_sleep,
    psfs,
    sss,
    startback,
    wpi,
)

# --- helpers -----------------------------------------------------------------------------------------------


def spread(total: int, n: int, hi: int) -> list[int]:
    """n integer items 0..hi that sum to total (greedy: full items first)."""
    assert 0 <= total <= n * hi
    items = []
    for _ in range(n):
        take = min(hi, total)
        items.append(take)
        total -= take
    return items


def hit6_answers(total: int) -> list[str]:
    """Six HIT-6 answers whose weights sum to total."""
    for combo in itertools.product(hit6.WEIGHTS, repeat=6):
        if sum(hit6.WEIGHTS[a] for a in combo) == total:
            return list(combo)
    raise AssertionError(f"no HIT-6 answers sum to {total}")


def problems(instruments: object) -> list[tuple[str, str]]:
    return [(e.field, e.problem) for e in reg.validate_instruments(instruments)]


def sss_value(fatigue=0, waking=0, cognitive=0, headaches=False, abdominal=False, depression=False, three_months=True):
    return {
        "fatigue": fatigue,
        "waking_unrefreshed": waking,
        "cognitive": cognitive,
        "headaches": headaches,
        "lower_abdominal_pain": abdominal,
        "depression": depression,
        "symptoms_3mo_plus": three_months,
    }


def sss_with_total(total: int, three_months: bool = True) -> dict:
    severity = spread(min(total, 9), 3, 3)
    yes = total - sum(severity)
    return sss_value(*severity, *[i < yes for i in range(3)], three_months=three_months)


# One area from each region, none of them jaw/chest/abdomen, then extra areas of region 5.
ONE_PER_REGION = ["left_shoulder_girdle", "right_upper_arm", "left_hip", "right_lower_leg", "neck"]
EXTRA_AXIAL_AND_ARMS = ["upper_back", "lower_back", "left_upper_arm", "right_lower_arm", "left_lower_arm"]


def wpi_areas(total: int, regions: int = 5) -> list[str]:
    """`total` WPI areas spanning `regions` generalised regions."""
    base = ONE_PER_REGION[:regions]
    pool = [a for a in wpi.AREA_CODES if a not in ONE_PER_REGION]
    if regions < 5:  # stay inside the chosen regions, or use areas that never count
        allowed = {wpi.AREA_REGIONS[a] for a in base}
        pool = [a for a in pool if wpi.AREA_REGIONS[a] in allowed or a in wpi.NOT_GENERALISED]
    areas = base + pool[: total - len(base)]
    assert len(areas) == total
    return areas


# --- worked examples (copied from contract part G, V1, and example V4) ---------------------------------------

V1_INSTRUMENTS = {
    "startback": ["agree", "agree", "disagree", "disagree", "disagree", "disagree", "disagree", "disagree", "slightly"],
    "rmdq": [True] * 9 + [False] * 15,
    "phq4": [0, 1, 0, 0],
    "csi_a": [1] * 18 + [0] * 7,
    "wpi": ["lower_back"],
    "sss": sss_value(fatigue=1, three_months=False),
    "nprs_back": 6,
}

V1_SCORES = {
    "csi": {"total": 18, "band": "subclinical", "estimated": False, "n_missing": 0, "ge_40": False, "part_b": None},
    "rmdq": {"total": 9, "band": None},
    "startback": {"total": 2, "psych": 0, "band": "low"},
    "phq4": {
        "total": 1,
        "band": "normal",
        "anxiety": 1,
        "depression": 0,
        "anxiety_positive": False,
        "depression_positive": False,
    },
    "nprs_back": {"total": 6, "band": None},
    "wpi": {"total": 1, "band": None, "generalised_regions": 1, "generalised": False},
    "sss": {"total": 1, "band": None},
    "fs": {"total": 2, "band": None},
}

V1_EXPLAIN = [
    {"id": "SCORE-csi", "ref": "§1.2.1", "result": 18, "inputs": {}},
    {"id": "SCORE-rmdq", "ref": "§1.2.2", "result": 9, "inputs": {}},
    {"id": "SCORE-startback", "ref": "§1.2.5", "result": 2, "inputs": {}},
    {"id": "SCORE-phq4", "ref": "§1.2.10", "result": 1, "inputs": {}},
    {"id": "SCORE-nprs_back", "ref": "§1.2.12", "result": 6, "inputs": {}},
    {"id": "SCORE-wpi", "ref": "§1.2.14", "result": 1, "inputs": {}},
    {"id": "SCORE-sss", "ref": "§1.2.14", "result": 1, "inputs": {}},
    {"id": "SCORE-fs", "ref": "§1.2.14", "result": 2, "inputs": {}},
]

V4_INSTRUMENTS = {
    "wpi": [
        "neck",
        "upper_back",
        "lower_back",
        "abdomen",
        "left_shoulder_girdle",
        "right_shoulder_girdle",
        "left_hip",
        "right_hip",
        "left_upper_leg",
    ],
    "sss": sss_value(2, 2, 1, True, True, False, True),
    "csi_a": [2] * 20 + [1] * 5,
    "csi_b": ["migraine_or_tension_headache", "ibs"],
    "phq9": [1, 1, 1, 1, 1, 1, 1, 1, 0],
    "gad7": [1, 1, 1, 1, 1, 1, 0],
    "isi": [3, 3, 2, 2, 2, 2, 2],
    "startback": ["agree", "agree", "disagree", "disagree", "agree", "agree", "disagree", "disagree", "very_much"],
    "odi": [2, 2, 2, 2, 2, 2, 2, 1, 1, 1],
    "nprs_back": 6,
    "nprs_head": 7,
    "hit6": ["very_often", "very_often", "very_often", "very_often", "sometimes", "sometimes"],
    "midas": {"items": [5, 8, 3, 7, 5], "a": 54, "b": 7},
    "id_migraine": [True, True, True],
}


def test_it_scores_the_v1_worked_example_exactly():
    assert reg.validate_instruments(V1_INSTRUMENTS) == []
    assert reg.score_instruments(V1_INSTRUMENTS) == V1_SCORES


def test_it_explains_the_v1_scores_as_in_contract_part_g():
    assert reg.explain_scores(reg.score_instruments(V1_INSTRUMENTS)) == V1_EXPLAIN


def test_it_finds_the_fibromyalgia_criteria_not_met_in_v1():
    scores = reg.score_instruments(V1_INSTRUMENTS)
    assert reg.fm_2016_criteria_met(V1_INSTRUMENTS, scores) is False
    assert reg.fm_2016_explain(V1_INSTRUMENTS, scores) == {
        "id": "FM-2016",
        "ref": "§1.2.14",
        "result": False,
        "inputs": {
            "scores.wpi.total": 1,
            "scores.sss.total": 1,
            "scores.wpi.generalised_regions": 1,
            "instruments.sss.symptoms_3mo_plus": False,
        },
    }


@pytest.mark.parametrize(
    ("key", "total", "band"),
    [
        ("csi", 45, "moderate"),
        ("hit6", 64, "severe"),
        ("midas", 28, "IV"),
        ("phq9", 8, "mild"),
        ("gad7", 6, "mild"),
        ("isi", 16, "moderate"),
        ("odi", 34, "moderate"),
        ("startback", 5, "medium"),
        ("id_migraine", 3, "positive"),
        ("nprs_back", 6, None),
        ("nprs_head", 7, None),
        ("wpi", 9, None),
        ("sss", 7, None),
    ],
)
def test_it_reproduces_the_v4_totals_and_bands(key, total, band):
    assert reg.validate_instruments(V4_INSTRUMENTS) == []
    entry = reg.score_instruments(V4_INSTRUMENTS)[key]
    assert entry["total"] == total
    assert entry["band"] == band


def test_it_reproduces_the_v4_extras_and_fibromyalgia_criteria():
    scores = reg.score_instruments(V4_INSTRUMENTS)
    assert scores["startback"]["psych"] == 3
    assert scores["csi"]["ge_40"] is True
    assert scores["csi"]["part_b"] == ["ibs", "migraine_or_tension_headache"]
    assert scores["midas"]["item_a"] == 54
    assert scores["midas"]["item_b"] == 7
    assert scores["wpi"]["generalised_regions"] == 5
    assert scores["fs"]["total"] == 16
    assert reg.fm_2016_criteria_met(V4_INSTRUMENTS, scores) is True


# --- band boundaries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "subclinical"),
        (29, "subclinical"),
        (30, "mild"),
        (39, "mild"),
        (40, "moderate"),
        (49, "moderate"),
        (50, "severe"),
        (59, "severe"),
        (60, "extreme"),
        (100, "extreme"),
    ],
)
def test_it_bands_csi_at_every_boundary(total, band):
    entry = csi.score(spread(total, 25, 4))
    assert (entry["total"], entry["band"], entry["ge_40"]) == (total, band, total >= 40)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_it_bands_phq9_at_every_boundary(total, band):
    assert reg.score_instruments({"phq9": spread(total, 9, 3)})["phq9"]["band"] == band


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe")]
    + [(21, "severe")],
)
def test_it_bands_gad7_at_every_boundary(total, band):
    assert reg.score_instruments({"gad7": spread(total, 7, 3)})["gad7"]["band"] == band


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "normal"), (2, "normal"), (3, "mild"), (5, "mild"), (6, "moderate"), (8, "moderate"), (9, "severe")]
    + [(12, "severe")],
)
def test_it_bands_the_phq4_total_at_every_boundary(total, band):
    assert reg.score_instruments({"phq4": spread(total, 4, 3)})["phq4"]["band"] == band


@pytest.mark.parametrize(
    ("items", "anxiety", "depression", "anxiety_positive", "depression_positive"),
    [
        ([1, 1, 1, 1], 2, 2, False, False),
        ([2, 1, 0, 2], 3, 2, True, False),
        ([0, 2, 3, 0], 2, 3, False, True),
        ([3, 3, 3, 3], 6, 6, True, True),
    ],
)
def test_it_flags_a_phq4_subscale_of_3_or_more_as_positive(
    items, anxiety, depression, anxiety_positive, depression_positive
):
    entry = reg.score_instruments({"phq4": items})["phq4"]
    assert (entry["anxiety"], entry["depression"]) == (anxiety, depression)
    assert (entry["anxiety_positive"], entry["depression_positive"]) == (anxiety_positive, depression_positive)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none"),
        (7, "none"),
        (8, "subthreshold"),
        (14, "subthreshold"),
        (15, "moderate"),
        (21, "moderate"),
        (22, "severe"),
        (28, "severe"),
    ],
)
def test_it_bands_isi_at_every_boundary(total, band):
    assert reg.score_instruments({"isi": spread(total, 7, 4)})["isi"]["band"] == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (36, "little_or_none"),
        (49, "little_or_none"),
        (50, "some"),
        (55, "some"),
        (56, "substantial"),
        (59, "substantial"),
        (60, "severe"),
        (78, "severe"),
    ],
)
def test_it_weights_and_bands_hit6_at_every_boundary(total, band):
    assert reg.score_instruments({"hit6": hit6_answers(total)})["hit6"] == {"total": total, "band": band}


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "I"), (5, "I"), (6, "II"), (10, "II"), (11, "III"), (20, "III"), (21, "IV"), (460, "IV")],
)
def test_it_grades_midas_at_every_boundary(total, band):
    entry = midas.score({"items": spread(total, 5, 92)})
    assert (entry["total"], entry["band"], entry["item_a"], entry["item_b"]) == (total, band, None, None)


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (0, "none"),
        (4, "none"),
        (5, "mild"),
        (14, "mild"),
        (15, "moderate"),
        (24, "moderate"),
        (25, "severe"),
        (34, "severe"),
        (35, "complete"),
        (50, "complete"),
    ],
)
def test_it_bands_ndi_at_every_boundary_with_percent_twice_raw(raw, band):
    entry = ndi.score(spread(raw, 10, 5))
    assert entry == {"total": raw, "band": band, "percent": raw * 2, "sections_answered": 10, "estimated": False}


@pytest.mark.parametrize(
    ("section_sum", "percent", "band"),
    [
        (0, 0.0, "minimal"),
        (10, 20.0, "minimal"),
        (11, 22.0, "moderate"),
        (20, 40.0, "moderate"),
        (21, 42.0, "severe"),
        (30, 60.0, "severe"),
        (31, 62.0, "crippled"),
        (40, 80.0, "crippled"),
        (41, 82.0, "bed_bound"),
        (50, 100.0, "bed_bound"),
    ],
)
def test_it_bands_odi_at_every_boundary(section_sum, percent, band):
    assert odi.score(spread(section_sum, 10, 5)) == {"total": percent, "band": band, "sections_answered": 10}


def startback_answers(agree_1_4: int, agree_5_8: int, item9: str) -> list[str]:
    first = ["agree"] * agree_1_4 + ["disagree"] * (4 - agree_1_4)
    second = ["agree"] * agree_5_8 + ["disagree"] * (4 - agree_5_8)
    return first + second + [item9]


@pytest.mark.parametrize(
    ("answers", "total", "psych", "group"),
    [
        (startback_answers(0, 0, "not_at_all"), 0, 0, "low"),
        (startback_answers(3, 0, "moderately"), 3, 0, "low"),
        (startback_answers(4, 0, "slightly"), 4, 0, "medium"),
        (startback_answers(1, 3, "not_at_all"), 4, 3, "medium"),
        (startback_answers(4, 4, "not_at_all"), 8, 4, "high"),
        # The high-risk test comes first: total 4 with subscale 4 is high, not medium.
        (startback_answers(0, 3, "very_much"), 4, 4, "high"),
        (startback_answers(0, 4, "extremely"), 5, 5, "high"),
        (startback_answers(4, 4, "extremely"), 9, 5, "high"),
        # Subscale 3 only through item 9 recoding: "moderately" scores 0, "very_much" scores 1.
        (startback_answers(0, 3, "moderately"), 3, 3, "low"),
    ],
)
def test_it_groups_startback_risk_with_the_high_risk_test_first(answers, total, psych, group):
    assert startback.score(answers) == {"total": total, "band": group, "psych": psych}


@pytest.mark.parametrize(("yes", "band"), [(0, "negative"), (1, "negative"), (2, "positive"), (3, "positive")])
def test_it_calls_id_migraine_positive_at_two_yes_answers(yes, band):
    answers = [i < yes for i in range(3)]
    assert reg.score_instruments({"id_migraine": answers})["id_migraine"] == {"total": yes, "band": band}


@pytest.mark.parametrize(
    ("t_score", "band"),
    [
        (54.9, None),
        (55, "mild"),
        (59.9, "mild"),
        (60, "moderate"),
        (69.9, "moderate"),
        (70, "severe"),
        (80.1, "severe"),
    ],
)
def test_it_bands_the_supplied_promis_t_score(t_score, band):
    entry = promis_sleep.score({"form": "4a", "items": [3, 3, 3, 4], "t_score": t_score})
    assert entry == {"total": t_score, "band": band, "raw": 13, "form": "4a"}


def test_it_reports_the_promis_raw_sum_without_a_t_score():
    entry = promis_sleep.score({"form": "6a", "items": [1, 2, 3, 4, 5, 1]})
    assert entry == {"total": None, "band": None, "raw": 16, "form": "6a"}


# --- missing-data rules -------------------------------------------------------------------------------------


def test_it_prorates_csi_with_one_missing_item_rounding_half_up():
    # 12 x 25 / 24 = 12.5 -> 13 (Python's round() would give 12).
    entry = csi.score([None] + [1] * 12 + [0] * 12)
    assert entry == {
        "total": 13,
        "band": "subclinical",
        "estimated": True,
        "n_missing": 1,
        "ge_40": False,
        "part_b": None,
    }


def test_it_bands_a_prorated_csi_on_the_rounded_whole_number():
    # 38 x 25 / 24 = 39.58 -> 40: moderate and >=40, although the unrounded value is below 40.
    entry = csi.score([None] + spread(38, 24, 4))
    assert (entry["total"], entry["band"], entry["ge_40"], entry["estimated"]) == (40, "moderate", True, True)


def test_it_prorates_csi_with_two_missing_items():
    # 37 x 25 / 23 = 40.2 -> 40.
    entry = csi.score([None, None] + spread(37, 23, 4))
    assert (entry["total"], entry["band"], entry["n_missing"], entry["estimated"]) == (40, "moderate", 2, True)


def test_it_does_not_score_csi_with_three_missing_items():
    entry = csi.score([None] * 3 + [4] * 22)
    assert entry["total"] is None
    assert entry["band"] is None
    assert entry["ge_40"] is None
    assert entry["n_missing"] == 3
    assert entry["estimated"] is False
    assert entry["not_scored"]


def test_it_gives_the_special_not_scored_csi_entry_for_part_b_only():
    scores = reg.score_instruments({"csi_b": ["ibs", "fibromyalgia"]})
    entry = scores["csi"]
    assert entry.pop("not_scored")
    assert entry == {
        "total": None,
        "band": None,
        "estimated": False,
        "n_missing": None,
        "ge_40": None,
        "part_b": ["fibromyalgia", "ibs"],
    }


def test_it_reports_an_empty_part_b_as_an_empty_list():
    assert reg.score_instruments({"csi_a": [0] * 25, "csi_b": []})["csi"]["part_b"] == []


def test_it_scores_odi_with_nine_sections_on_a_reduced_denominator():
    # Reference §1.2.3: 16 points with one section skipped = 16 / 45 x 100 = 35.6 %.
    entry = odi.score([2, 2, 2, 2, 2, 2, 2, 2, 0, None])
    assert entry == {"total": 35.6, "band": "moderate", "sections_answered": 9}


def test_it_bands_odi_on_the_unrounded_percentage_with_nine_sections():
    # 10 / 45 = 22.2 % -> moderate; 9 / 45 = 20.0 % -> minimal.
    assert odi.score(spread(10, 9, 5) + [None])["band"] == "moderate"
    assert odi.score(spread(9, 9, 5) + [None])["band"] == "minimal"


def test_it_does_not_score_odi_with_eight_sections():
    entry = odi.score([3] * 8 + [None, None])
    assert (entry["total"], entry["band"], entry["sections_answered"]) == (None, None, 8)
    assert entry["not_scored"]


def test_it_prorates_ndi_with_one_missing_section():
    # 13 x 10 / 9 = 14.4 -> 14 (mild); 14 x 10 / 9 = 15.6 -> 16 (moderate).
    assert ndi.score(spread(13, 9, 5) + [None]) == {
        "total": 14,
        "band": "mild",
        "percent": 28,
        "sections_answered": 9,
        "estimated": True,
    }
    assert ndi.score([None] + spread(14, 9, 5))["band"] == "moderate"


def test_it_does_not_score_ndi_with_two_missing_sections():
    entry = ndi.score([None, None] + [1] * 8)
    assert (entry["total"], entry["band"], entry["percent"], entry["sections_answered"]) == (None, None, None, 8)
    assert entry["not_scored"]


def test_it_rounds_means_half_up_to_one_decimal():
    # 25 / 4 = 6.25 -> 6.3 (round() would give 6.2).
    activities = [{"activity": f"task {i}", "score": s} for i, s in enumerate([6, 6, 6, 7])]
    assert psfs.score(activities) == {"total": 6.3, "band": None, "n_activities": 4}
    assert reg.score_instruments({"peg": [5, 5, 6]})["peg"] == {"total": 5.3, "band": None}


def test_it_returns_integer_totals_for_integer_valued_floats():
    scores = reg.score_instruments({"phq9": [2.0] * 9, "nprs_back": 4.0, "midas": {"items": [1.0] * 5, "a": 3.0}})
    for key, total in (("phq9", 18), ("nprs_back", 4), ("midas", 5)):
        assert scores[key]["total"] == total
        assert type(scores[key]["total"]) is int
    assert type(scores["midas"]["item_a"]) is int
    assert json.dumps(scores)


# --- WPI, SSS, FS and the 2016 criteria ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("areas", "regions", "generalised"),
    [
        ([], 0, False),
        (["left_jaw", "right_jaw", "chest", "abdomen"], 0, False),
        (["left_jaw", "left_upper_arm"], 1, False),
        (["chest", "upper_back"], 1, False),
        (["left_shoulder_girdle", "right_upper_arm", "left_hip"], 3, False),
        (["left_shoulder_girdle", "right_upper_arm", "left_hip", "right_lower_leg"], 4, True),
        (["left_jaw", "right_jaw", "left_hip", "right_hip", "abdomen"], 2, False),
        (ONE_PER_REGION, 5, True),
    ],
)
def test_it_counts_generalised_regions_without_jaw_chest_or_abdomen(areas, regions, generalised):
    assert wpi.score(areas) == {
        "total": len(areas),
        "band": None,
        "generalised_regions": regions,
        "generalised": generalised,
    }


def test_it_maps_all_19_wpi_areas_to_their_regions():
    assert len(wpi.AREA_REGIONS) == 19
    assert sorted(wpi.AREA_REGIONS.values()) == [1] * 4 + [2] * 4 + [3] * 3 + [4] * 3 + [5] * 5
    assert reg.AREA_REGIONS is wpi.AREA_REGIONS


def test_it_scores_sss_from_ratings_and_yes_symptoms_but_not_duration():
    assert sss.score(sss_value(3, 3, 3, True, True, True, True)) == {"total": 12, "band": None}
    assert sss.score(sss_value(1, 0, 2, False, True, False, False)) == {"total": 4, "band": None}


def test_it_adds_fs_only_when_both_wpi_and_sss_are_given():
    assert "fs" not in reg.score_instruments({"wpi": ["neck"]})
    assert "fs" not in reg.score_instruments({"sss": sss_value()})
    both = reg.score_instruments({"wpi": ONE_PER_REGION, "sss": sss_value(2, 1, 0, True)})
    assert both["fs"] == {"total": 5 + 4, "band": None}


@pytest.mark.parametrize(
    ("wpi_total", "regions", "sss_total", "three_months", "met"),
    [
        (7, 5, 5, True, True),
        (7, 5, 4, True, False),
        (6, 5, 9, True, True),
        (6, 5, 8, True, False),
        (4, 4, 9, True, True),
        (4, 4, 8, True, False),
        (19, 5, 12, True, True),
        (7, 3, 12, True, False),  # not generalised
        (7, 5, 12, False, False),  # symptoms under 3 months
    ],
)
def test_it_applies_the_2016_fibromyalgia_criteria(wpi_total, regions, sss_total, three_months, met):
    instruments = {"wpi": wpi_areas(wpi_total, regions), "sss": sss_with_total(sss_total, three_months)}
    scores = reg.score_instruments(instruments)
    assert (scores["wpi"]["total"], scores["wpi"]["generalised_regions"]) == (wpi_total, regions)
    assert scores["sss"]["total"] == sss_total
    assert reg.fm_2016_criteria_met(instruments, scores) is met


def test_it_leaves_the_fibromyalgia_criteria_null_without_wpi_or_sss():
    assert reg.fm_2016_criteria_met({"wpi": ONE_PER_REGION}, {}) is None
    assert reg.fm_2016_criteria_met({"sss": sss_value()}, {}) is None


def test_it_computes_the_fibromyalgia_criteria_without_precomputed_scores():
    instruments = {"wpi": wpi_areas(8), "sss": sss_with_total(6)}
    assert reg.fm_2016_criteria_met(instruments, {}) is True


# --- validation ---------------------------------------------------------------------------------------------


def test_it_accepts_an_empty_instruments_object_and_scores_nothing():
    assert reg.validate_instruments({}) == []
    assert reg.score_instruments({}) == {}


@pytest.mark.parametrize("value", [[], None, "phq9", 3])
def test_it_rejects_instruments_that_are_not_an_object(value):
    assert problems(value) == [("instruments", "wrong_type")]


def test_it_rejects_an_unknown_instrument_key():
    assert problems({"phq8": [0] * 8}) == [("instruments.phq8", "unknown_field")]


def test_it_rejects_a_phq9_with_eight_items_as_wrong_length():
    assert problems({"phq9": [0] * 8}) == [("instruments.phq9", "wrong_length")]


def test_it_rejects_a_null_phq9_item_as_required():
    errors = reg.validate_instruments({"phq9": [0, 0, 0, None, 0, 0, 0, 0, 0]})
    assert [(e.field, e.problem) for e in errors] == [("instruments.phq9[3]", "required")]
    assert errors[0].message == "item missing (all items are required)"


def test_it_rejects_an_out_of_range_item():
    assert problems({"phq9": [0, 0, 4, 0, 0, 0, 0, 0, 0]}) == [("instruments.phq9[2]", "out_of_range")]
    assert problems({"gad7": [0, -1, 0, 0, 0, 0, 0]}) == [("instruments.gad7[1]", "out_of_range")]


@pytest.mark.parametrize(
    ("instruments", "field"),
    [
        ({"phq9": [True] + [0] * 8}, "instruments.phq9[0]"),
        ({"nprs_back": False}, "instruments.nprs_back"),
        ({"csi_a": [0] * 24 + [True]}, "instruments.csi_a[24]"),
        ({"sss": {**sss_value(), "fatigue": True}}, "instruments.sss.fatigue"),
    ],
)
def test_it_rejects_a_boolean_where_an_integer_is_needed(instruments, field):
    assert problems(instruments) == [(field, "wrong_type")]


def test_it_accepts_integer_valued_floats_and_rejects_fractions():
    assert problems({"phq9": [2.0] * 9, "nprs_head": 7.0}) == []
    assert problems({"phq9": [2.5] + [0] * 8}) == [("instruments.phq9[0]", "wrong_type")]


@pytest.mark.parametrize(
    ("instruments", "field"),
    [
        ({"rmdq": [1] + [False] * 23}, "instruments.rmdq[0]"),
        ({"id_migraine": [True, "yes", False]}, "instruments.id_migraine[1]"),
        ({"sss": {**sss_value(), "depression": "no"}}, "instruments.sss.depression"),
    ],
)
def test_it_rejects_a_non_boolean_where_a_boolean_is_needed(instruments, field):
    assert problems(instruments) == [(field, "wrong_type")]


@pytest.mark.parametrize("key", ["phq9", "csi_a", "odi", "wpi", "psfs", "hit6", "startback"])
def test_it_rejects_a_string_where_a_list_is_needed(key):
    assert problems({key: "1,2,3"}) == [(f"instruments.{key}", "wrong_type")]


def test_it_rejects_a_null_instrument_value_as_wrong_type():
    assert problems({"nprs_back": None, "phq9": None}) == [
        ("instruments.phq9", "wrong_type"),
        ("instruments.nprs_back", "wrong_type"),
    ]


def test_it_accepts_null_items_where_the_instrument_allows_them():
    assert problems({"csi_a": [None] * 25, "odi": [None] * 10, "ndi": [0] * 9 + [None]}) == []


def test_it_reports_every_problem_not_only_the_first():
    assert problems({"phq9": [0, None, 9, True], "gad7": "x", "bogus": 1}) == [
        ("instruments.bogus", "unknown_field"),
        ("instruments.phq9", "wrong_length"),
        ("instruments.phq9[1]", "required"),
        ("instruments.phq9[2]", "out_of_range"),
        ("instruments.phq9[3]", "wrong_type"),
        ("instruments.gad7", "wrong_type"),
    ]


def test_it_rejects_a_duplicate_wpi_code():
    assert problems({"wpi": ["neck", "lower_back", "neck"]}) == [("instruments.wpi[2]", "duplicate")]


def test_it_rejects_an_unknown_wpi_code():
    assert problems({"wpi": ["knee"]}) == [("instruments.wpi[0]", "not_allowed_value")]


def test_it_rejects_duplicate_and_unknown_csi_part_b_codes():
    assert problems({"csi_b": ["ibs", "gout", "ibs", 3]}) == [
        ("instruments.csi_b[1]", "not_allowed_value"),
        ("instruments.csi_b[2]", "duplicate"),
        ("instruments.csi_b[3]", "wrong_type"),
    ]


def test_it_exports_the_ten_condition_codes_for_diagnosed_conditions():
    assert csi.CONDITION_CODES == (
        "restless_legs",
        "chronic_fatigue",
        "fibromyalgia",
        "tmd",
        "migraine_or_tension_headache",
        "ibs",
        "multiple_chemical_sensitivity",
        "neck_injury",
        "anxiety_panic",
        "depression",
    )


def test_it_rejects_an_unknown_key_in_the_midas_object():
    assert problems({"midas": {"items": [0] * 5, "c": 1}}) == [("instruments.midas.c", "unknown_field")]


def test_it_validates_midas_items_and_optional_fields():
    assert problems({"midas": {"items": [0, 0, None, 93, 0], "a": None, "b": 11}}) == [
        ("instruments.midas.items[2]", "required"),
        ("instruments.midas.items[3]", "out_of_range"),
        ("instruments.midas.a", "wrong_type"),
        ("instruments.midas.b", "out_of_range"),
    ]
    assert problems({"midas": {"a": 3}}) == [("instruments.midas.items", "required")]
    assert problems({"midas": {"items": [92] * 5, "a": 92, "b": 10}}) == []


def test_it_requires_every_sss_key_and_rejects_unknown_ones():
    value = sss_value()
    del value["depression"]
    value["sleep"] = 1
    assert problems({"sss": value}) == [
        ("instruments.sss.sleep", "unknown_field"),
        ("instruments.sss.depression", "required"),
    ]
    assert problems({"sss": {**sss_value(), "cognitive": None}}) == [("instruments.sss.cognitive", "required")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"form": "6a", "items": [1, 2, 3, 4]}, [("instruments.promis_sleep.items", "wrong_length")]),
        ({"form": "4a", "items": [1, 2, 3, 6]}, [("instruments.promis_sleep.items[3]", "out_of_range")]),
        ({"form": "5a", "items": [1] * 6}, [("instruments.promis_sleep.form", "not_allowed_value")]),
        (
            {"form": "5a", "items": [1] * 5},
            [
                ("instruments.promis_sleep.form", "not_allowed_value"),
                ("instruments.promis_sleep.items", "wrong_length"),
            ],
        ),
        ({"form": "8a", "items": [1] * 8, "t_score": "61"}, [("instruments.promis_sleep.t_score", "wrong_type")]),
        ({"form": "8a", "items": [1] * 8, "raw": 8}, [("instruments.promis_sleep.raw", "unknown_field")]),
        ({"items": [1] * 4}, [("instruments.promis_sleep.form", "required")]),
        ({"form": "8a", "items": [5] * 8, "t_score": 73.3}, []),
    ],
)
def test_it_validates_the_promis_form_items_and_t_score(value, expected):
    assert problems({"promis_sleep": value}) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([{"activity": "walking", "score": 3}] * 2, [("instruments.psfs", "wrong_length")]),
        ([{"activity": "walking", "score": 3}] * 6, [("instruments.psfs", "wrong_length")]),
        (
            [{"activity": "walking", "score": 3}, {"activity": " ", "score": 3}, {"activity": "lifting", "score": 11}],
            [("instruments.psfs[1].activity", "required"), ("instruments.psfs[2].score", "out_of_range")],
        ),
        (
            [{"activity": "walking", "score": 3, "note": "x"}, {"score": 3}, "lifting"],
            [
                ("instruments.psfs[0].note", "unknown_field"),
                ("instruments.psfs[1].activity", "required"),
                ("instruments.psfs[2]", "wrong_type"),
            ],
        ),
        ([{"activity": a, "score": 10} for a in ("walk", "sit", "lift", "run", "drive")], []),
    ],
)
def test_it_validates_psfs_activity_objects(value, expected):
    assert problems({"psfs": value}) == expected


def test_it_rejects_a_startback_answer_not_allowed_for_its_item():
    answers = startback_answers(0, 0, "agree")
    answers[0] = "strongly_agree"
    assert problems({"startback": answers}) == [
        ("instruments.startback[0]", "not_allowed_value"),
        ("instruments.startback[8]", "not_allowed_value"),
    ]


def test_it_rejects_an_unknown_hit6_answer_and_a_null_one():
    answers = hit6_answers(60)
    answers[1], answers[4] = "often", None
    assert problems({"hit6": answers}) == [
        ("instruments.hit6[1]", "not_allowed_value"),
        ("instruments.hit6[4]", "required"),
    ]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("nprs_back", 11, [("instruments.nprs_back", "out_of_range")]),
        ("nprs_head", "7", [("instruments.nprs_head", "wrong_type")]),
        ("peg", [0, 10, 11], [("instruments.peg[2]", "out_of_range")]),
        ("pseq", [6] * 9 + [7], [("instruments.pseq[9]", "out_of_range")]),
        ("isi", [4] * 6 + [5], [("instruments.isi[6]", "out_of_range")]),
        ("csi_a", [0] * 24 + [5], [("instruments.csi_a[24]", "out_of_range")]),
        ("csi_a", [0] * 26, [("instruments.csi_a", "wrong_length")]),
        ("odi", [0] * 9 + [6], [("instruments.odi[9]", "out_of_range")]),
        ("ndi", [0] * 11, [("instruments.ndi", "wrong_length")]),
        ("rmdq", [False] * 23 + [None], [("instruments.rmdq[23]", "required")]),
        ("id_migraine", [True, True], [("instruments.id_migraine", "wrong_length")]),
        ("phq4", [0, 0, 0, 0, 0], [("instruments.phq4", "wrong_length")]),
    ],
)
def test_it_rejects_shape_and_range_errors_per_instrument(key, value, expected):
    assert problems({key: value}) == expected


def test_it_validates_the_worked_examples_without_errors():
    assert reg.validate_instruments(V1_INSTRUMENTS) == []
    assert reg.validate_instruments(V4_INSTRUMENTS) == []


def test_it_names_fields_in_the_contract_path_syntax_in_error_dicts():
    errors = reg.validate_instruments({"psfs": [{"activity": "walk", "score": None}] * 3})
    assert errors[0].as_dict() == {
        "field": "instruments.psfs[0].score",
        "problem": "required",
        "message": "score missing",
    }


# --- registry -----------------------------------------------------------------------------------------------


def test_it_lists_the_input_keys_in_contract_b13_order():
    assert reg.INPUT_KEYS == (
        "csi_a",
        "csi_b",
        "rmdq",
        "odi",
        "ndi",
        "startback",
        "hit6",
        "midas",
        "phq9",
        "gad7",
        "phq4",
        "peg",
        "nprs_back",
        "nprs_head",
        "psfs",
        "id_migraine",
        "pseq",
        "isi",
        "promis_sleep",
        "wpi",
        "sss",
    )


def test_it_orders_score_keys_by_input_order_then_fs():
    instruments = {**V4_INSTRUMENTS, "csi_b": ["ibs"], "phq4": [0, 0, 0, 0]}
    keys = list(reg.score_instruments(dict(reversed(list(instruments.items())))))
    assert keys == [k for k in reg.SCORE_KEYS if k in keys]
    assert keys[0] == "csi"
    assert keys[-1] == "fs"


def test_it_describes_every_instrument_with_the_shared_constants():
    for key, module in reg.INSTRUMENTS.items():
        assert isinstance(module.NAME, str) and module.NAME, key
        assert module.REF.startswith("§1.2."), key
        assert isinstance(module.SHIPPABLE, bool), key
        assert module.N_ITEMS is None or isinstance(module.N_ITEMS, int), key
        assert isinstance(module.SCALE, dict), key
        assert module.MCID is None or isinstance(module.MCID, dict), key


def test_it_marks_only_the_section_1_3_default_set_as_shippable():
    shippable = {key for key, module in reg.INSTRUMENTS.items() if module.SHIPPABLE}
    assert shippable == {"phq9", "gad7", "phq4", "nprs_back", "nprs_head", "psfs", "wpi", "sss", "rmdq", "fs"}


@pytest.mark.parametrize(
    ("key", "abs_", "direction"),
    [
        ("nprs_back", 2, "lower_is_better"),
        ("rmdq", 5, "lower_is_better"),
        ("odi", 10, "lower_is_better"),
        ("ndi", 5, "lower_is_better"),
        ("psfs", 2.3, "higher_is_better"),
        ("hit6", 6, "lower_is_better"),
        ("phq9", 5, "lower_is_better"),
        ("gad7", 4, "lower_is_better"),
        ("isi", 6, "lower_is_better"),
        ("pseq", 6, "higher_is_better"),
    ],
)
def test_it_carries_the_section_6_3_mcids(key, abs_, direction):
    mcid = reg.INSTRUMENTS[key].MCID
    assert (mcid["abs"], mcid["direction"]) == (abs_, direction)
    assert not mcid.get("unverified")


def test_it_marks_unverified_mcids_and_omits_absent_ones():
    assert reg.INSTRUMENTS["midas"].MCID["unverified"] is True
    assert reg.INSTRUMENTS["peg"].MCID["unverified"] is True
    for key in ("csi", "startback", "promis_sleep", "phq4"):
        assert reg.INSTRUMENTS[key].MCID is None


def test_it_explains_a_not_scored_instrument_with_a_null_result():
    entries = reg.explain_scores(reg.score_instruments({"odi": [1] * 8 + [None, None]}))
    assert len(entries) == 1
    assert entries[0]["id"] == "SCORE-odi"
    assert entries[0]["ref"] == "§1.2.3"
    assert entries[0]["result"] is None


def test_it_produces_json_serialisable_scores_for_every_instrument():
    everything = {
        **V4_INSTRUMENTS,
        "rmdq": [True] * 24,
        "ndi": [2] * 10,
        "phq4": [3, 3, 3, 3],
        "peg": [7, 8, 9],
        "psfs": [{"activity": "walk", "score": 4}] * 3,
        "pseq": [3] * 10,
        "promis_sleep": {"form": "4a", "items": [2, 2, 2, 2], "t_score": 52.1},
    }
    assert reg.validate_instruments(everything) == []
    scores = reg.score_instruments(everything)
    assert set(scores) == set(reg.SCORE_KEYS)
    assert json.loads(json.dumps(scores)) == scores
    assert all("not_scored" not in entry for entry in scores.values())


def test_it_keeps_the_instruments_package_free_of_django():
    package = Path(reg.__file__).parent
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, source.name


# --- robustness ---------------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=30) | st.dictionaries(st.text(max_size=8), children, max_size=8),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*reg.INPUT_KEYS, "other"]), JSON_VALUES, max_size=4))
def test_it_never_crashes_on_arbitrary_json_and_scores_whatever_validates(instruments):
    errors = reg.validate_instruments(instruments)
    assert all(e.problem in PROBLEMS and e.field.startswith("instruments.") for e in errors)
    if not errors:
        assert json.dumps(reg.score_instruments(instruments))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=25, max_size=25))
def test_it_scores_csi_as_the_sum_or_a_prorated_sum_or_not_at_all(items):
    entry = csi.score(items)
    missing = items.count(None)
    answered = [i for i in items if i is not None]
    if missing == 0:
        assert entry["total"] == sum(answered)
    elif missing <= 2:
        assert abs(entry["total"] - sum(answered) * 25 / len(answered)) <= 0.5
    else:
        assert entry["total"] is None and "not_scored" in entry
