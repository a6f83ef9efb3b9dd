"""The invitation link: expiring, single-use, no patient data in the URL; friendly 404/410 pages, never a 500."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from intake.models import IntakeDraft
from tests.web.conftest import example, walk


def test_opening_the_link_never_uses_it_up(client, invite):
    invitation, raw = invite()
    for _ in range(2):
        response = client.get(reverse("intake:start", args=[raw]))
        assert response.status_code == 200
        assert "Before your visit" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert str(invitation.patient.pk) not in response.request["PATH_INFO"]
    assert raw not in reverse("intake:step", args=["about"])


def test_a_tampered_token_gives_the_404_page(client, invite):
    _invitation, raw = invite()
    response = client.get(reverse("intake:start", args=[raw[:-1] + ("A" if raw[-1] != "A" else "B")]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_an_expired_link_gives_the_410_page(client, invite):
    invitation, raw = invite()
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    response = client.get(reverse("intake:start", args=[raw]))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_link_that_expires_while_filling_in_stops_the_form(patient):
    patient.invitation.expires_at = timezone.now() - timedelta(seconds=1)
    patient.invitation.save()
    assert patient.get(reverse("intake:step", args=["about"])).status_code == 410


def test_a_used_link_shows_already_submitted_and_never_the_form_again(patient):
    walk(patient, example("V1"))
    patient.post(reverse("intake:submit"), {"privacy": "yes"})
    response = patient.get(reverse("intake:start", args=[patient.token]))
    assert response.status_code == 410
    html = response.content.decode()
    assert "You have already sent your answers" in html
    assert reverse("intake:result") in html  # same session: the result stays reachable
    assert patient.get(reverse("intake:result")).status_code == 200
    for url in (reverse("intake:step", args=["about"]), reverse("intake:review")):
        response = patient.get(url)
        assert response.status_code in (403, 410)
        assert "How old are you?" not in response.content.decode()
    assert not IntakeDraft.objects.exists()


def test_a_used_link_in_another_browser_shows_no_result(client, patient):
    walk(patient, example("V1"))
    patient.post(reverse("intake:submit"), {"privacy": "yes"})
    client.cookies.clear()
    response = client.get(reverse("intake:start", args=[patient.token]))
    assert response.status_code == 410
    assert reverse("intake:result") not in response.content.decode()
    assert client.get(reverse("intake:result")).status_code == 403


def test_steps_without_an_opened_link_ask_for_the_link(client, db):
    response = client.get(reverse("intake:step", args=["about"]))
    assert response.status_code == 403
    assert "Please open your invitation link" in response.content.decode()
    assert client.post(reverse("intake:submit"), {"privacy": "yes"}).status_code == 403


def test_an_unknown_step_gives_the_404_page(patient):
    response = patient.get("/intake/step/no-such-step/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_double_submit_makes_one_intake(patient):
    from intake.models import Intake

    walk(patient, example("V1"))
    first = patient.post(reverse("intake:submit"), {"privacy": "yes"})
    second = patient.post(reverse("intake:submit"), {"privacy": "yes"})
    assert first.status_code == 302
    assert second.status_code in (403, 410)
    assert Intake.objects.count() == 1
