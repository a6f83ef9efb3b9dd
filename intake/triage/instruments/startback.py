"""STarT Back Screening Tool (SBST), 9 items (reference §1.2.5)."""

from __future__ import annotations

from typing import Any

from intake.triage.errors import FieldError
from intake.triage.instruments import _common as c

NAME = "STarT Back Screening Tool (SBST)"
REF = "§1.2.5"
SHIPPABLE = False  # §1.3: copyright Keele University; BYO wording by default (commercial reuse)
INPUT_KEYS = ("startback",)
N_ITEMS = 9
AGREE_VALUES = ("agree", "disagree")
ITEM9_VALUES = ("not_at_all", "slightly", "moderately", "very_much", "extremely")
SCALE = {"type": "enum", "items_1_8": AGREE_VALUES, "item_9": ITEM9_VALUES}
MCID = None  # §1.2.5 / §6.3: prognostic, not an outcome measure; never trend it

ITEM9_SCORING = ("very_much", "extremely")  # §1.2.5 step 1: only these two levels of item 9 score 1
PSYCH_FROM = 4  # §1.2.5 step 3: psychosocial subscale = items 5-9 (indices 4-8)


def validate(value: Any, path: str) -> list[FieldError]:
    """Exactly 9 answers: items 1-8 agree/disagree, item 9 one of five levels; all required (§1.2.5)."""
    what = "a list of 9 answers (items 1-8 agree/disagree, item 9 not_at_all .. extremely)"
    items, errors = c.expect_list(value, path, what, length=N_ITEMS)
    if items is not None:
        for i, answer in enumerate(items):
            allowed = ITEM9_VALUES if i == N_ITEMS - 1 else AGREE_VALUES
            errors += c.check_enum(answer, f"{path}[{i}]", allowed)
    return errors


def _item_scores(value: list) -> list[int]:
    return [int(a == "agree") for a in value[: N_ITEMS - 1]] + [int(value[N_ITEMS - 1] in ITEM9_SCORING)]


def risk_group(total: int, psych: int) -> str:
    # §1.2.5: evaluate the high-risk test first; medium needs total >=4 with subscale <=3; else low.
    if psych >= 4:
        return "high"
    if total >= 4:
        return "medium"
    return "low"


def score(value: list) -> dict:
    """Total 0-9, psychosocial subscale 0-5, band = risk group."""
    items = _item_scores(value)
    total = sum(items)
    psych = sum(items[PSYCH_FROM:])
    return {"total": total, "band": risk_group(total, psych), "psych": psych}
