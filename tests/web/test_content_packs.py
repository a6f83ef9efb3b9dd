"""Licensed instruments appear only with a clinic-loaded content pack, validated against N_ITEMS and SCALE."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from intake.content.packs import validate_pack
from intake.models import ContentPack
from tests.web.conftest import (
    CSI_PACK,
    ISI_PACK,
    MIDAS_PACK,
    PROMIS_PACK,
    STARTBACK_PACK,
    draft_of,
    example,
    post_step,
    step_data,
    walk,
)

MORE = "more-questionnaires"


def test_a_valid_pack_passes():
    assert validate_pack("isi", ISI_PACK) == []
    assert validate_pack("startback", STARTBACK_PACK) == []
    assert validate_pack("csi", CSI_PACK) == []
    assert validate_pack("midas", MIDAS_PACK) == []
    assert validate_pack("promis_sleep", PROMIS_PACK) == []


def test_packs_without_the_new_optional_keys_stay_valid():
    midas = {k: v for k, v in MIDAS_PACK.items() if k not in ("a", "b")}
    promis = {k: v for k, v in PROMIS_PACK.items() if k != "t_scores"}
    assert validate_pack("midas", midas) == []
    assert validate_pack("midas", {**midas, "a": MIDAS_PACK["a"]}) == []  # A without B
    assert validate_pack("promis_sleep", promis) == []


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda p: p["items"].pop(), "exactly 7 items"),
        (lambda p: p["options"].append({"value": 5, "label": "too high"}), "not allowed"),
        (lambda p: p["options"].__setitem__(0, {"value": True, "label": "bool"}), "not allowed"),
        (lambda p: p["items"][0].__setitem__("text", ""), "non-empty"),
        (lambda p: p.__setitem__("extra", 1), "unknown keys"),
        (lambda p: p.pop("options"), "needs answer options"),
    ],
)
def test_a_pack_that_does_not_fit_the_instrument_is_refused(change, problem):
    pack = copy.deepcopy(ISI_PACK)
    change(pack)
    assert any(problem in error for error in validate_pack("isi", pack))


def _midas(**changes) -> dict:
    return {**copy.deepcopy(MIDAS_PACK), **changes}


def _promis(change) -> dict:
    pack = copy.deepcopy(PROMIS_PACK)
    change(pack["t_scores"])
    return pack


@pytest.mark.parametrize(
    "instrument, pack, problem",
    [
        ("midas", _midas(a={"text": ""}), "item A: 'text' must be non-empty"),
        ("midas", _midas(b="How painful?"), "'b' (item B) must be an object"),
        ("midas", _midas(a={"text": "x", "extra": 1}), "'a' (item A) must be an object"),
        ("midas", _midas(b={"text": "x", "options": [{"value": 11, "label": "11"}, {"value": 0, "label": "0"}]}),
         "item B option 1: value 11 is not allowed"),
        ("midas", _midas(a={"text": "x", "options": [{"value": 93, "label": "93"}, {"value": 0, "label": "0"}]}),
         "item A option 1: value 93 is not allowed"),
        ("isi", {**ISI_PACK, "a": {"text": "x"}}, "'a' is only used by midas"),
        ("isi", {**ISI_PACK, "t_scores": {}}, "'t_scores' is only used by promis_sleep"),
        ("promis_sleep", _promis(lambda t: t.pop("20")), "missing: 20"),
        ("promis_sleep", _promis(lambda t: t.__setitem__("21", 90)), "cannot give: 21"),
        ("promis_sleep", _promis(lambda t: t.__setitem__("9", 20.0)), "9: the T-score falls"),
        ("promis_sleep", _promis(lambda t: t.__setitem__("9", "45")), "9: must be a number from 0 to 100"),
        ("promis_sleep", _promis(lambda t: t.__setitem__("9", True)), "9: must be a number from 0 to 100"),
        ("promis_sleep", _promis(lambda t: t.__setitem__("20", 101)), "20: must be a number from 0 to 100"),
        ("promis_sleep", {**PROMIS_PACK, "t_scores": [40, 50]}, "'t_scores' must be an object"),
        ("promis_sleep", {**PROMIS_PACK, "form": "8a"}, "missing: 21, 22"),  # the table is the 4a one
    ],
)
def test_new_pack_keys_that_do_not_fit_are_refused(instrument, pack, problem):
    errors = validate_pack(instrument, pack)
    assert any(problem in error for error in errors), errors


def test_a_shippable_instrument_takes_no_pack():
    assert validate_pack("phq9", {"title": "x", "items": []})


def test_the_model_refuses_an_invalid_pack(db):
    pack = ContentPack(instrument="isi", content={"title": "x", "items": []}, copyright_notice="©")
    with pytest.raises(ValidationError):
        pack.full_clean()


def test_without_a_pack_the_instrument_is_left_out(patient):
    visited = walk(patient, example("V1"))
    assert "more-questionnaires" not in visited
    html = patient.get(reverse("intake:step", args=["back-function"])).content.decode()
    assert "Test statement" not in html


def test_a_loaded_pack_is_asked_with_its_copyright_notice_and_scored(patient, load_pack):
    load_pack("isi", ISI_PACK)
    answers = example("V1")
    answers["instruments"]["isi"] = [1, 2, 3, 4, 0, 1, 2]
    visited = walk(patient, answers)
    assert visited[-1] == "more-questionnaires"
    html = patient.get(reverse("intake:step", args=["more-questionnaires"])).content.decode()
    assert "Sleep item 7" in html and "© Test owner of isi" in html and "sleep level 4" in html
    assert [draft_of(patient)[f"instruments-isi-{i}"] for i in range(7)] == [1, 2, 3, 4, 0, 1, 2]
    patient.post(reverse("intake:submit"), {"privacy": "yes"})
    from intake.models import Intake

    intake = Intake.objects.get()
    assert intake.answers["instruments"]["isi"] == [1, 2, 3, 4, 0, 1, 2]
    assert intake.summary["scores"]["isi"]["total"] == 13


def test_an_inactive_pack_is_not_asked(patient, load_pack):
    load_pack("isi", ISI_PACK, active=False)
    assert "more-questionnaires" not in walk(patient, example("V1"))


def test_every_item_of_a_loaded_pack_is_required(patient, load_pack):
    load_pack("isi", ISI_PACK)
    answers = example("V1")
    answers["instruments"]["isi"] = [1, 2, 3, 4, 0, 1, 2]
    walk(patient, answers)
    data = step_data(answers)
    del data["instruments-isi-3"]
    response = patient.post(reverse("intake:step", args=["more-questionnaires"]), {**data, "action": "next"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["instruments-isi-3"]


# ---------------------------------------------------------------- CSI part B (contract B.13 `csi_b`)
def _v1_with(**instruments) -> dict:
    answers = example("V1")
    answers["instruments"].pop("startback")  # no STarT Back pack in these tests
    answers["instruments"].update(instruments)
    return answers


def _submitted(client) -> dict:
    from intake.models import Intake

    client.post(reverse("intake:submit"), {"privacy": "yes"})
    return Intake.objects.get()


def test_csi_part_b_is_asked_after_part_a_in_own_words(patient, load_pack):
    load_pack("csi", CSI_PACK)
    walk(patient, _v1_with(csi_b=["ibs"]))
    html = patient.get(reverse("intake:step", args=[MORE])).content.decode()
    assert html.index("Test item 25") < html.index("© Test owner of csi") < html.index('name="instruments-csi_b"')
    assert "Has a doctor diagnosed you with any of these conditions?" in html
    assert "Irritable bowel syndrome" in html and "Neck injury (including whiplash)" in html
    assert 'value="none_of_these"' in html and "None of these" in html


@pytest.mark.parametrize("codes", [["migraine_or_tension_headache", "ibs"], []])
def test_csi_part_b_is_sent_with_part_a(patient, load_pack, codes):
    load_pack("csi", CSI_PACK)
    answers = _v1_with(csi_b=codes)
    walk(patient, answers)
    assert draft_of(patient)["instruments-csi_b"] == codes
    intake = _submitted(patient)
    assert intake.answers["instruments"]["csi_b"] == codes  # [] only from the explicit "None of these"
    assert intake.summary["scores"]["csi"]["part_b"] == sorted(codes)
    assert intake.answers["instruments"]["csi_a"] == answers["instruments"]["csi_a"]


def test_csi_part_b_left_blank_is_not_sent(patient, load_pack):
    load_pack("csi", CSI_PACK)
    answers = example("V1")  # part A only
    walk(patient, answers)
    intake = _submitted(patient)
    assert "csi_b" not in intake.answers["instruments"]
    assert intake.summary["scores"]["csi"]["part_b"] is None


def test_none_of_these_cannot_be_ticked_with_a_condition(patient, load_pack):
    load_pack("csi", CSI_PACK)
    answers = _v1_with(csi_b=["ibs"])
    walk(patient, answers)
    data = {**step_data(answers), "instruments-csi_b": ["ibs", "none_of_these"]}
    response = post_step(patient, MORE, data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["instruments-csi_b"]
    assert "Untick one of them" in response.content.decode()
    assert draft_of(patient)["instruments-csi_b"] == ["ibs"]  # the earlier answer is kept


def test_the_review_page_shows_none_of_these_for_an_empty_part_b(patient, load_pack):
    load_pack("csi", CSI_PACK)
    walk(patient, _v1_with(csi_b=[]))
    html = patient.get(reverse("intake:review")).content.decode()
    assert "Has a doctor diagnosed you with any of these conditions?" in html
    assert "None of these" in html


def test_without_a_csi_pack_part_b_is_not_asked(patient):
    walk(patient, example("V1"))
    assert 'name="instruments-csi_b"' not in patient.get(reverse("intake:review")).content.decode()
    from intake import wizard as wz

    assert "instruments-csi_b" not in wz.question_index({})


# ---------------------------------------------------------------- MIDAS items A and B
def _v4_midas(midas: dict) -> dict:
    answers = example("V4")
    for key in ("csi_a", "csi_b", "startback", "odi", "isi", "hit6", "id_migraine"):
        answers["instruments"].pop(key)  # no pack loaded for these
    answers["instruments"]["midas"] = midas
    return answers


@pytest.mark.parametrize("midas", [
    {"items": [5, 8, 3, 7, 5], "a": 54, "b": 7},
    {"items": [5, 8, 3, 7, 5], "a": 0},
    {"items": [5, 8, 3, 7, 5]},
])
def test_midas_items_a_and_b_are_sent_when_answered(patient, load_pack, midas):
    load_pack("midas", MIDAS_PACK)
    answers = _v4_midas(midas)
    walk(patient, answers)
    html = patient.get(reverse("intake:step", args=[MORE])).content.decode()
    assert html.index("Test days item 5") < html.index("Test item A: headache days") < html.index("pain 10")
    intake = _submitted(patient)
    assert intake.answers["instruments"]["midas"] == midas  # blank items A / B are left out, never null
    score = intake.summary["scores"]["midas"]
    assert (score["total"], score["item_a"], score["item_b"]) == (28, midas.get("a"), midas.get("b"))


def test_midas_item_a_is_checked_against_its_range(patient, load_pack):
    load_pack("midas", MIDAS_PACK)
    answers = _v4_midas({"items": [5, 8, 3, 7, 5]})
    walk(patient, answers)
    response = post_step(patient, MORE, {**step_data(answers), "instruments-midas-a": "93"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["instruments-midas-a"]


def test_a_midas_pack_without_items_a_and_b_does_not_ask_them(patient, load_pack):
    load_pack("midas", {k: v for k, v in MIDAS_PACK.items() if k not in ("a", "b")})
    answers = _v4_midas({"items": [5, 8, 3, 7, 5]})
    walk(patient, answers)
    assert "Test item A" not in patient.get(reverse("intake:step", args=[MORE])).content.decode()
    assert _submitted(patient).answers["instruments"]["midas"] == {"items": [5, 8, 3, 7, 5]}


# ---------------------------------------------------------------- PROMIS Sleep Disturbance T-score
@pytest.mark.parametrize("with_table", [True, False])
def test_promis_sleep_t_score_comes_from_the_packs_table_only(patient, load_pack, with_table):
    pack = PROMIS_PACK if with_table else {k: v for k, v in PROMIS_PACK.items() if k != "t_scores"}
    load_pack("promis_sleep", pack)
    answers = _v1_with(promis_sleep={"form": "4a", "items": [3, 4, 2, 5]})
    walk(patient, answers)
    intake = _submitted(patient)
    sent = intake.answers["instruments"]["promis_sleep"]
    score = intake.summary["scores"]["promis_sleep"]
    assert score["raw"] == 14
    if with_table:
        assert sent == {"form": "4a", "items": [3, 4, 2, 5], "t_score": PROMIS_PACK["t_scores"]["14"]}
        assert score["total"] == 51.4 and score["band"] is None  # 51.4: below the first band (55)
    else:
        assert sent == {"form": "4a", "items": [3, 4, 2, 5]}  # no table: t_score is left out
        assert score["total"] is None
