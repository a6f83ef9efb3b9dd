"""Every page type carries the Content Security Policy (no inline script allowed), the Permissions-Policy and the
Referrer-Policy, and no page has an inline script, an inline event handler or a javascript: URL (issue #7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.clinician.roles import FRONT_DESK
from intake.models import Invitation
from tests.clinician.factories import make_user

from .html_checks import inline_script_problems


def _patient_start(link_client, **_):
    return link_client.get(reverse("intake:start", args=[link_client.token]))


def _patient_step(link_client, **_):
    return link_client.get(reverse("intake:step", args=["about"]))


def _patient_review(link_client, **_):
    return link_client.get(reverse("intake:review"))


def _patient_result(intake, **_):
    client = Client()
    session = client.session
    session["intake_result_id"] = intake.pk
    session.save()
    return client.get(reverse("intake:result"))


def _link_expired(db, **_):
    invitation, raw = services.invitation_create(email="late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    return Client().get(reverse("intake:start", args=[raw]))


def _link_unknown(db, **_):
    return Client().get(reverse("intake:start", args=["no-such-token"]))


def _link_needed(db, **_):
    return Client().get(reverse("intake:review"))


def _not_found(db, **_):
    return Client().get("/no/such/page/")


def _too_many_requests(settings, db, **_):
    settings.RATELIMIT_LINK_PER_ADDRESS = 0
    return Client().get(reverse("intake:start", args=["any-token"]))


def _server_error(monkeypatch, db, **_):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "invitation_resolve", explode)
    return Client(raise_request_exception=False).get(reverse("intake:start", args=["any-token"]))


def _clinician_login(db, **_):
    return Client().get(reverse("clinician:login"))


def _clinician_worklist(clinician_client, intake, **_):
    return clinician_client.get(reverse("clinician:worklist"))


def _clinician_summary(clinician_client, intake, **_):
    return clinician_client.get(reverse("clinician:intake_summary", args=[intake.pk]))


def _forbidden(db, **_):
    client = Client()
    client.force_login(make_user(FRONT_DESK))
    return client.get(reverse("clinician:worklist"))


def _admin_index(admin_client, **_):
    return admin_client.get(reverse("admin:index"))


def _admin_patient_list(admin_client, intake, **_):
    return admin_client.get(reverse("admin:intake_patient_changelist"))


def _admin_intake(admin_client, intake, **_):
    return admin_client.get(reverse("admin:intake_intake_change", args=[intake.pk]))


def _admin_login(db, **_):
    return Client().get(reverse("admin:login"))


def _fhir_json(clinician_client, **_):
    return clinician_client.get("/fhir/Questionnaire/intake")


def _fhir_error(db, **_):
    return Client().get("/fhir/Questionnaire/intake")


PAGES = {
    "patient start": (_patient_start, 200),
    "patient step": (_patient_step, 200),
    "patient review": (_patient_review, 200),
    "patient result": (_patient_result, 200),
    "link expired": (_link_expired, 410),
    "link unknown": (_link_unknown, 404),
    "link needed": (_link_needed, 403),
    "page not found": (_not_found, 404),
    "too many requests": (_too_many_requests, 429),
    "server error": (_server_error, 500),
    "clinician log-in": (_clinician_login, 200),
    "clinician worklist": (_clinician_worklist, 200),
    "clinician summary": (_clinician_summary, 200),
    "forbidden": (_forbidden, 403),
    "admin index": (_admin_index, 200),
    "admin patient list": (_admin_patient_list, 200),
    "admin intake": (_admin_intake, 200),
    "admin log-in": (_admin_login, 200),
    "FHIR JSON": (_fhir_json, 200),
    "FHIR error": (_fhir_error, 401),
}


@pytest.fixture
def page(request, settings, monkeypatch, db):
    build, status = PAGES[request.param]
    names = build.__code__.co_varnames[: build.__code__.co_argcount]
    given = {"settings": settings, "monkeypatch": monkeypatch, "db": db}
    fixtures = {name: given[name] if name in given else request.getfixturevalue(name) for name in names}
    response = build(**fixtures)
    assert response.status_code == status, (request.param, response.status_code)
    return response


@pytest.mark.parametrize("page", list(PAGES), indirect=True)
def test_it_sends_a_strict_content_security_policy(page):
    policy = page["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("page", list(PAGES), indirect=True)
def test_it_sends_the_permissions_and_referrer_policies(page):
    assert "camera=()" in page["Permissions-Policy"] and "geolocation=()" in page["Permissions-Policy"]
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("page", [name for name in PAGES if not name.startswith("FHIR")], indirect=True)
def test_it_renders_no_inline_script(page):
    assert page["Content-Type"].startswith("text/html")
    assert inline_script_problems(page.content.decode()) == []


def test_it_still_loads_the_scripts_from_files(link_client):
    html = link_client.get(reverse("intake:step", args=["about"])).content.decode()
    assert '<script src="/static/intake/wizard.js" defer></script>' in html


def test_it_sends_fhir_json_as_json(clinician_client):
    response = clinician_client.get("/fhir/Questionnaire/intake")
    assert response["Content-Type"].startswith("application/fhir+json")
