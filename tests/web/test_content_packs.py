"""Licensed instruments appear only with a clinic-loaded content pack, validated against N_ITEMS and SCALE."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from intake.content.packs import validate_pack
from intake.models import ContentPack
from tests.web.conftest import ISI_PACK, STARTBACK_PACK, draft_of, example, step_data, walk


def test_a_valid_pack_passes():
    assert validate_pack("isi", ISI_PACK) == []
    assert validate_pack("startback", STARTBACK_PACK) == []


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
