"""Faults: racing workers, a worker SIGKILLed mid-batch, a refusing SMTP server, Redis down during a submit.

"Exactly once" is counted at the SMTP server: each check-in's invitation carries its id (X-Clinic-Checkin)."""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.urls import reverse

from clinic.celery import app
from intake.checkins import tasks
from intake.checkins.models import CheckIn, CheckInResponse

from .conftest import daytime_zone, free_port, sweep, sweep_until, wait_for
from .factories import due_checkin, many_due_checkins, week6_form_data

S = CheckIn.Status


def _sent(ids) -> int:
    return CheckIn.objects.filter(pk__in=ids, status=S.SENT).count()


def test_two_workers_racing_for_the_same_due_batch_send_each_checkin_once(worker_processes, mail_to_sink):
    ids = many_due_checkins(60)
    first, second = worker_processes("race1"), worker_processes("race2")

    # Both workers get a message for every row: the batch is published twice, and two beats sweep at once.
    tasks.publish_many("checkins", ids)
    tasks.publish_many("checkins", ids)
    beats = [threading.Thread(target=sweep) for _ in range(2)]
    for beat in beats:
        beat.start()
    for beat in beats:
        beat.join()

    wait_for(lambda: _sent(ids) == 60, timeout=40, what="60 rows sent")
    time.sleep(1.0)  # any duplicate would arrive now
    counts = Counter(mail_to_sink.checkin_ids())
    assert sorted(counts) == sorted(ids)
    assert set(counts.values()) == {1}
    assert first.proc.poll() is None and second.proc.poll() is None


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(worker_processes, mail_to_sink):
    ids = many_due_checkins(200)
    doomed = worker_processes("doomed")
    sweep()  # beat: 200 messages on Redis

    wait_for(lambda: len(mail_to_sink.messages) >= 50, timeout=40, what="50 e-mails")
    mail_to_sink.hold()  # the next SMTP conversations stop before DATA: sends in flight when the worker dies
    wait_for(lambda: mail_to_sink.waiting >= 2, what="sends in flight")
    in_flight = CheckIn.objects.filter(pk__in=ids, status=S.SENDING).count()
    doomed.kill()  # SIGKILL, main process and pool children
    delivered_before = len(mail_to_sink.messages)
    mail_to_sink.release()
    assert in_flight >= 2, "the kill must land in the middle of sends"
    assert 50 <= delivered_before < 200
    assert CheckIn.objects.filter(pk__in=ids, status=S.SENDING).count() >= 2  # stuck rows, and unacked messages

    worker_processes("rescuer")
    sweep_until(lambda: _sent(ids) == 200, timeout=60, what="all 200 sent after the restart")
    time.sleep(1.0)

    counts = Counter(mail_to_sink.checkin_ids())
    assert len(mail_to_sink.messages) == 200
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
    assert CheckIn.objects.filter(pk__in=ids, attempts__gte=2).count() >= in_flight  # reclaimed after the timeout


def test_smtp_refusals_are_retried_with_backoff_then_sent_once(worker, mail_to_sink):
    mail_to_sink.refuse = 2  # 451 for the first two attempts
    checkin = due_checkin("week2")
    started = time.monotonic()

    sweep_until(lambda: CheckIn.objects.get(pk=checkin.pk).status == S.SENT, timeout=30, what="sent")

    checkin.refresh_from_db()
    assert mail_to_sink.refused == 2
    assert mail_to_sink.checkin_ids() == [checkin.pk]
    assert checkin.attempts == 3 and checkin.last_error == ""
    assert time.monotonic() - started >= 1 + 2  # backoff 1 s, then 2 s (CHECKIN_RETRY_BASE_SECONDS=1)


def test_after_the_last_try_the_row_is_failed_and_staff_see_it(worker, mail_to_sink, client, settings):
    settings.CHECKIN_MAX_SEND_ATTEMPTS = 3
    mail_to_sink.refuse = 100
    checkin = due_checkin("week2")

    sweep_until(lambda: CheckIn.objects.get(pk=checkin.pk).status == S.FAILED, timeout=40, what="failed")

    checkin.refresh_from_db()
    assert checkin.attempts == 3 and "451" in checkin.last_error
    assert mail_to_sink.messages == []
    staff = get_user_model().objects.create_superuser("admin", "admin@example.org", "a long password 123")
    client.force_login(staff)
    page = client.get(reverse("admin:checkins_checkin_changelist"), {"status__exact": "failed"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1 and "Failed: not sent" in page.content.decode()


def test_with_redis_down_a_submit_is_saved_and_after_redis_is_back_the_checkins_go_out(
    transactional_db, broker, mail_to_sink, client, monkeypatch
):
    from celery.contrib.testing.worker import start_worker

    from tests.web.conftest import example, walk

    from .conftest import make_due

    real_broker = app.conf.broker_url
    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/12")  # nothing listens there

    # An intake through the wizard, with consent to check-ins: saved, and the patient sees the normal screen.
    from intake import services

    invitation, raw = services.invitation_create(email="rita@example.org", first_name="Rita")
    type(invitation.patient).objects.filter(pk=invitation.patient_id).update(time_zone=daytime_zone())
    assert client.get(reverse("intake:start", args=[raw])).status_code == 200
    walk(client, example("V1"))
    started = time.monotonic()
    done = client.post(reverse("intake:submit"), {"privacy": "on", "checkins": "on"})
    assert done.status_code == 302, done.content[:500]
    assert client.get(done["Location"]).status_code == 200
    assert time.monotonic() - started < 3
    rows = CheckIn.objects.filter(plan__intake__invitation=invitation).order_by("due_at")
    assert [r.time_point for r in rows] == ["week2", "week6", "week12"]
    assert {r.status for r in rows} == {S.SCHEDULED}

    # A check-in answer that alerts the clinician also publishes (on commit): quick, saved, alert left pending.
    week2 = make_due(rows[0])
    from intake.checkins import links

    started = time.monotonic()
    answer = client.post(reverse("checkins:form", args=[links.checkin_token(week2)]), week6_form_data(pgic="7"))
    assert answer.status_code == 302 and time.monotonic() - started < 3
    response = CheckInResponse.objects.get(checkin=week2)
    assert response.alert_status == CheckInResponse.AlertStatus.PENDING

    # Redis is back: the due check-in and the alert go out at once; the later ones stay scheduled, on time.
    monkeypatch.setattr(app.conf, "broker_url", real_broker)
    week6 = make_due(rows[1], days_ago_intake=14)  # due now as well
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"):
        sweep_until(lambda: mail_to_sink.of_kind("invitation") and mail_to_sink.alerts(), what="invitation + alert")
    assert mail_to_sink.checkin_ids() == [week6.pk]
    assert mail_to_sink.alerts()[0]["To"] == "clinician@example.org"
    assert CheckIn.objects.get(pk=rows[2].pk).status == S.SCHEDULED
