"""Fixtures of the patient-side tests: invitations, a patient's browser session, and a helper that answers the
wizard step by step the way a browser would."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.urls import reverse

from intake import services
from intake import wizard as wz
from intake.forms.patient import bound_data

EXAMPLES = Path(__file__).resolve().parent.parent / "engine" / "examples"


def example(name: str, *, complete: bool = True) -> dict:
    """The input of an engine example (tests may read tests/; the app never does).

    With `complete`, the questionnaires the wizard asks by default are filled in where the example has none (PHQ-9,
    GAD-7, NPRS and SSS are required in full; RMDQ and WPI are tick lists, so a walk through them always sends
    them), so the example can be walked through the default wizard and compared with what the engine received.
    """
    for path in EXAMPLES.glob(f"{name}-*.json"):
        answers = copy.deepcopy(json.loads(path.read_text())["input"])
        if complete:
            inst = answers["instruments"]
            inst.setdefault("phq9", [0] * 9)
            inst.setdefault("gad7", [0] * 7)
            inst.setdefault("sss", {"fatigue": 1, "waking_unrefreshed": 1, "cognitive": 0, "headaches": False,
                                    "lower_abdominal_pain": False, "depression": False, "symptoms_3mo_plus": False})
            inst.setdefault("wpi", [])  # a tick list: nothing ticked is "no painful area" (§1.2.14)
            if answers["has_back_pain"] == "yes":
                inst.setdefault("nprs_back", 5)
                inst.setdefault("rmdq", [False] * 24)
            if answers["has_headache"] == "yes":
                inst.setdefault("nprs_head", 5)
        return answers
    raise LookupError(name)


@pytest.fixture
def invite(db):
    """Make an invitation; returns (invitation, raw token)."""

    def make(**kwargs):
        kwargs.setdefault("email", "pat@example.org")
        kwargs.setdefault("first_name", "Pat")
        return services.invitation_create(**kwargs)

    return make


@pytest.fixture
def patient(client, invite):
    """A browser that has opened a fresh invitation link (the session now holds the invitation)."""
    invitation, raw = invite()
    response = client.get(reverse("intake:start", args=[raw]))
    assert response.status_code == 200
    client.invitation, client.token = invitation, raw
    return client


def step_data(answers: dict, packs: dict | None = None) -> dict:
    """What a browser posts for these contract answers: every input of every step (a form ignores the others)."""
    names = wz.question_index(wz.active_packs() if packs is None else packs)
    flat = wz.to_flat(answers, names)
    data = bound_data(list(names.values()), flat, {})
    return {key: data.getlist(key) if len(data.getlist(key)) > 1 or names.get(key, None) is not None
            and names[key].kind == "codes" else data[key] for key in data}


def slug_of(url: str) -> str:
    parts = url.rstrip("/").split("/")
    return "review" if parts[-1] == "review" else parts[-1]


def walk(client, answers: dict, packs: dict | None = None, start: str = "about") -> list[str]:
    """Answer every step with `answers`, pressing Next, until the review page; returns the steps visited."""
    data = step_data(answers, packs)
    visited = []
    url = reverse("intake:step", args=[start])
    for _ in range(30):
        slug = slug_of(url)
        if slug == "review":
            return visited
        visited.append(slug)
        response = client.post(url, {**data, "action": "next"})
        assert response.status_code == 302, (slug, _errors(response))
        url = response["Location"]
    raise AssertionError("the wizard did not reach the review page")


def _errors(response) -> list:
    context = getattr(response, "context", None)
    if context and "errors" in context:
        return [(str(e["label"]), str(e["message"])) for e in context["errors"]]
    return []


def draft_of(client) -> dict:
    client.invitation.refresh_from_db()
    return client.invitation.draft.answers


def post_step(client, slug: str, data: dict, action: str = "next"):
    return client.post(reverse("intake:step", args=[slug]), {**data, "action": action})


ABOUT_BACK_ONLY = {"age": "38", "sex": "M", "has_back_pain": "yes", "has_headache": "no", "neck_pain": "no",
                   "leg_pain": "no"}

V1_QUESTIONNAIRES = ["nprs_back", "psfs", "rmdq", "phq4", "wpi", "sss"]

# Minimal licensed-wording packs in the shape of intake/content/packs.py, made up for tests (not real wording).
STARTBACK_PACK = {
    "title": "Test back questionnaire",
    "options": [{"value": "agree", "label": "Agree"}, {"value": "disagree", "label": "Disagree"}],
    "items": [{"text": f"Test statement {i}"} for i in range(1, 9)] + [{
        "text": "Test item 9",
        "options": [{"value": v, "label": v} for v in ("not_at_all", "slightly", "moderately", "very_much",
                                                        "extremely")],
    }],
}
CSI_PACK = {
    "title": "Test sensitivity inventory",
    "options": [{"value": n, "label": f"level {n}"} for n in range(5)],
    "items": [{"text": f"Test item {i}"} for i in range(1, 26)],
}
ISI_PACK = {
    "title": "Test sleep index",
    "instructions": "Test instructions.",
    "options": [{"value": n, "label": f"sleep level {n}"} for n in range(5)],
    "items": [{"text": f"Sleep item {i}"} for i in range(1, 8)],
}
# MIDAS with wording for the optional items A (a number box) and B (here with labelled options).
MIDAS_PACK = {
    "title": "Test migraine disability",
    "items": [{"text": f"Test days item {i}"} for i in range(1, 6)],
    "a": {"text": "Test item A: headache days"},
    "b": {"text": "Test item B: how painful", "options": [{"value": n, "label": f"pain {n}"} for n in range(11)]},
}
# PROMIS Sleep Disturbance 4a with a raw-sum -> T-score table. The numbers are made up (2.1 a point), NOT the
# licensed HealthMeasures conversion.
PROMIS_PACK = {
    "title": "Test sleep disturbance",
    "form": "4a",
    "options": [{"value": n, "label": f"sleep answer {n}"} for n in range(1, 6)],
    "items": [{"text": f"Test sleep item {i}"} for i in range(1, 5)],
    "t_scores": {str(raw): round(30.4 + 2.1 * (raw - 4), 1) for raw in range(4, 21)},
}


@pytest.fixture
def load_pack(db):
    from intake.models import ContentPack

    def load(instrument: str, content: dict, active: bool = True):
        pack = ContentPack(instrument=instrument, content=content, copyright_notice=f"© Test owner of {instrument}",
                           active=active)
        pack.full_clean()
        pack.save()
        return pack

    return load
