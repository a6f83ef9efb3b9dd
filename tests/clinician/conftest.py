"""Personas of the clinician tests (healthchecks style):

- anonymous: no session at all;
- link holder: a patient who opened an intake link (the session holds the invitation), never signed in;
- front desk: patients, invitations, schedules; never clinical summaries, answers, tiers or flags;
- clinician: the practice's clinical data; acknowledges flags and reviews intakes;
- practice admin: everything, plus the audit trail, users and exports.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from intake import services
from intake.clinician.roles import CLINICIAN, FRONT_DESK, PRACTICE_ADMIN

from .factories import make_user


@pytest.fixture
def clinician(db):
    return make_user(CLINICIAN, first_name="Casey", last_name="Clinician")


@pytest.fixture
def front_desk(db):
    return make_user(FRONT_DESK)


@pytest.fixture
def practice_admin(db):
    return make_user(PRACTICE_ADMIN)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clinician_client(clinician):
    return _client_for(clinician)


@pytest.fixture
def front_desk_client(front_desk):
    return _client_for(front_desk)


@pytest.fixture
def practice_admin_client(practice_admin):
    return _client_for(practice_admin)


@pytest.fixture
def link_holder_client(db):
    client = Client()
    _invitation, raw = services.invitation_create(email="holder@example.org", first_name="Holder")
    assert client.get(reverse("intake:start", args=[raw])).status_code == 200
    return client
