"""The access-control matrix: every clinician URL and admin page × every persona (conftest.py).

LOGIN: redirected to the staff log-in; ADMIN_LOGIN: redirected to the admin log-in; a number: that status.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.models import ContentPack

from .factories import answer_checkin, backdate, make_intake, make_user

LOGIN, ADMIN_LOGIN = "login", "admin_login"
PERSONAS = ("anonymous", "link_holder", "front_desk", "clinician", "practice_admin")
ISI_PACK = {
    "title": "Test sleep index",
    "options": [{"value": n, "label": f"level {n}"} for n in range(5)],
    "items": [{"text": f"Sleep item {i}"} for i in range(1, 8)],
}


def row(anonymous, front_desk, clinician, practice_admin):
    """A patient holding a link is anonymous to the staff side: same expectation."""
    return {"anonymous": anonymous, "link_holder": anonymous, "front_desk": front_desk, "clinician": clinician,
            "practice_admin": practice_admin}


DASH = lambda fd, cl, pa: row(LOGIN, fd, cl, pa)  # noqa: E731
ADMIN = lambda fd, cl, pa: row(ADMIN_LOGIN, fd, cl, pa)  # noqa: E731

# (name, method, path builder, expected per persona)
CASES = [
    ("home", "get", lambda w: reverse("clinician:home"), DASH(302, 302, 302)),
    ("worklist", "get", lambda w: reverse("clinician:worklist"), DASH(403, 200, 200)),
    ("worklist poll", "get", lambda w: reverse("clinician:worklist_poll") + "?since=2000-01-01T00:00:00Z",
     DASH(403, 200, 200)),
    ("summary", "get", lambda w: reverse("clinician:intake_summary", args=[w["intake"].pk]), DASH(403, 200, 200)),
    ("explain", "get", lambda w: reverse("clinician:intake_explain", args=[w["intake"].pk]), DASH(403, 200, 200)),
    ("print", "get", lambda w: reverse("clinician:intake_print", args=[w["intake"].pk]), DASH(403, 200, 200)),
    ("pdf", "get", lambda w: reverse("clinician:intake_pdf", args=[w["intake"].pk]), DASH(403, 200, 200)),
    ("trends", "get", lambda w: reverse("clinician:patient_trends", args=[w["intake"].patient_id]),
     DASH(403, 200, 200)),
    ("check-in response", "get", lambda w: reverse("clinician:checkin_response", args=[w["response"].pk]),
     DASH(403, 200, 200)),
    ("check-in acknowledge", "post",
     lambda w: reverse("clinician:checkin_response_acknowledge", args=[w["response"].pk]), DASH(403, 302, 302)),
    ("outcomes export", "get", lambda w: reverse("clinician:outcomes_export"), DASH(403, 403, 200)),
    ("password change", "get", lambda w: reverse("clinician:password_change"), DASH(200, 200, 200)),
    ("acknowledge", "post", lambda w: reverse("clinician:flag_acknowledge", args=[w["flag"].pk]),
     DASH(403, 302, 302)),
    ("review", "post", lambda w: reverse("clinician:intake_review", args=[w["intake"].pk]), DASH(403, 302, 302)),
    ("admin index", "get", lambda w: reverse("admin:index"), ADMIN(200, 200, 200)),
    ("admin patients", "get", lambda w: reverse("admin:intake_patient_changelist"), ADMIN(200, 200, 200)),
    ("admin patient", "get", lambda w: reverse("admin:intake_patient_change", args=[w["intake"].patient_id]),
     ADMIN(200, 200, 200)),
    ("admin patient add", "get", lambda w: reverse("admin:intake_patient_add"), ADMIN(200, 403, 200)),
    ("admin invitations", "get", lambda w: reverse("admin:intake_invitation_changelist"), ADMIN(200, 200, 200)),
    ("admin intakes", "get", lambda w: reverse("admin:intake_intake_changelist"), ADMIN(200, 200, 200)),
    ("admin intake", "get", lambda w: reverse("admin:intake_intake_change", args=[w["intake"].pk]),
     ADMIN(403, 200, 200)),
    ("admin flags", "get", lambda w: reverse("admin:intake_flag_changelist"), ADMIN(403, 200, 200)),
    ("admin flag", "get", lambda w: reverse("admin:intake_flag_change", args=[w["flag"].pk]), ADMIN(403, 200, 200)),
    ("admin content packs", "get", lambda w: reverse("admin:intake_contentpack_changelist"), ADMIN(403, 200, 200)),
    ("admin content pack add", "get", lambda w: reverse("admin:intake_contentpack_add"), ADMIN(403, 403, 200)),
    ("admin content pack", "get", lambda w: reverse("admin:intake_contentpack_change", args=[w["pack"].pk]),
     ADMIN(403, 200, 200)),
    ("admin audit trail", "get", lambda w: reverse("admin:clinician_auditevent_changelist"), ADMIN(403, 403, 200)),
    ("admin users", "get", lambda w: reverse("admin:auth_user_changelist"), ADMIN(403, 403, 200)),
    ("admin user", "get", lambda w: reverse("admin:auth_user_change", args=[w["other_user"].pk]),
     ADMIN(403, 403, 200)),
    ("admin groups", "get", lambda w: reverse("admin:auth_group_changelist"), ADMIN(403, 403, 200)),
]


@pytest.fixture
def world(db):
    intake = make_intake("ED_NOW")
    pack = ContentPack(instrument="isi", content=ISI_PACK, copyright_notice="© Test owner")
    pack.full_clean()
    pack.save()
    baseline = backdate(make_intake("NONE"), 20)
    response = answer_checkin(baseline, "week2", nprs_back=4, ces_saddle_numbness="yes", free_text="Numb, worried")
    return {"intake": intake, "flag": intake.flags.get(flag_id="HA-THUNDER"), "pack": pack,
            "other_user": make_user(), "response": response}


@pytest.fixture
def client_of(request):
    def get(persona: str):
        return request.getfixturevalue("client" if persona == "anonymous" else f"{persona}_client")

    return get


def _request(client, method: str, path: str):
    if method == "post":
        return client.post(path, {"note": "Phoned the patient, sent to the emergency department."})
    return client.get(path)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "path_of", "expected"), CASES, ids=[c[0] for c in CASES])
def test_it_gives_each_persona_the_expected_status(world, client_of, persona, name, method, path_of, expected):
    path = path_of(world)
    response = _request(client_of(persona), method, path)
    want = expected[persona]
    if want == LOGIN:
        assert response.status_code == 302, (name, persona)
        assert response["Location"].startswith(reverse("clinician:login") + "?next="), response["Location"]
    elif want == ADMIN_LOGIN:
        assert response.status_code == 302, (name, persona)
        assert response["Location"].startswith(reverse("admin:login")), response["Location"]
    else:
        assert response.status_code == want, (name, persona, response.status_code)


CLINICAL_MARKERS = ("HA-THUNDER", "onset_to_peak", "ED_NOW", "Emergency: now", "EMERGENCY", "triggered_by",
                    "red_flags", "Summary failed", "thunderclap")


def test_it_never_sends_clinical_data_to_the_front_desk(world, front_desk_client):
    for name, method, path_of, _expected in CASES:
        response = _request(front_desk_client, method, path_of(world))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        for marker in CLINICAL_MARKERS:
            assert marker not in text, (name, marker)


def test_it_lets_the_front_desk_see_when_an_intake_arrived_but_not_its_tier(world, front_desk_client):
    response = front_desk_client.get(reverse("admin:intake_intake_changelist"))
    assert response.status_code == 200
    assert world["intake"].patient.last_name in response.content.decode()
    assert b"column-tier" not in response.content
    assert reverse("admin:intake_intake_change", args=[world["intake"].pk]).encode() not in response.content


def test_it_keeps_a_signed_in_user_without_a_role_out_of_clinical_pages(world):
    from django.test import Client

    client = Client()
    client.force_login(make_user(None))
    assert client.get(reverse("clinician:home")).status_code == 403
    assert client.get(reverse("clinician:worklist")).status_code == 403
