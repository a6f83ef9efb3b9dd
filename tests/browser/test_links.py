"""Issue #4, acceptance 5: a tampered, expired or used link gets a clear page with a 4xx status, never a 500; a used
link never reopens a submitted intake."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import Intake
from tests.browser.conftest import Patient, example, invite, seed_draft

pytestmark = pytest.mark.browser


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def no_form(page) -> None:
    assert page.locator("form").count() == 0
    assert "How old are you?" not in page.content()


def test_a_tampered_link_gets_the_404_page(phone):
    _invitation, token = invite()
    patient = Patient(phone)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # (Not "..%2F" here: Django's live test server serves MEDIA_ROOT, unset, at "/" and answers a path outside it
    # with a 500 of its own, before the app sees the request. runserver and gunicorn answer the app's 404.)
    for bad in (tampered, token[:20], token + "x", "x" * 600, "%00", "%F0%9F%92%A9"):
        patient.open(f"/i/{bad}/", status=404)
        assert heading(phone) == "This link does not work"
        no_form(phone)
    patient.open(f"/i/{token}/")  # the real link still works
    assert heading(phone) == "Before your visit"


def test_an_expired_link_gets_the_410_page(phone):
    invitation, token = invite()
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    Patient(phone).open(f"/i/{token}/", status=410)
    assert heading(phone) == "This link has expired"
    no_form(phone)


def test_a_link_that_expires_while_filling_in_stops_the_form(phone):
    invitation, token = invite()
    patient = Patient(phone)
    patient.start(token)
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save()
    patient.press("Next", status=410)  # refused with the "expired" page, not the next step
    assert heading(phone) == "This link has expired"


def test_a_used_link_cannot_reopen_the_submitted_intake(phone, new_phone, settings):
    settings.INTAKE_QUESTIONNAIRES = []
    invitation, token = invite()
    seed_draft(invitation, example("V1") | {"instruments": {}}, upto=None)
    patient = Patient(phone)
    patient.open(f"/i/{token}/")
    assert patient.slug == "review"
    patient.send()
    assert Intake.objects.count() == 1
    # The browser's Back button, to the review page just sent: refused, no form.
    response = phone.go_back()
    assert response is not None and response.status == 403, response and response.status
    no_form(phone)

    # The same phone: the link says "already sent", with the way back to the message it was shown; no form.
    patient.open(f"/i/{token}/", status=410)
    assert heading(phone) == "You have already sent your answers"
    assert phone.get_by_role("link", name="See the message shown after you sent your answers").is_visible()
    for path in ("/intake/step/about/", "/intake/review/"):
        response = phone.goto(path)
        assert response.status in (403, 410), (path, response.status)
        no_form(phone)

    # Another phone (a forwarded e-mail): "already sent", and nothing of the patient's.
    other = new_phone()
    stranger = Patient(other)
    stranger.open(f"/i/{token}/", status=410)
    assert heading(other) == "You have already sent your answers"
    assert other.get_by_role("link", name="See the message shown after you sent your answers").count() == 0
    stranger.open("/intake/result/", status=403)
    assert heading(other) == "Please open your invitation link"
    no_form(other)
    assert Intake.objects.count() == 1


def test_pages_without_a_link_and_unknown_pages_get_4xx_pages(phone):
    patient = Patient(phone)
    patient.open("/intake/step/about/", status=403)
    assert heading(phone) == "Please open your invitation link"
    patient.open("/intake/review/", status=403)
    response = phone.request.post("/intake/submit/", form={"privacy": "yes"})
    assert response.status == 403  # CSRF or no session: refused either way, never a 500
    _invitation, token = invite()
    patient.open(f"/i/{token}/")
    patient.open("/intake/step/no-such-step/", status=404)
    assert heading(phone) == "Page not found"
    patient.open("/no/such/page/", status=404)
