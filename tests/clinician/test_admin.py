"""The staff admin: clinical fields by permission, invitations by email, content packs, outcomes export, users."""

from __future__ import annotations

import csv
import io
import json

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake.clinician.models import AuditEvent
from intake.clinician.selectors.outcomes import subject_id
from intake.models import ContentPack, Invitation

from .factories import make_intake, make_patient, make_user
from .test_access import ISI_PACK


def test_it_shows_a_clinician_the_answers_and_summary_read_only(clinician_client):
    intake = make_intake("ED_NOW")
    response = clinician_client.get(reverse("admin:intake_intake_change", args=[intake.pk]))
    body = response.content.decode()
    assert "onset_to_peak" in body and "HA-THUNDER" in body
    assert 'name="_save"' not in body


def test_it_records_an_admin_view_of_an_intake(clinician_client, clinician):
    intake = make_intake("NONE")
    clinician_client.get(reverse("admin:intake_intake_change", args=[intake.pk]))
    event = AuditEvent.objects.get(object_type="intake.intake")
    assert (event.user, event.action, event.detail) == (clinician, "view", {"page": "admin"})


def test_it_hides_flags_from_the_front_desk_admin_index(front_desk_client):
    body = front_desk_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:intake_patient_changelist") in body
    assert reverse("admin:intake_flag_changelist") not in body
    assert reverse("admin:clinician_auditevent_changelist") not in body


def test_it_emails_a_new_intake_link_from_the_patient_list(front_desk_client, front_desk, settings):
    settings.SITE_URL = "https://clinic.example"
    patient = make_patient(email="ana@example.org")
    response = front_desk_client.post(
        reverse("admin:intake_patient_changelist"),
        {"action": "send_invitation_email", "_selected_action": [patient.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    assert "https://clinic.example/i/" in message.body
    invitation = Invitation.objects.get(patient=patient)
    assert invitation.created_by == front_desk
    assert AuditEvent.objects.filter(action="send", object_id=str(invitation.pk)).exists()


def test_it_skips_a_patient_without_an_email(front_desk_client):
    patient = make_patient(email="")
    response = front_desk_client.post(
        reverse("admin:intake_patient_changelist"),
        {"action": "send_invitation_email", "_selected_action": [patient.pk]},
        follow=True,
    )
    assert "has no email address" in response.content.decode()
    assert not mail.outbox


def test_it_offers_a_clinician_no_action_that_makes_links(clinician_client):
    make_patient()
    response = clinician_client.get(reverse("admin:intake_patient_changelist"))
    assert "create_invitation" not in response.content.decode()
    assert "send_invitation_email" not in response.content.decode()


def _upload(client, content, instrument="isi", active=True):
    data = {
        "instrument": instrument,
        "upload": SimpleUploadedFile("pack.json", json.dumps(content).encode(), content_type="application/json"),
        "content": "",
        "copyright_notice": "© Test owner",
        "_save": "Save",
    }
    if active:
        data["active"] = "on"
    return client.post(reverse("admin:intake_contentpack_add"), data)


def test_it_installs_an_uploaded_content_pack(practice_admin_client):
    response = _upload(practice_admin_client, ISI_PACK)
    assert response.status_code == 302, response.content.decode()[:2000]
    pack = ContentPack.objects.get()
    assert (pack.instrument, pack.active, pack.content["title"]) == ("isi", True, "Test sleep index")
    assert AuditEvent.objects.filter(action="create", object_type="intake.contentpack").exists()


def test_it_rejects_a_pack_with_the_wrong_item_count(practice_admin_client):
    short = {**ISI_PACK, "items": ISI_PACK["items"][:5]}
    response = _upload(practice_admin_client, short)
    assert response.status_code == 200
    assert "&#x27;items&#x27; must have exactly 7 items for isi, got 5" in response.content.decode()
    assert not ContentPack.objects.exists()


def test_it_rejects_a_file_that_is_not_json(practice_admin_client):
    data = {"instrument": "isi", "upload": SimpleUploadedFile("pack.json", b"{nope"), "content": "",
            "copyright_notice": "© Test owner", "active": "on"}
    response = practice_admin_client.post(reverse("admin:intake_contentpack_add"), data)
    assert "not valid JSON" in response.content.decode()


def test_it_replaces_the_active_pack_of_the_same_instrument(practice_admin_client):
    _upload(practice_admin_client, ISI_PACK)
    _upload(practice_admin_client, {**ISI_PACK, "title": "Second wording"})
    active = ContentPack.objects.get(active=True)
    assert active.content["title"] == "Second wording"
    assert ContentPack.objects.count() == 2


def _export(client, intakes):
    response = client.post(
        reverse("admin:intake_intake_changelist"),
        {"action": "export_outcomes", "_selected_action": [i.pk for i in intakes]},
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_it_exports_de_identified_outcomes(practice_admin_client):
    patient = make_patient(first_name="Zelda", last_name="Quartermaine", email="zq@example.org",
                           date_of_birth="1961-07-08")
    intake = make_intake("NONE", patient=patient)
    rows = _export(practice_admin_client, [intake])
    header, data = rows[0], rows[1:]
    assert header[:8] == ["subject", "timepoint", "source", "days_since_baseline", "out_of_window", "overall_tier",
                          "age", "sex"]
    assert len(data) == 1
    record = dict(zip(header, data[0], strict=True))
    assert record["subject"] == subject_id(patient.pk) and len(record["subject"]) == 16
    assert (record["timepoint"], record["overall_tier"], record["nprs_back"], record["age"]) == (
        "Baseline intake", "NONE", "6", "38")
    text = ",".join(",".join(r) for r in rows)
    for identifier in ("Zelda", "Quartermaine", "zq@example.org", "1961"):
        assert identifier not in text


def test_it_exports_all_outcomes_to_a_practice_admin(practice_admin_client):
    make_intake("NONE")
    make_intake("ED_NOW")
    response = practice_admin_client.get(reverse("clinician:outcomes_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    assert AuditEvent.objects.filter(action="export", object_type="outcomes").exists()


def test_it_writes_ages_of_90_and_over_as_90_plus(practice_admin_client):
    from intake import demo

    intake = make_intake(answers={**demo.ACUTE_LBP_LIFTING, "age": 93})
    record = _export(practice_admin_client, [intake])[1]
    assert "90+" in record


def test_it_hides_superuser_and_single_permissions_from_a_practice_admin(practice_admin_client):
    other = make_user()
    body = practice_admin_client.get(reverse("admin:auth_user_change", args=[other.pk])).content.decode()
    assert 'name="groups"' in body
    assert 'name="is_superuser"' not in body
    assert 'name="user_permissions"' not in body


def test_it_searches_patients_by_name_or_date_of_birth(front_desk_client):
    make_patient(first_name="Ines", last_name="Moreau", date_of_birth="1975-02-03")
    by_name = front_desk_client.get(reverse("admin:intake_patient_changelist"), {"q": "Moreau"})
    by_dob = front_desk_client.get(reverse("admin:intake_patient_changelist"), {"q": "1975-02-03"})
    assert by_name.status_code == by_dob.status_code == 200
    assert "Moreau" in by_name.content.decode() and "Moreau" in by_dob.content.decode()


def test_it_searches_intakes_by_flag_id_for_clinicians(clinician_client):
    thunder = make_intake("ED_NOW")
    response = clinician_client.get(reverse("admin:intake_intake_changelist"), {"q": "HA-THUNDER"})
    assert response.status_code == 200
    assert [i.pk for i in response.context["cl"].result_list] == [thunder.pk]
