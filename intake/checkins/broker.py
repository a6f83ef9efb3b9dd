"""Publishing tasks from a web request: short timeouts, no retries, never an exception (design.md).

The rows are the source of truth, so a message that cannot be published now is not lost: beat (or the embedded
runner) finds the row and sends it when the broker is back. A patient's submit must never hang or fail on Redis.
"""

from __future__ import annotations

import logging
import time

from clinic.celery import app

log = logging.getLogger(__name__)

# Seconds: the broker is on the local network; a slower answer means it is down.
PUBLISH_TIMEOUT = 2


def publish(task, *args) -> bool:
    """Send `task(*args)` to the broker. Returns False (and logs) when the broker is unreachable."""
    started = time.monotonic()
    try:
        if app.conf.task_always_eager:
            task.apply(args=args)
            return True
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=PUBLISH_TIMEOUT)
            task.apply_async(args=args, connection=connection, retry=False)
        return True
    except Exception as exc:  # noqa: BLE001 - any broker failure is logged and left to the beat sweep
        log.warning(
            "could not publish %s%r (%.1fs): %s; beat will pick it up", task.name, args, time.monotonic() - started, exc
        )
        return False
