"""Check-in settings: the environment sets the infrastructure, the admin (CheckInSchedule) the clinic's choices.

Each value reads a Django setting of the same name first (tests override those), then the environment variable
(README "Configure"), then the default. Bad values stop start-up with ImproperlyConfigured (clinic/env.py).
"""

from __future__ import annotations

from django.conf import settings

from clinic.env import env_bool, env_int, env_str


def _int(name: str, default: int) -> int:
    return getattr(settings, name, None) if getattr(settings, name, None) is not None else env_int(name, default)


def sending_timeout() -> int:
    """Seconds after which a row still `sending` is claimed again (its worker died mid-send)."""
    return _int("CHECKIN_SENDING_TIMEOUT_SECONDS", 600)


def reenqueue_after() -> int:
    """Seconds after which beat sends the task of a due row again (its message may have been lost)."""
    return _int("CHECKIN_REENQUEUE_AFTER_SECONDS", 300)


def retry_base() -> int:
    """First SMTP retry delay in seconds; doubled on each attempt (exponential backoff), capped at one hour."""
    return _int("CHECKIN_RETRY_BASE_SECONDS", 60)


def max_attempts() -> int:
    """Send attempts before a row is `failed` (shown to staff in the admin)."""
    return _int("CHECKIN_MAX_SEND_ATTEMPTS", 5)


def sweep_batch() -> int:
    """Rows enqueued per query by one beat sweep (it loops until nothing is due or sweep_limit is reached)."""
    return _int("CHECKIN_SWEEP_BATCH", 1000)


def sweep_limit() -> int:
    return _int("CHECKIN_SWEEP_LIMIT", 50000)


def beat_seconds() -> int:
    """How often beat (or the embedded runner) sweeps for due work; clinic/settings.py CELERY_BEAT_SCHEDULE."""
    return _int("CHECKIN_BEAT_SECONDS", 60)


def quiet_hours() -> tuple[int, int]:
    """No patient e-mail from QUIET_START:00 to QUIET_END:00 in the patient's time zone (issue #6: 21:00–08:00)."""
    return _int("CHECKIN_QUIET_START", 21), _int("CHECKIN_QUIET_END", 8)


def embedded_runner() -> bool:
    """Without REDIS_URL, `manage.py runserver` also runs the due check-ins in a thread (README "Configure")."""
    value = getattr(settings, "CHECKIN_EMBEDDED_RUNNER", None)
    return env_bool("CHECKIN_EMBEDDED_RUNNER", True) if value is None else bool(value)


def alert_email_fallback() -> str:
    return getattr(settings, "CLINIC_ALERT_EMAIL", "") or env_str("CLINIC_ALERT_EMAIL", "")


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")
