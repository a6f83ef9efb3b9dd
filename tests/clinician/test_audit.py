"""The audit trail: who, what, when, from where; append-only; visible to practice admins only."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse

from intake.clinician import services
from intake.clinician.models import AppendOnlyError, AuditEvent

from .factories import make_intake, make_patient


def test_it_records_who_what_when_and_from_which_address(clinician):
    intake = make_intake("NONE")
    request = RequestFactory().get("/clinic/intakes/1/", REMOTE_ADDR="203.0.113.9")
    request.user = clinician
    event = services.audit_record(request=request, action="view", obj=intake)
    event.refresh_from_db()
    assert (event.user, event.username, event.ip_address, event.action) == (clinician, clinician.username,
                                                                             "203.0.113.9", "view")
    assert (event.object_type, event.object_id, event.patient_pk) == ("intake.intake", str(intake.pk),
                                                                      intake.patient_id)
    assert event.at is not None and event.path == "/clinic/intakes/1/"


def _event(clinician) -> AuditEvent:
    request = RequestFactory().get("/")
    request.user = clinician
    return services.audit_record(request=request, action="view", object_type="worklist")


def test_it_refuses_to_change_an_event(clinician):
    event = _event(clinician)
    event.action = "change"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_it_refuses_to_delete_an_event(clinician):
    event = _event(clinician)
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_it_refuses_bulk_updates_and_deletes(clinician):
    _event(clinician)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="change")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_it_keeps_a_user_with_events_from_being_deleted(clinician):
    _event(clinician)
    with pytest.raises(ProtectedError):
        clinician.delete()


def test_it_shows_the_trail_read_only_to_a_practice_admin(practice_admin_client, clinician):
    event = _event(clinician)
    change = practice_admin_client.get(reverse("admin:clinician_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert practice_admin_client.get(reverse("admin:clinician_auditevent_add")).status_code == 403
    assert practice_admin_client.get(reverse("admin:clinician_auditevent_delete", args=[event.pk])).status_code == 403


def test_it_records_changes_made_in_the_admin(front_desk_client, front_desk):
    patient = make_patient(first_name="Old")
    data = {
        "first_name": "New", "last_name": patient.last_name, "date_of_birth": "1980-01-01", "email": patient.email,
        "time_zone": "UTC", "created_at_0": "2026-01-01", "created_at_1": "10:00:00",
        "assignment-TOTAL_FORMS": "0", "assignment-INITIAL_FORMS": "0", "assignment-MIN_NUM_FORMS": "0",
        "assignment-MAX_NUM_FORMS": "1", "_save": "Save",
    }
    response = front_desk_client.post(reverse("admin:intake_patient_change", args=[patient.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="change")
    assert (event.user, event.object_type, event.patient_pk) == (front_desk, "intake.patient", patient.pk)
    assert event.detail["change"] == [{"changed": {"fields": ["First name", "Date of birth", "Created at"]}}]


def test_it_shows_the_audit_trail_link_to_practice_admins_only(practice_admin_client, clinician_client):
    make_intake("NONE")
    link = reverse("admin:clinician_auditevent_changelist")
    assert link in practice_admin_client.get(reverse("clinician:worklist")).content.decode()
    assert link not in clinician_client.get(reverse("clinician:worklist")).content.decode()
