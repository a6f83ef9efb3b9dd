"""services.flag_acknowledge and clinician:flag_acknowledge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.clinician import services
from intake.clinician.models import AuditEvent

from .factories import make_intake, make_user


def ack_url(flag):
    return reverse("clinician:flag_acknowledge", args=[flag.pk])


def test_it_stores_who_acknowledged_when_and_their_note(clinician):
    flag = make_intake("ED_NOW").flags.get(flag_id="HA-THUNDER")
    services.flag_acknowledge(flag=flag, user=clinician, note="  Sent to the emergency department.  ")
    flag.refresh_from_db()
    assert flag.acknowledged_by == clinician
    assert flag.acknowledged_at is not None
    assert flag.acknowledgement_note == "Sent to the emergency department."


def test_it_keeps_the_first_acknowledgement(clinician):
    flag = make_intake("ED_NOW").flags.get(flag_id="HA-THUNDER")
    services.flag_acknowledge(flag=flag, user=clinician, note="first")
    with pytest.raises(services.FlagAlreadyAcknowledged):
        services.flag_acknowledge(flag=flag, user=make_user(), note="second")
    flag.refresh_from_db()
    assert (flag.acknowledged_by, flag.acknowledgement_note) == (clinician, "first")


def test_it_acknowledges_a_flag_from_the_summary_page(clinician_client, clinician):
    flag = make_intake("ED_NOW").flags.get(flag_id="HA-THUNDER")
    response = clinician_client.post(ack_url(flag), {"note": "Phoned; advised the emergency department."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clinic/intakes/{flag.intake_id}/#flag-HA-THUNDER")
    flag.refresh_from_db()
    assert flag.acknowledged_by == clinician
    event = AuditEvent.objects.get(action="acknowledge")
    assert (event.object_type, event.object_id, event.patient_pk) == ("intake.flag", str(flag.pk),
                                                                      flag.intake.patient_id)


def test_it_shows_who_acknowledged_on_the_summary(clinician_client):
    flag = make_intake("ED_NOW").flags.get(flag_id="HA-THUNDER")
    clinician_client.post(ack_url(flag), {"note": "Phoned."}, follow=True)
    body = clinician_client.get(reverse("clinician:intake_summary", args=[flag.intake_id])).content.decode()
    state = body.split('id="ack-state-HA-THUNDER"')[1].split("</p>")[0]
    assert "Acknowledged by" in state and "Phoned." in state
    assert 'id="ack-form-HA-THUNDER"' not in body


def test_it_requires_a_note_for_an_emergency_flag(clinician_client):
    flag = make_intake("ED_NOW").flags.get(flag_id="HA-THUNDER")
    response = clinician_client.post(ack_url(flag), {"note": " "})
    assert response.status_code == 400
    assert "Write what was done about this flag." in response.content.decode()
    flag.refresh_from_db()
    assert flag.acknowledged_at is None


def test_it_accepts_a_routine_flag_without_a_note(clinician_client):
    flag = make_intake("ROUTINE").flags.get(flag_id="LBP-AXSPA")
    assert clinician_client.post(ack_url(flag), {"note": ""}).status_code == 302
    flag.refresh_from_db()
    assert flag.acknowledged_at is not None


def test_it_tells_the_second_clinician_that_the_flag_was_already_acknowledged(clinician_client, clinician):
    flag = make_intake("ED_NOW").flags.get(flag_id="HA-THUNDER")
    services.flag_acknowledge(flag=flag, user=make_user(), note="first")
    response = clinician_client.post(ack_url(flag), {"note": "second"}, follow=True)
    assert "HA-THUNDER had already been acknowledged." in response.content.decode()
    assert not AuditEvent.objects.filter(action="acknowledge").exists()


def test_it_refuses_a_get(clinician_client):
    flag = make_intake("ED_NOW").flags.get(flag_id="HA-THUNDER")
    assert clinician_client.get(ack_url(flag)).status_code == 405
