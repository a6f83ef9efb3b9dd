"""Fixtures of the security tests (issue #7). Personas as in tests/clinician: a clinician, a practice admin, a
patient's browser holding a link; users here have real passwords where the test signs in through the log-in form.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from intake import services
from intake.clinician.roles import CLINICIAN, PRACTICE_ADMIN
from tests.clinician.factories import make_intake, make_patient, make_user

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test password


@pytest.fixture
def clinician_with_password(db):
    return make_user(CLINICIAN, password=PASSWORD)


@pytest.fixture
def clinician_client(db):
    client = Client()
    client.force_login(make_user(CLINICIAN))
    return client


@pytest.fixture
def practice_admin(db):
    return make_user(PRACTICE_ADMIN, is_superuser=False)


@pytest.fixture
def admin_client(practice_admin):
    client = Client()
    client.force_login(practice_admin)
    return client


@pytest.fixture
def link_client(db):
    """A patient's browser that has opened a fresh intake link."""
    client = Client()
    _invitation, raw = services.invitation_create(email="link@example.org", first_name="Linda")
    assert client.get(reverse("intake:start", args=[raw])).status_code == 200
    client.token = raw
    return client


@pytest.fixture
def intake(db):
    return make_intake("ED_NOW", patient=make_patient(first_name="Zebedee", last_name="Quillfeather"))
