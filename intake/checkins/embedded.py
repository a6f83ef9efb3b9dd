"""The embedded default (README "Configure"): without REDIS_URL, Celery runs tasks eagerly in-process, and this
thread does beat's job inside `manage.py runserver` — every CHECKIN_BEAT_SECONDS it runs the sweep, which sends
the due check-ins, reminders and alerts right there. A newcomer's `./scripts/run` delivers check-ins (to the
console e-mail backend) with nothing else installed. With REDIS_URL, beat and a worker do this instead.

`manage.py run_due_checkins [--loop]` runs the same sweep from a shell or cron for any other setup without Redis.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

log = logging.getLogger(__name__)

_started = threading.Event()
_stop = threading.Event()


def sweep_once() -> dict:
    from . import services, tasks

    return services.checkins_sweep(publish=tasks.publish_many)


def _loop(interval: float) -> None:
    while not _stop.is_set():
        close_old_connections()  # a long-lived thread, like a request: drop broken or expired connections
        try:
            counts = sweep_once()
            if any(counts.values()):
                log.info("check-ins: %s", counts)
        except Exception:  # noqa: BLE001 - keep the dev server's runner alive (e.g. before `migrate`)
            log.exception("check-in sweep failed; trying again in %ss", interval)
        _stop.wait(interval)


def start(interval: float) -> bool:
    """Start the runner thread once per process. Returns False when it was already running."""
    if _started.is_set():
        return False
    _started.set()
    thread = threading.Thread(target=_loop, args=(interval,), name="checkins-runner", daemon=True)
    thread.start()
    log.info("check-ins: embedded runner started (every %ss, tasks in-process; set REDIS_URL for a worker)", interval)
    return True
