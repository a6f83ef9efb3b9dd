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


def test_the_worklists_clinician_filter_follows_staff_changes_at_once(cached, db, django_assert_num_queries):
    from django.contrib.auth.models import Group

    from intake.clinician.roles import CLINICIAN
    from intake.clinician.selectors.worklist import clinician_choices
    from tests.clinician.factories import make_user

    ann = make_user(CLINICIAN, first_name="Ann", last_name="Ames")
    assert clinician_choices() == [(str(ann.pk), "Ann Ames")]
    with django_assert_num_queries(0):
        assert clinician_choices() == [(str(ann.pk), "Ann Ames")]  # kept within the TTL
    bob = make_user(CLINICIAN, first_name="Bob", last_name="Burns")  # a new clinician
    assert clinician_choices() == [(str(ann.pk), "Ann Ames"), (str(bob.pk), "Bob Burns")]
    bob.groups.remove(Group.objects.get(name=CLINICIAN))  # no longer a clinician: an m2m change, no save
    assert clinician_choices() == [(str(ann.pk), "Ann Ames")]
    ann.first_name = "Anna"
    ann.save()
    assert clinician_choices() == [(str(ann.pk), "Anna Ames")]
    ann.is_active = False
    ann.save()
    assert clinician_choices() == []
