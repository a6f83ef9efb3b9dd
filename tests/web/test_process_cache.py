"""Clinic set-up rows kept per worker process (intake/process_cache.py, issue #7): read once per
CLINIC_SETTINGS_CACHE_SECONDS, and dropped at once when this process saves or deletes one."""

from __future__ import annotations

import pytest

from intake import process_cache
from intake import wizard as wz
from intake.checkins.models import CheckInSchedule
from intake.checkins.services import _SCHEDULE
from tests.web.conftest import ISI_PACK


@pytest.fixture
def cached(settings):
    settings.CLINIC_SETTINGS_CACHE_SECONDS = 30
    process_cache.clear_all()
    yield
    process_cache.clear_all()


def test_it_reads_the_packs_once_within_the_ttl(cached, load_pack, django_assert_num_queries):
    load_pack("isi", ISI_PACK)
    assert set(wz.active_packs()) == {"isi"}
    with django_assert_num_queries(0):
        assert set(wz.active_packs()) == {"isi"}


def test_a_saved_pack_shows_at_once_in_this_process(cached, load_pack):
    assert wz.active_packs() == {}
    pack = load_pack("isi", ISI_PACK)
    assert set(wz.active_packs()) == {"isi"}
    pack.delete()
    assert wz.active_packs() == {}


def test_it_reads_again_after_the_ttl(cached, load_pack, monkeypatch):
    assert wz.active_packs() == {}
    from intake.models import ContentPack

    # bulk_create sends no signal: as if another worker process had saved it
    ContentPack.objects.bulk_create([ContentPack(instrument="isi", content=ISI_PACK, copyright_notice="©")])
    assert wz.active_packs() == {}  # another process's change: not seen yet
    clock = process_cache.time.monotonic() + 31
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: clock)
    assert set(wz.active_packs()) == {"isi"}


def test_it_never_keeps_them_when_the_ttl_is_zero(settings, load_pack, django_assert_num_queries):
    settings.CLINIC_SETTINGS_CACHE_SECONDS = 0
    wz.active_packs()
    with django_assert_num_queries(1):
        wz.active_packs()


def test_a_changed_schedule_is_used_at_once(cached, db):
    assert _SCHEDULE.get().week2 is True
    schedule = CheckInSchedule.current()
    schedule.week2 = False
    schedule.save()
    assert _SCHEDULE.get().week2 is False


def test_callers_cannot_change_the_kept_packs(cached, load_pack):
    load_pack("isi", ISI_PACK)
    wz.active_packs().clear()
    assert set(wz.active_packs()) == {"isi"}
