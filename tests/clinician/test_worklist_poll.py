"""clinician:worklist_poll — the live alert when an EMERGENCY-tier (or failed) item arrives."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from .factories import make_failed_intake, make_intake

URL = reverse("clinician:worklist_poll")


def poll(client, since):
    return client.get(URL, {"since": since.isoformat()})


def test_it_answers_204_when_nothing_new_arrived(clinician_client):
    make_intake("ED_NOW")
    response = poll(clinician_client, timezone.now())
    assert response.status_code == 204


def test_it_alerts_and_refreshes_the_list_when_an_emergency_arrives(clinician_client):
    since = timezone.now() - timedelta(seconds=1)
    make_intake("ED_NOW")
    response = poll(clinician_client, since)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "worklist-refresh"
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "1 new emergency-tier or failed item arrived." in body


def test_it_alerts_for_a_same_day_emergency(clinician_client):
    since = timezone.now() - timedelta(seconds=1)
    make_intake("SAME_DAY")
    assert poll(clinician_client, since).status_code == 200


def test_it_alerts_for_a_failed_summary(clinician_client):
    since = timezone.now() - timedelta(seconds=1)
    make_failed_intake()
    assert poll(clinician_client, since).status_code == 200


def test_it_does_not_alert_for_an_urgent_referral(clinician_client):
    since = timezone.now() - timedelta(seconds=1)
    make_intake("URGENT_REFERRAL")
    assert poll(clinician_client, since).status_code == 204


def test_it_moves_the_next_poll_past_the_alert(clinician_client):
    since = timezone.now() - timedelta(seconds=1)
    make_intake("ED_NOW")
    body = poll(clinician_client, since).content.decode()
    next_url = body.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    assert clinician_client.get(next_url).status_code == 204


def test_it_puts_no_patient_data_in_the_alert(clinician_client):
    since = timezone.now() - timedelta(seconds=1)
    intake = make_intake("ED_NOW")
    body = poll(clinician_client, since).content.decode()
    assert intake.patient.last_name not in body
    assert "HA-THUNDER" not in body


def test_it_treats_a_malformed_since_as_now(clinician_client):
    make_intake("ED_NOW")
    assert clinician_client.get(URL, {"since": "yesterday"}).status_code == 204


def test_it_sends_the_whole_page_to_the_log_in_when_the_session_ended(client):
    response = client.get(URL, {"since": timezone.now().isoformat()},
                          headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/clinic/worklist/?tier=ED_NOW"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/clinic/login/?next=%2Fclinic%2Fworklist%2F"
