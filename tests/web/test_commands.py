"""`manage.py invite` and `manage.py seed_demo`."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from intake.models import Intake, Invitation, Patient


def test_invite_prints_a_link_whose_token_is_stored_only_as_a_hash(db, settings, client):
    settings.SITE_URL = "https://clinic.example"
    out = StringIO()
    call_command("invite", "ana@example.org", "--first-name", "Ana", "--last-name", "Silva", "--days", "3",
                 stdout=out, stderr=StringIO())
    link = out.getvalue().strip()
    assert link.startswith("https://clinic.example/i/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 bits, URL-safe base64; at least 128 bits required
    assert "ana" not in link.lower() and "silva" not in link.lower()
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_invitation")
        assert all(token not in str(value) for value in cursor.fetchone())
    assert 2.9 < (invitation.expires_at - invitation.created_at).days + 1 <= 3.1
    assert invitation.patient.first_name == "Ana"
    assert client.get(link.replace("https://clinic.example", "")).status_code == 200


def test_invite_refuses_a_bad_email(db):
    with pytest.raises(CommandError):
        call_command("invite", "not-an-email", stdout=StringIO())


def test_seed_demo_submits_intakes_through_the_service_and_prints_a_fresh_link(db, client):
    out = StringIO()
    call_command("seed_demo", "--intakes", "8", stdout=out, stderr=StringIO())
    assert Intake.objects.count() == 8
    assert set(Intake.objects.values_list("triage_status", flat=True)) == {"ok"}
    tiers = set(Intake.objects.values_list("overall_tier", flat=True))
    assert {"ED_NOW", "SAME_DAY", "URGENT_REFERRAL", "NONE"} <= tiers
    link = out.getvalue().strip().rsplit(" ", 1)[1]
    assert client.get(link.split("127.0.0.1:8000", 1)[1]).status_code == 200
    patients = Patient.objects.count()
    call_command("seed_demo", "--if-empty", stdout=StringIO(), stderr=StringIO())
    assert Patient.objects.count() == patients


def test_the_admin_action_makes_a_new_link_for_the_same_patient(admin_client, invite):
    invitation, _raw = invite()
    response = admin_client.post(
        "/admin/intake/invitation/",
        {"action": "create_new_link", "_selected_action": [invitation.pk]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    link = next(m for m in messages if "/i/" in m).rsplit(" ", 1)[1]
    assert Invitation.objects.filter(patient=invitation.patient).count() == 2
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()
