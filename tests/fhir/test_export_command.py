"""`manage.py export_fhir --patient ID [--output FILE]`: one patient's record as a valid FHIR Bundle."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from intake.clinician.models import AuditEvent

from .conftest import assert_valid, example, submit


def _types(bundle: dict) -> list[str]:
    return [e["resource"]["resourceType"] for e in bundle["entry"]]


def test_it_writes_every_intake_score_and_flag_of_the_patient(db):
    first = submit(example("V7"))
    submit(example("V11", licensed=False), patient=first.patient)
    submit(example("V1", licensed=False))  # another patient: not in the export
    out = io.StringIO()

    call_command("export_fhir", "--patient", str(first.patient_id), stdout=out)

    bundle = assert_valid(json.loads(out.getvalue()))
    assert bundle["type"] == "collection"
    assert _types(bundle).count("Patient") == 1
    assert _types(bundle).count("QuestionnaireResponse") == 2
    assert {e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Flag"} >= {
        f"{first.pk}-HA-THUNDER"}
    subjects = {e["resource"]["subject"]["reference"] for e in bundle["entry"] if "subject" in e["resource"]}
    assert subjects == {f"Patient/{first.patient_id}"}
    assert all(e["fullUrl"].startswith("http") for e in bundle["entry"])


def test_it_writes_to_a_file_and_records_the_export(db, tmp_path):
    intake = submit(example("V7"))
    target = tmp_path / "patient.json"

    call_command("export_fhir", "--patient", str(intake.patient_id), "--output", str(target), stdout=io.StringIO())

    assert_valid(json.loads(target.read_text()))
    event = AuditEvent.objects.get(action="export")
    assert event.patient_pk == intake.patient_id and event.detail["via"] == "manage.py export_fhir"


def test_an_unknown_patient_is_an_error(db):
    with pytest.raises(CommandError, match="no patient"):
        call_command("export_fhir", "--patient", "424242", stdout=io.StringIO())
