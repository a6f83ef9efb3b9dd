"""Intake.unacknowledged: the worklist's "unacknowledged first", stored so PostgreSQL pages the worklist from an index
(issue #7). It must always equal what it stands for: a failed summary, or a flag still awaiting acknowledgement."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from intake import services as intake_services
from intake.clinician import services
from intake.clinician.demo import bulk_seed
from intake.models import Flag, Intake

from .factories import ANSWERS, make_failed_intake, make_intake, make_patient


def live(intake: Intake) -> bool:
    """What the stored column stands for, read from the flags themselves."""
    intake.refresh_from_db()
    return intake.triage_failed or intake.flags.filter(acknowledged_at__isnull=True).exists()


def stored(intake: Intake) -> bool:
    return Intake.objects.values_list("unacknowledged", flat=True).get(pk=intake.pk)


def test_a_submitted_intake_with_flags_waits_until_its_last_flag_is_acknowledged(db, clinician):
    intake = make_intake("ED_NOW")
    flags = list(intake.flags.order_by("id"))
    assert len(flags) == 3  # HA-THUNDER, HA-NEW-PATTERN, HA-VALSALVA
    assert stored(intake) is True
    for flag in flags[:-1]:
        services.flag_acknowledge(flag=flag, user=clinician, note="seen")
        assert stored(intake) is True == live(intake)
    services.flag_acknowledge(flag=flags[-1], user=clinician, note="seen")
    assert stored(intake) is False == live(intake)


def test_an_intake_without_flags_waits_for_nothing(db):
    assert stored(make_intake("NONE")) is False


def test_a_failed_summary_waits_for_manual_review_however_it_was_stored(db, monkeypatch):
    assert stored(make_failed_intake()) is True  # Intake.objects.create, as imports and tests do

    def explode(_answers):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(intake_services, "evaluate_valid", explode)
    failed = intake_services.intake_submit(
        patient=make_patient(), answers=ANSWERS["NONE"], privacy_accepted=True, checkins_opt_in=False
    )
    assert failed.triage_failed and stored(failed) is True


def test_a_second_acknowledgement_changes_nothing(db, clinician):
    intake = make_intake("ROUTINE")
    (flag,) = intake.flags.all()
    services.flag_acknowledge(flag=flag, user=clinician, note="")
    with pytest.raises(services.FlagAlreadyAcknowledged):
        services.flag_acknowledge(flag=flag, user=clinician, note="")
    assert stored(intake) is False


def test_refresh_restores_the_column_from_the_flags(db, clinician):
    waiting, done, failed = make_intake("SAME_DAY"), make_intake("ROUTINE"), make_failed_intake()
    for flag in done.flags.all():
        services.flag_acknowledge(flag=flag, user=clinician, note="")
    Intake.objects.update(unacknowledged=False)
    services.intake_refresh_unacknowledged(Intake.objects.all())
    assert [stored(i) for i in (waiting, done, failed)] == [True, False, True]


def test_the_demo_seeder_sets_it_as_the_flags_say(db):
    bulk_seed(300)
    intakes = list(Intake.objects.all())
    assert {stored(i) for i in intakes} == {True, False}
    assert all(stored(i) == live(i) for i in intakes)


def test_the_worklist_moves_an_intake_down_once_its_flags_are_acknowledged(clinician_client, clinician):
    first, second = make_intake("SAME_DAY"), make_intake("SAME_DAY")  # same tier: the older comes first
    url = reverse("clinician:worklist")
    assert [r.pk for r in clinician_client.get(url).context["rows"]] == [first.pk, second.pk]
    for flag in first.flags.all():
        services.flag_acknowledge(flag=flag, user=clinician, note="called the patient")
    assert [r.pk for r in clinician_client.get(url).context["rows"]] == [second.pk, first.pk]


@pytest.mark.django_db(transaction=True)
def test_two_clinicians_acknowledging_the_last_two_flags_at_once_leave_nothing_waiting(clinician):
    """Acknowledgements of one intake are serialised on its row: without the lock, each would see the other's flag
    still pending and both would leave `unacknowledged` set."""
    intake = make_intake("SAME_DAY")  # MH-SI and CAD-RISK
    mine, theirs = intake.flags.order_by("id")
    done = threading.Event()
    errors: list[BaseException] = []

    def acknowledge_theirs():
        try:
            services.flag_acknowledge(flag=theirs, user=clinician, note="called")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()
            done.set()

    with transaction.atomic():
        # Another clinician's acknowledgement in progress: the intake's row locked, the flag not yet committed.
        list(Intake.objects.select_for_update().filter(pk=intake.pk))
        Flag.objects.filter(pk=mine.pk).update(acknowledged_at=intake.submitted_at)
        worker = threading.Thread(target=acknowledge_theirs)
        worker.start()
        time.sleep(0.5)
        assert not done.is_set(), "flag_acknowledge did not wait for the intake's row lock"
        services.intake_refresh_unacknowledged(Intake.objects.filter(pk=intake.pk))
    worker.join(10)
    assert done.is_set() and not errors
    assert stored(intake) is False == live(intake)
    assert connection.vendor == "postgresql"


# ---------------------------------------------------------------- check-in responses: a column the database computes
def response_stored(response) -> bool:
    from intake.checkins.models import CheckInResponse

    return CheckInResponse.objects.values_list("unacknowledged", flat=True).get(pk=response.pk)


def test_a_check_in_answer_with_a_flag_waits_until_a_clinician_has_reviewed_it(db, clinician):
    from intake.checkins import services as checkin_services

    from .factories import answer_checkin

    flagged = answer_checkin(make_intake("NONE"), "week2", nprs_back=3, ces_saddle_numbness="yes")
    assert flagged.tier_rank > 0 and response_stored(flagged) is True
    checkin_services.response_acknowledge(response=flagged, user=clinician, note="phoned")
    assert response_stored(flagged) is False  # the database recomputes it on the UPDATE


def test_a_check_in_answer_without_a_flag_waits_for_nothing(db):
    from .factories import answer_checkin

    quiet = answer_checkin(make_intake("NONE"), "week2", nprs_back=2)
    assert quiet.tier_rank == 0 and response_stored(quiet) is False


def test_a_check_in_answer_whose_summary_failed_waits_for_review(db):
    from intake.checkins.models import CheckInResponse

    from .factories import answer_checkin

    answered = answer_checkin(make_intake("NONE"), "week2", nprs_back=2)
    CheckInResponse.objects.filter(pk=answered.pk).update(triage_status="failed", tier_rank=9)
    assert response_stored(answered) is True
