"""Two-factor authentication (django-otp TOTP): with REQUIRE_2FA a signed-in clinician reaches no staff page until
they set up an authenticator and enter a code; afterwards, each new session asks for a code again."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.clinician.roles import CLINICIAN
from tests.clinician.factories import make_user

from .conftest import PASSWORD


def code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def signed_in(db):
    user = make_user(CLINICIAN, password=PASSWORD)
    client = Client()
    response = client.post(reverse("clinician:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    client.user = user
    return client


def test_it_sends_a_clinician_without_a_device_to_the_setup(required, signed_in):
    response = signed_in.get(reverse("clinician:worklist"))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("clinician:2fa_setup")


@pytest.mark.parametrize("url", ["clinician:worklist", "clinician:home", "admin:index"])
def test_it_guards_every_staff_page(required, signed_in, url):
    response = signed_in.get(reverse(url))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path in (reverse("clinician:2fa_setup"), reverse("clinician:2fa_verify"))


def test_it_answers_403_to_fhir_calls_of_an_unverified_session(required, signed_in):
    response = signed_in.get("/fhir/Questionnaire/intake")
    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"


def test_it_opens_the_worklist_once_the_device_is_confirmed(required, signed_in):
    setup = signed_in.get(reverse("clinician:2fa_setup") + "?next=" + reverse("clinician:worklist"))
    assert setup.status_code == 200
    assert b"<svg" in setup.content  # the QR code, inline SVG (no script)
    device = TOTPDevice.objects.get(user=signed_in.user, confirmed=False)

    wrong = signed_in.post(reverse("clinician:2fa_setup"), {"token": "000000", "next": reverse("clinician:worklist")})
    assert wrong.status_code == 400

    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above started django-otp's throttle
    device.save()
    response = signed_in.post(reverse("clinician:2fa_setup"), {"token": code(device),
                                                               "next": reverse("clinician:worklist")})
    assert response.status_code == 302 and response["Location"] == reverse("clinician:worklist")
    device.refresh_from_db()
    assert device.confirmed
    assert signed_in.get(reverse("clinician:worklist")).status_code == 200


def test_it_asks_for_a_code_after_each_password_log_in(required, signed_in):
    device = TOTPDevice.objects.create(user=signed_in.user, name="phone", confirmed=True)
    response = signed_in.get(reverse("clinician:worklist"))
    assert urlsplit(response["Location"]).path == reverse("clinician:2fa_verify")

    assert signed_in.post(reverse("clinician:2fa_verify"), {"token": "123456"}).status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = signed_in.post(reverse("clinician:2fa_verify"), {"token": code(device)})
    assert response.status_code == 302
    assert signed_in.get(reverse("clinician:worklist")).status_code == 200


def test_it_refuses_a_code_used_twice(required, signed_in):
    device = TOTPDevice.objects.create(user=signed_in.user, name="phone", confirmed=True)
    token = code(device)
    assert signed_in.post(reverse("clinician:2fa_verify"), {"token": token}).status_code == 302
    other = Client()
    other.post(reverse("clinician:login"), {"username": signed_in.user.username, "password": PASSWORD})
    assert other.post(reverse("clinician:2fa_verify"), {"token": token}).status_code == 400


def test_it_leaves_staff_pages_open_without_the_setting(signed_in, settings):
    settings.REQUIRE_2FA = False
    assert signed_in.get(reverse("clinician:worklist")).status_code == 200


def test_it_never_asks_patients_for_a_second_factor(required, link_client):
    assert link_client.get(reverse("intake:step", args=["about"])).status_code == 200
