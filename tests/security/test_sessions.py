"""Idle expiry of sessions (issue #7): a session ends SESSION_COOKIE_AGE after its last use, and using it saves it
again at most once every SESSION_TOUCH_SECONDS (clinic.middleware.SessionTouchMiddleware), not on every page."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.middleware import SessionTouchMiddleware


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_it_does_not_write_the_session_on_every_page(clinician_client):
    clinician_client.get(reverse("clinician:worklist"))  # the first page saves the time of use
    before = session_row(clinician_client).expire_date
    response = clinician_client.get(reverse("clinician:worklist"))
    assert response.status_code == 200
    assert session_row(clinician_client).expire_date == before


def test_it_pushes_the_expiry_on_once_the_last_save_is_a_minute_old(clinician_client, settings):
    clinician_client.get(reverse("clinician:worklist"))
    row = session_row(clinician_client)
    data = row.get_decoded()
    data[SessionTouchMiddleware.KEY] -= settings.SESSION_TOUCH_SECONDS  # last saved a minute ago
    old_expiry = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_TOUCH_SECONDS)
    Session.objects.filter(pk=row.pk).update(session_data=Session.objects.encode(data), expire_date=old_expiry)
    assert clinician_client.get(reverse("clinician:worklist")).status_code == 200
    new_expiry = session_row(clinician_client).expire_date
    assert new_expiry - old_expiry >= timedelta(seconds=settings.SESSION_TOUCH_SECONDS - 5)
    assert new_expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_an_idle_session_ends(clinician_client):
    clinician_client.get(reverse("clinician:worklist"))
    Session.objects.filter(pk=session_row(clinician_client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = clinician_client.get(reverse("clinician:worklist"))
    assert response.status_code == 302 and reverse("clinician:login") in response["Location"]


def test_a_visitor_without_a_session_gets_none(db):
    client = Client()
    assert client.get(reverse("clinician:login")).status_code == 200
    assert "sessionid" not in client.cookies or not client.cookies["sessionid"].value
    assert not Session.objects.exists()


def test_a_patients_session_is_touched_like_a_clinicians(link_client):
    row = session_row(link_client)
    assert isinstance(row.get_decoded()[SessionTouchMiddleware.KEY], int)


# ---------------------------------------------------------------- clinic.sessions: the read compiled once (issue #7)
def _stores(key):
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from clinic.sessions import SessionStore

    return SessionStore(key), DjangoStore(key)


def test_the_session_store_reads_what_djangos_reads_for_live_expired_unknown_and_malformed_keys(db):
    from clinic.sessions import SessionStore

    live = SessionStore()
    live.update({"intake_invitation_id": 7, "_touched": 1})
    live.create()
    expired = SessionStore()
    expired["x"] = 1
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (live.session_key, expired.session_key, "unknownkey123456789", "short", None):
        ours, djangos = _stores(key)
        assert (ours.load(), ours.session_key) == (djangos.load(), djangos.session_key), key
    ours, _ = _stores(live.session_key)
    assert ours.load() == {"intake_invitation_id": 7, "_touched": 1}
    ours, _ = _stores(expired.session_key)
    assert ours.load() == {} and ours.session_key is None  # an expired session is never read, and a new key follows


def test_a_session_costs_one_query_to_read(db, django_assert_num_queries):
    from clinic.sessions import SessionStore

    store = SessionStore()
    store["a"] = 1
    store.create()
    with django_assert_num_queries(1):
        assert SessionStore(store.session_key).load() == {"a": 1}


def test_the_app_uses_it(settings, clinician_client):
    from django.contrib.sessions.backends.base import SessionBase

    assert settings.SESSION_ENGINE == "clinic.sessions"
    clinician_client.get(reverse("clinician:worklist"))
    assert isinstance(clinician_client.session, SessionBase)
    assert type(clinician_client.session).__module__ == "clinic.sessions"
