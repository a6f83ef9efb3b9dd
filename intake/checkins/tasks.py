"""Celery tasks: thin, take primary keys, safe to run twice (design.md). The due time of every e-mail lives in its
row, never in a task's ETA/countdown; retries are rows pushed back (services.backoff), picked up by the sweep.

The periodic schedule is in clinic/settings.py (CELERY_BEAT_SCHEDULE), with every other one.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="checkins.send", acks_late=True, ignore_result=True)
def send_checkin(checkin_id: int) -> str:
    return services.checkin_send(checkin_id=checkin_id)


@shared_task(name="checkins.remind", acks_late=True, ignore_result=True)
def send_reminder(checkin_id: int) -> str:
    return services.reminder_send(checkin_id=checkin_id)


@shared_task(name="checkins.alert", acks_late=True, ignore_result=True)
def send_clinician_alert(response_id: int) -> str:
    return services.alert_send(response_id=response_id)


TASK_OF_KIND = {"checkins": send_checkin, "reminders": send_reminder, "alerts": send_clinician_alert}


def publish_many(kind: str, ids: list[int]) -> None:
    """One message per row, over one producer connection (10,000 due rows are one sweep)."""
    task = TASK_OF_KIND[kind]
    if task.app.conf.task_always_eager:
        for pk in ids:
            task.apply(args=(pk,))
        return
    with task.app.producer_or_acquire() as producer:
        for pk in ids:
            task.apply_async(args=(pk,), producer=producer)


@shared_task(name="checkins.sweep", ignore_result=True)
def sweep() -> dict:
    """Beat, each minute: mark missed windows, publish the due check-ins, reminders and clinician alerts."""
    return services.checkins_sweep(publish=publish_many)


@shared_task(name="checkins.noop", ignore_result=True)
def noop() -> None:
    """Does nothing: bench/checkins.py measures the worker's raw task throughput with it."""
