"""The wizard's first step carries a honeypot field that people never see; a post that fills it is dropped."""

from __future__ import annotations

from django.urls import reverse

from intake import honeypot
from tests.web.conftest import ABOUT_BACK_ONLY, draft_of


def test_it_hides_the_honeypot_on_the_first_step(link_client):
    html = link_client.get(reverse("intake:step", args=["about"])).content.decode()
    assert f'name="{honeypot.FIELD}"' in html
    assert 'class="hp-field" aria-hidden="true"' in html and 'tabindex="-1"' in html


def test_it_saves_a_person_s_answers(link_client):
    response = link_client.post(reverse("intake:step", args=["about"]), {**ABOUT_BACK_ONLY, honeypot.FIELD: "",
                                                                         "action": "next"})
    assert response.status_code == 302 and response["Location"] != reverse("intake:step", args=["about"])
    client = link_client
    client.invitation = _invitation(link_client)
    assert draft_of(client).get("age") == 38


def test_it_silently_drops_a_bot_s_post(link_client):
    url = reverse("intake:step", args=["about"])
    response = link_client.post(url, {**ABOUT_BACK_ONLY, honeypot.FIELD: "http://spam.example", "action": "next"})
    assert response.status_code == 302 and response["Location"] == url  # looks like any other redirect
    client = link_client
    client.invitation = _invitation(link_client)
    assert "age" not in draft_of(client)


def _invitation(client):
    from intake.models import Invitation

    return Invitation.objects.get(pk=client.session["intake_invitation_id"])
