"""Patient link pages are rate-limited per address and per link (intake/ratelimit.py): over the limit the answer
is 429 with a friendly page and Retry-After; staff pages are not limited by it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from intake import services


def test_it_answers_429_when_one_address_tries_too_many_links(settings, db):
    settings.RATELIMIT_LINK_PER_ADDRESS = 5
    client = Client()
    statuses = [client.get(reverse("intake:start", args=[f"guess-{i}"])).status_code for i in range(7)]
    assert statuses == [404] * 5 + [429] * 2


def test_it_answers_429_when_one_link_is_opened_too_often_from_many_addresses(settings, db):
    settings.RATELIMIT_LINK_PER_LINK = 3
    _invitation, raw = services.invitation_create(email="busy@example.org")
    url = reverse("intake:start", args=[raw])
    statuses = [Client(REMOTE_ADDR=f"10.0.0.{i}").get(url).status_code for i in range(1, 6)]
    assert statuses == [200] * 3 + [429] * 2


def test_it_sends_a_friendly_page_with_retry_after(settings, db):
    settings.RATELIMIT_LINK_PER_ADDRESS = 0
    response = Client().get(reverse("intake:start", args=["x"]))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.RATELIMIT_WINDOW_SECONDS
    assert b"Please wait a few minutes" in response.content


def test_it_limits_the_wizard_pages_per_link(settings, link_client):
    settings.RATELIMIT_PAGE_PER_LINK = 4
    url = reverse("intake:step", args=["about"])
    statuses = [link_client.get(url).status_code for _ in range(6)]
    assert statuses == [200] * 4 + [429] * 2


def test_it_counts_each_address_on_its_own(settings, db):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    assert Client(REMOTE_ADDR="192.0.2.1").get(reverse("intake:start", args=["a"])).status_code == 404
    assert Client(REMOTE_ADDR="192.0.2.1").get(reverse("intake:start", args=["b"])).status_code == 429
    assert Client(REMOTE_ADDR="192.0.2.2").get(reverse("intake:start", args=["c"])).status_code == 404


def test_it_lets_patients_through_when_redis_is_down(settings, db):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 1}}}
    settings.RATELIMIT_LINK_PER_ADDRESS = 0
    assert Client().get(reverse("intake:start", args=["x"])).status_code == 404


def test_it_lets_patients_through_when_another_cache_fails(settings, db, monkeypatch):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["default"], "add", down)
    settings.RATELIMIT_LINK_PER_ADDRESS = 0
    assert Client().get(reverse("intake:start", args=["x"])).status_code == 404


def test_it_counts_in_redis_in_one_round_trip(settings, db):
    import redis

    # The suite runs against the real Redis on this machine (README "Test"); no Redis is a failure, not a skip.
    redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/14", "KEY_PREFIX": "clinic-test"}}
    settings.RATELIMIT_LINK_PER_ADDRESS = 2
    statuses = [Client().get(reverse("intake:start", args=[f"t{i}"])).status_code for i in range(3)]
    assert statuses == [404, 404, 429]


def test_it_can_be_switched_off(settings, db):
    settings.RATELIMIT_ENABLED = False
    settings.RATELIMIT_LINK_PER_ADDRESS = 0
    assert Client().get(reverse("intake:start", args=["x"])).status_code == 404
