"""API tokens are made in the admin: shown once, stored as a hash, limited by their scopes."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client

from intake.fhir.models import ApiToken
from intake.models import token_hash


def test_the_admin_shows_a_new_token_once_and_stores_its_hash(db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", None)
    client = Client()
    client.force_login(admin)

    response = client.post("/admin/fhir/apitoken/add/", {"name": "EHR bridge", "scopes": ["fhir.read"]})

    assert response.status_code == 302
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    raw = re.search(r"(cit_\S+)", text).group(1)
    token = ApiToken.objects.get()
    assert token.token_hash == token_hash(raw) and raw not in (token.prefix, token.token_hash)
    assert token.scopes == ["fhir.read"] and token.created_by == admin
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/fhir/Questionnaire/intake").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_scopes_are_refused(db):
    token = ApiToken(name="x", scopes=["fhir.everything"])
    token.set_token(ApiToken.new_token())
    with pytest.raises(ValidationError, match="scopes"):
        token.full_clean()
