"""Log-in lockout (django-axes): AXES_FAILURE_LIMIT failed log-ins for one user name from one address lock that
pair out, on the clinician log-in and on the admin log-in, even for the right password; others are unaffected."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD


def _fail(client: Client, url: str, username: str, times: int):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong password"})
    return response


@pytest.mark.parametrize("login", ["clinician:login", "admin:login"])
def test_it_locks_out_after_the_failure_limit(login, clinician_with_password):
    client, url = Client(), reverse(login)
    response = _fail(client, url, clinician_with_password.username, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200  # the form again, with its error: not locked yet

    response = _fail(client, url, clinician_with_password.username, 1)
    assert response.status_code == 429

    response = client.post(url, {"username": clinician_with_password.username, "password": PASSWORD})
    assert response.status_code == 429  # even the right password, until the cool-off
    assert "_auth_user_id" not in client.session


def test_it_shows_a_friendly_page_when_locked_out(clinician_with_password):
    username = clinician_with_password.username
    response = _fail(Client(), reverse("clinician:login"), username, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert b'id="locked-out"' in response.content


def test_it_signs_in_with_the_right_password_before_the_limit(clinician_with_password):
    client, url = Client(), reverse("clinician:login")
    _fail(client, url, clinician_with_password.username, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(url, {"username": clinician_with_password.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clinician_with_password.pk)


def test_it_does_not_lock_out_another_user(clinician_with_password, django_user_model):
    other = django_user_model.objects.create_user("other-clinician", password=PASSWORD, is_staff=True)
    client, url = Client(), reverse("clinician:login")
    _fail(client, url, clinician_with_password.username, settings.AXES_FAILURE_LIMIT)
    response = client.post(url, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_it_unlocks_after_the_cool_off(clinician_with_password, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    client, url = Client(), reverse("clinician:login")
    _fail(client, url, clinician_with_password.username, settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    response = client.post(url, {"username": clinician_with_password.username, "password": PASSWORD})
    assert response.status_code == 302
