"""A patient's data export (every answer and summary of that patient, nothing of another) and erasure on request
(no row names the patient afterwards; the audit trail keeps the fact of the erasure, not the name) — issue #7.

Personas: Zebedee Quillfeather asks for their data and then for erasure; Olive Other is another patient of the
practice whose records must be untouched; the practice admin handles the request; a clinician may not.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake import privacy, services
from intake.checkins.models import CheckIn, CheckInPlan, CheckInResponse
from intake.clinician.models import AuditEvent, IntakeReview, PatientAssignment
from intake.clinician.roles import CLINICIAN
from intake.fhir.models import ApiToken, PatientIdentifier
from intake.models import Flag, Intake, IntakeDraft, Invitation, Patient
from tests.clinician.factories import make_intake, make_patient, make_user

NAMES = ("Zebedee", "Quillfeather", "zebedee.q@example.org")


def _everything_of(patient: Patient, clinician) -> dict:
    """The patient with a row in every table that can hold them."""
    first = make_intake("ED_NOW", patient=patient)
    second = make_intake("ROUTINE", patient=patient)
    invitation, _raw = services.invitation_create(email=patient.email, patient=patient)
    IntakeDraft.objects.create(invitation=invitation, answers={"age": 51, "_done": ["about"]}, step="back")
    IntakeReview.objects.create(intake=second, reviewed_by=clinician, note=f"Seen {patient.first_name}")
    PatientAssignment.objects.create(patient=patient, clinician=clinician)
    PatientIdentifier.objects.create(patient=patient, system="urn:ehr", value=f"MRN-{patient.pk}")
    checkin = CheckIn.objects.filter(patient=patient).order_by("pk").first()
    CheckInResponse.objects.create(checkin=checkin, patient=patient, answers={"pain_now": 3, "marker": patient.pk},
                                   triage_status="ok", summary={"changes": ["R1"]})
    return {"intakes": [first, second], "invitation": invitation, "checkin": checkin}


@pytest.fixture
def clinician(db):
    return make_user(CLINICIAN, first_name="Casey", last_name="Clinician")


@pytest.fixture
def zebedee(clinician):
    patient = make_patient(first_name="Zebedee", last_name="Quillfeather", email="zebedee.q@example.org")
    _everything_of(patient, clinician)
    return patient


@pytest.fixture
def olive(clinician):
    patient = make_patient(first_name="Olive", last_name="Otherperson", email="olive.o@example.org")
    _everything_of(patient, clinician)
    return patient


def _rows_naming(strings) -> list[str]:
    """Every row of every table whose values contain one of the strings (case-insensitive)."""
    found = []
    for model in apps.get_models():
        for row in model._base_manager.values():
            text = json.dumps(row, default=str).lower()
            for s in strings:
                if s.lower() in text:
                    found.append(f"{model._meta.label}: {s}")
    return found


# ---------------------------------------------------------------- export
def test_it_exports_every_answer_and_summary_of_the_patient(zebedee, olive):
    data = privacy.patient_export_data(zebedee)
    records = data["records"]
    assert records["intake.patient"] == [{"id": zebedee.pk, **{k: records["intake.patient"][0][k] for k in (
        "first_name", "last_name", "email", "date_of_birth", "time_zone", "created_at")}}]
    assert records["intake.patient"][0]["last_name"] == "Quillfeather"
    exported = {row["id"]: row for row in records["intake.intake"]}
    for intake in Intake.objects.filter(patient=zebedee):
        assert exported[intake.pk]["answers"] == json.loads(json.dumps(intake.answers))
        assert exported[intake.pk]["summary"] == json.loads(json.dumps(intake.summary))
    assert {r["id"] for r in records["intake.flag"]} == set(
        Flag.objects.filter(intake__patient=zebedee).values_list("pk", flat=True))
    assert records["checkins.checkinresponse"][0]["answers"] == {"pain_now": 3, "marker": zebedee.pk}
    assert len(records["intake.intakedraft"]) == 1 and records["intake.intakedraft"][0]["answers"]["age"] == 51
    for label in ("intake.invitation", "checkins.checkinplan", "checkins.checkin", "clinician.intakereview",
                  "clinician.patientassignment", "fhir.patientidentifier"):
        assert records[label], label


def test_it_exports_nothing_of_another_patient(zebedee, olive):
    text = privacy.patient_export_json(zebedee)
    assert "Olive" not in text and "Otherperson" not in text and "olive.o@example.org" not in text
    data = json.loads(text)
    other_intakes = set(Intake.objects.filter(patient=olive).values_list("pk", flat=True))
    assert not other_intakes & {row["id"] for row in data["records"]["intake.intake"]}
    for rows in data["records"].values():
        for row in rows:
            assert row.get("patient") in (None, zebedee.pk)


def test_it_keeps_link_secrets_out_of_the_export(zebedee):
    text = privacy.patient_export_json(zebedee)
    assert "token_hash" not in text and "link_nonce" not in text
    for invitation in Invitation.objects.filter(patient=zebedee):
        assert invitation.token_hash not in text


def test_it_exports_a_zip_with_the_json_and_a_summary_pdf_per_intake(zebedee, tmp_path):
    out = tmp_path / "export.zip"
    call_command("patient_export", str(zebedee.pk), "--out", str(out))
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        intakes = Intake.objects.filter(patient=zebedee).order_by("pk")
        assert names == {f"patient-{zebedee.pk}.json"} | {f"intake-{i.pk}-summary.pdf" for i in intakes}
        for i in intakes:
            assert archive.read(f"intake-{i.pk}-summary.pdf").startswith(b"%PDF")
        assert json.loads(archive.read(f"patient-{zebedee.pk}.json"))["patient_id"] == zebedee.pk


def test_it_records_the_export_in_the_audit_trail(zebedee, tmp_path):
    call_command("patient_export", str(zebedee.pk), "--out", str(tmp_path / "x.zip"))
    event = AuditEvent.objects.get(action="export", patient_pk=zebedee.pk)
    assert event.object_type == "intake.patient" and event.detail["via"] == "manage.py patient_export"


def test_it_offers_the_export_to_a_practice_admin_in_the_admin(zebedee, admin_client, practice_admin):
    response = admin_client.post(reverse("admin:intake_patient_changelist"),
                                 {"action": "export_patient_data", "_selected_action": [zebedee.pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert f"patient-{zebedee.pk}.json" in archive.namelist()
    assert AuditEvent.objects.filter(action="export", patient_pk=zebedee.pk, user=practice_admin).exists()


def test_it_does_not_offer_export_or_erasure_to_a_clinician(zebedee, clinician):
    client = Client()
    client.force_login(clinician)
    response = client.get(reverse("admin:intake_patient_changelist"))
    assert b"export_patient_data" not in response.content and b"erase_patient_data" not in response.content


# ---------------------------------------------------------------- erasure
def test_it_leaves_no_row_naming_the_patient_after_erasure(zebedee, olive, clinician, admin_client):
    intake = Intake.objects.filter(patient=zebedee).first()
    viewer = Client()
    viewer.force_login(clinician)
    assert viewer.get(reverse("clinician:intake_summary", args=[intake.pk])).status_code == 200
    assert viewer.get(reverse("clinician:worklist"), {"q": "Quillfeather"}).status_code == 200
    assert admin_client.get(reverse("admin:intake_intake_changelist"), {"q": "Quillfeather"}).status_code == 200
    LogEntry.objects.create(user=clinician, content_type=ContentType.objects.get_for_model(Patient),
                            object_id=str(zebedee.pk), object_repr=str(zebedee), action_flag=CHANGE)
    assert _rows_naming(NAMES)  # the trail and the records name the patient before

    call_command("patient_erase", str(zebedee.pk), "--confirm", stdout=io.StringIO())

    assert _rows_naming(NAMES) == []
    assert not Patient.objects.filter(pk=zebedee.pk).exists()
    for model in (Intake, Invitation, IntakeDraft, Flag, CheckInPlan, CheckIn, CheckInResponse, PatientIdentifier,
                  PatientAssignment):
        field = "intake__patient" if model is Flag else "invitation__patient" if model is IntakeDraft else "patient"
        assert not model.objects.filter(**{f"{field}_id": zebedee.pk}).exists(), model
    assert not IntakeReview.objects.filter(intake_id=intake.pk).exists()


def test_it_keeps_the_fact_of_the_erasure_in_the_audit_trail(zebedee):
    pk = zebedee.pk
    call_command("patient_erase", str(pk), "--confirm", stdout=io.StringIO())
    event = AuditEvent.objects.get(action="delete", object_type="intake.patient", object_id=str(pk))
    assert event.patient_pk == pk and event.detail["erasure"] is True
    assert event.detail["records"]["intake.intake"] == 2 and event.detail["records"]["intake.patient"] == 1
    assert "Quillfeather" not in event.object_repr


def test_it_leaves_another_patient_untouched(zebedee, olive):
    before = privacy.patient_export_data(olive)["records"]
    privacy.patient_erase(patient=zebedee, via="test")
    after = privacy.patient_export_data(Patient.objects.get(pk=olive.pk))["records"]
    assert after == before


def test_it_keeps_api_tokens_and_staff(zebedee, clinician):
    token = ApiToken(name="EHR bridge", scopes=["fhir.read"])
    token.set_token(ApiToken.new_token())
    token.save()
    privacy.patient_erase(patient=zebedee, via="test")
    assert ApiToken.objects.filter(pk=token.pk).exists()
    clinician.refresh_from_db()


def test_it_refuses_to_erase_without_confirm(zebedee):
    with pytest.raises(CommandError, match="--confirm"):
        call_command("patient_erase", str(zebedee.pk), stdout=io.StringIO())
    assert Patient.objects.filter(pk=zebedee.pk).exists()


def test_it_erases_from_the_admin_after_a_confirmation_page(zebedee, admin_client, practice_admin):
    url = reverse("admin:intake_patient_changelist")
    confirm = admin_client.post(url, {"action": "erase_patient_data", "_selected_action": [zebedee.pk]})
    assert confirm.status_code == 200 and b"Yes, erase for good" in confirm.content
    assert Patient.objects.filter(pk=zebedee.pk).exists()
    response = admin_client.post(url, {"action": "erase_patient_data", "_selected_action": [zebedee.pk],
                                       "erase_confirmed": "yes"})
    assert response.status_code == 302
    assert not Patient.objects.filter(pk=zebedee.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="intake.patient", object_id=str(zebedee.pk))
    assert event.user == practice_admin


# ---------------------------------------------------------------- retention
def test_it_purges_drafts_past_their_retention(zebedee, settings):
    settings.DRAFT_RETENTION_DAYS = 30
    old = IntakeDraft.objects.get(invitation__patient=zebedee)
    IntakeDraft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=31))
    _inv, _raw = services.invitation_create(email="fresh@example.org")
    fresh = IntakeDraft.objects.create(invitation=_inv, answers={"age": 30})
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert not IntakeDraft.objects.filter(pk=old.pk).exists()
    assert IntakeDraft.objects.filter(pk=fresh.pk).exists()
    assert "deleted 1 draft(s)" in out.getvalue()


def test_it_keeps_intakes_unless_a_retention_is_set(zebedee, settings):
    Intake.objects.update(submitted_at=timezone.now() - timedelta(days=4000))
    settings.INTAKE_RETENTION_DAYS = 0
    call_command("purge_expired", stdout=io.StringIO())
    assert Intake.objects.filter(patient=zebedee).count() == 2
    settings.INTAKE_RETENTION_DAYS = 3650
    call_command("purge_expired", stdout=io.StringIO())
    assert not Intake.objects.filter(patient=zebedee).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="intake.intake", patient_pk=zebedee.pk).count() == 2
