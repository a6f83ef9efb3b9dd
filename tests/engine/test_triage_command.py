"""`manage.py triage FILE` (contract part A): summary and exit 0, or one error object naming every bad field and
exit 2; never a traceback for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from .builders import DROP, intake

ROOT = Path(__file__).resolve().parents[2]


def run_triage(tmp_path, payload) -> tuple[int, dict]:
    """Run the command in-process; returns (exit code, parsed stdout)."""
    path = tmp_path / "intake.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    out = StringIO()
    code = 0
    real_stdout = sys.stdout
    sys.stdout = out
    try:
        call_command("triage", str(path))
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout = real_stdout
    text = out.getvalue()
    assert text.count("\n") == 1, "stdout must carry exactly one JSON object"
    return code, json.loads(text)


def errors_of(doc: dict) -> set[tuple[str, str]]:
    assert doc["error"] == "invalid_input"
    for e in doc["errors"]:
        assert e["message"], "every error needs a plain-English message"
    return {(e["field"], e["problem"]) for e in doc["errors"]}


def test_it_prints_the_summary_and_exits_0_for_a_valid_intake(tmp_path):
    code, doc = run_triage(tmp_path, intake())
    assert code == 0
    assert doc["contract_version"] == "1"
    assert doc["rules_version"]


BAD_INPUTS = [
    ("age is a string", intake(age="40"), ("age", "wrong_type")),
    ("age is a boolean", intake(age=True), ("age", "wrong_type")),
    ("age 121", intake(age=121), ("age", "out_of_range")),
    ("age 40.5", intake(age=40.5), ("age", "wrong_type")),
    ("unknown top-level field", intake(saddle_numbness="yes"), ("saddle_numbness", "unknown_field")),
    ("missing red-flag answer", intake(ces_saddle_numbness=DROP), ("ces_saddle_numbness", "required")),
    ("blank red-flag answer", intake(fever=None), ("fever", "required")),
    ("red-flag answer maybe", intake(fever="maybe"), ("fever", "not_allowed_value")),
    ("32 days in a month", intake(headache_days_per_month=32), ("headache_days_per_month", "out_of_range")),
    ("negative weeks", intake(back_pain_duration_weeks=-1), ("back_pain_duration_weeks", "out_of_range")),
    (
        "migraine-type days above headache days",
        intake(headache_days_per_month=3),
        ("ha_types[0].days_per_month", "inconsistent"),
    ),
    ("PHQ-9 with 8 items", intake(instruments={"phq9": [0] * 8}), ("instruments.phq9", "wrong_length")),
    ("PHQ-9 item 9 blank", intake(instruments={"phq9": [0] * 8 + [None]}), ("instruments.phq9[8]", "required")),
    ("unknown instrument", intake(instruments={"phq10": [0]}), ("instruments.phq10", "unknown_field")),
    ("three headache types", intake(ha_types=[intake()["ha_types"][0]] * 3), ("ha_types", "wrong_length")),
    (
        "headache type side left",
        intake(ha_types=[{**intake()["ha_types"][0], "side": "left"}]),
        ("ha_types[0].side", "not_allowed_value"),
    ),
    ("med days not an object", intake(med_days=[0]), ("med_days", "wrong_type")),
    (
        "med class above any_acute",
        intake(med_days={**intake()["med_days"], "triptan": 3}),
        ("med_days.triptan", "inconsistent"),
    ),
    ("onset age above age", intake(back_pain_onset_age=41), ("back_pain_onset_age", "inconsistent")),
    ("below-knee pain without leg pain", intake(leg_pain_below_knee="left"), ("leg_pain_below_knee", "inconsistent")),
    ("duplicate WPI area", intake(instruments={"wpi": ["neck", "neck"]}), ("instruments.wpi[1]", "duplicate")),
    ("wrong contract version", intake(contract_version="2"), ("contract_version", "not_allowed_value")),
    (
        "headache starts after today",
        intake(
            dural_puncture_procedure="yes",
            procedure_days_ago=2,
            procedure_to_headache_onset_days=3,
            pdph_no_longer_positional="no",
        ),
        ("procedure_to_headache_onset_days", "inconsistent"),
    ),
    (
        "typical aura not among the aura types",
        intake(aura=True, typical_aura=["speech"]),
        ("typical_aura[0]", "inconsistent"),
    ),
    ("major trauma without its days", intake(major_trauma="yes"), ("major_trauma_days", "required")),
]


@pytest.mark.parametrize("payload, expected", [(p, e) for _, p, e in BAD_INPUTS], ids=[n for n, _, _ in BAD_INPUTS])
def test_it_exits_2_naming_the_bad_field(tmp_path, payload, expected):
    code, doc = run_triage(tmp_path, payload)
    assert code == 2
    assert expected in errors_of(doc)
    assert "overall_tier" not in doc and "red_flags" not in doc, "no summary, not even part of one"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "not_json"),
        ("   \n", "not_json"),
        ("{not json", "not_json"),
        ("[1, 2]", "wrong_type"),
        ('{"age": NaN}', "not_json"),
        ('"text"', "wrong_type"),
        ('{"age": 40, "age": 41}', "duplicate"),
    ],
    ids=["empty file", "blank file", "broken JSON", "a list", "NaN", "a string", "repeated key"],
)
def test_it_exits_2_for_a_document_that_is_not_an_intake_object(tmp_path, text, problem):
    code, doc = run_triage(tmp_path, text)
    assert code == 2
    assert problem in {p for _, p in errors_of(doc)}


def test_it_names_every_bad_field_not_only_the_first(tmp_path):
    code, doc = run_triage(tmp_path, intake(age=-3, fever="maybe", ces_saddle_numbness=DROP))
    assert code == 2
    assert {("age", "out_of_range"), ("fever", "not_allowed_value"), ("ces_saddle_numbness", "required")} <= errors_of(
        doc
    )


def _subprocess(args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", "triage", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_reads_stdin_and_exits_0_as_a_real_process():
    proc = _subprocess(["-"], stdin=json.dumps(intake()))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["overall_tier"] == "NONE"


def test_it_exits_2_without_a_traceback_for_an_unreadable_file(tmp_path):
    proc = _subprocess([str(tmp_path / "does-not-exist.json")])
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["errors"] == [
        {"field": "", "problem": "unreadable", "message": json.loads(proc.stdout)["errors"][0]["message"]}
    ]
    assert "Traceback" not in proc.stderr


def test_it_exits_2_without_a_traceback_for_an_empty_file_as_a_real_process(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("")
    proc = _subprocess([str(empty)])
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["errors"][0]["problem"] == "not_json"
    assert "Traceback" not in proc.stderr
