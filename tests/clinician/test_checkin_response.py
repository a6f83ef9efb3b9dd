"""clinician:checkin_response: a check-in response for the clinician (answers, new red flags with acknowledge, the
follow-up engine's change statuses and notes, the free text), audited like the intake summary, and linked from the
worklist. The access matrix rows (anonymous, link holder, front desk, clinician, practice admin) are in
test_access.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.checkins.models import CheckInResponse
from intake.clinician.models import AuditEvent

from .factories import answer_checkin, backdate, make_intake


@pytest.fixture
def emergency(db):
    """A 2-week check-in whose re-screen fires LBP-CES-1 (new since baseline), with a message."""
    baseline = backdate(make_intake("NONE"), 20)
    return answer_checkin(baseline, "week2", nprs_back=3, ces_saddle_numbness="yes",
                          free_text="Numb between the legs since Tuesday, worried")


def url(response) -> str:
    return reverse("clinician:checkin_response", args=[response.pk])


def test_it_shows_the_answers_new_flags_statuses_notes_and_free_text(clinician_client, emergency):
    body = clinician_client.get(url(emergency)).content.decode()
    assert 'id="flag-LBP-CES-1-new"' in body and "New since baseline" in body
    assert "Numb between the legs since Tuesday, worried" in body.split('id="checkin-free-text"')[1]
    changes = body.split('id="changes-table"')[1].split("</table>")[0]
    stored = {c["measure"]: c["status"] for c in emergency.summary["changes"]}
    assert stored["nprs_back"] == "improved_meaningful"  # 6 → 3, by intake/triage/change.py
    assert 'id="change-nprs_back"' in changes and "Meaningful improvement" in changes
    assert 'id="note-FREE-TEXT"' in body
    assert 'id="answers-table"' in body and "ces_saddle_numbness" in body
    assert 'id="checkin-ack-form"' in body


def test_it_records_each_view_in_the_audit_trail(clinician_client, emergency):
    clinician_client.get(url(emergency))
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.patient_pk) == (
        "view", "checkins.checkinresponse", str(emergency.pk), emergency.patient_id
    )


def test_a_new_emergency_flag_needs_a_note_to_acknowledge(clinician_client, emergency):
    response = clinician_client.post(reverse("clinician:checkin_response_acknowledge", args=[emergency.pk]),
                                     {"note": ""})
    assert response.status_code == 400
    assert "Write what was done about the new red flags." in response.content.decode()
    assert CheckInResponse.objects.get(pk=emergency.pk).acknowledged_at is None


def test_acknowledging_records_who_when_and_the_note_and_audits_it(clinician_client, clinician, emergency):
    note = "Phoned the patient, sent to the emergency department."
    response = clinician_client.post(reverse("clinician:checkin_response_acknowledge", args=[emergency.pk]),
                                     {"note": note})
    assert response.status_code == 302 and response["Location"] == reverse("clinician:worklist")
    emergency.refresh_from_db()
    assert (emergency.acknowledged_by, emergency.acknowledgement_note) == (clinician, note)
    event = AuditEvent.objects.get(action="acknowledge")
    assert event.detail == {"new_red_flags": ["LBP-CES-1"]} and event.object_id == str(emergency.pk)
    body = clinician_client.get(url(emergency)).content.decode()
    assert 'id="checkin-ack-form"' not in body and "Acknowledged by" in body


def test_the_worklist_links_a_checkin_row_to_this_page(clinician_client, emergency):
    body = clinician_client.get(reverse("clinician:worklist")).content.decode()
    assert f'href="{url(emergency)}"' in body
    assert "/admin/checkins/checkinresponse/" not in body


def test_a_failed_summary_shows_every_answer_and_says_so(clinician_client, emergency):
    CheckInResponse.objects.filter(pk=emergency.pk).update(summary=None, triage_status="failed", overall_tier="")
    body = clinician_client.get(url(emergency)).content.decode()
    assert 'id="checkin-failed"' in body and 'id="answers-details" open' in body
    assert 'id="section-changes"' not in body


def test_the_page_takes_a_fixed_number_of_queries(clinician_client, emergency, django_assert_max_num_queries):
    clinician_client.get(url(emergency))
    with django_assert_max_num_queries(10):
        assert clinician_client.get(url(emergency)).status_code == 200
