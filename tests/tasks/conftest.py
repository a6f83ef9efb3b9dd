"""Reliability tests of the check-ins with real services, never eager mode (design.md): a real Celery worker (in
this process via celery.contrib.testing, or a `celery -A clinic worker` subprocess) on the real Redis, the real
PostgreSQL test database, and a real SMTP server (aiosmtpd on 127.0.0.1, a free port) that records every message.

Run with REDIS_URL pointing at a Redis DB 10–14 (each test flushes it) and DATABASE_URL at PostgreSQL, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_checkins REDIS_URL=redis://127.0.0.1:6379/12 \
        .venv/bin/python -m pytest tests/tasks -q
"""

from __future__ import annotations

import asyncio
import email
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
LINK = re.compile(r"https?://[^\s\"<>]+/checkin/(?!stop/)[^\s\"<>/]+/")


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    match = re.fullmatch(r"redis://[^/]+/(\d+)", url)
    if not match or not 10 <= int(match.group(1)) <= 14:
        # A misconfigured run is an error, never a silent skip: these are the reliability tests.
        pytest.fail("tests/tasks need REDIS_URL=redis://host:port/N with N in 10–14 (the DB is flushed)")
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


# ---------------------------------------------------------------- the SMTP server
class Sink:
    """An aiosmtpd handler that keeps every accepted message. `refuse` answers 451 to the first N DATA commands;
    `hold()` makes RCPT wait (before any DATA is sent) until `release()`, so a test can kill a worker while it is
    in the middle of an SMTP conversation whose message the server has not accepted."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.refuse = 0
        self.refused = 0
        self.waiting = 0
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            self.waiting += 1
        try:
            while not self._open.is_set():
                await asyncio.sleep(0.01)
        finally:
            with self._lock:
                self.waiting -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def hold(self):
        self._open.clear()

    def release(self):
        self._open.set()

    # -- reading what arrived
    def of_kind(self, kind: str) -> list:
        return [m for m in self.messages if (m.get("X-Clinic-Checkin") or "").endswith(f" {kind}")]

    def checkin_ids(self, kind: str = "invitation") -> list[int]:
        return [int(m["X-Clinic-Checkin"].split()[0]) for m in self.of_kind(kind)]

    def alerts(self) -> list:
        return [m for m in self.messages if m.get("X-Clinic-Checkin-Alert")]

    @staticmethod
    def parts(message) -> dict[str, str]:
        out = {}
        for part in message.walk():
            if part.get_content_maintype() == "text":
                charset = part.get_content_charset() or "utf-8"
                out[part.get_content_type()] = part.get_payload(decode=True).decode(charset)
        return out

    @classmethod
    def link(cls, message) -> str:
        return LINK.search(cls.parts(message)["text/plain"]).group(0)


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), server_hostname="sink.test")
    controller.start()
    sink.port = controller.port
    yield sink
    sink.release()
    controller.stop()


# ---------------------------------------------------------------- settings shared by this process and workers
FAST = {
    "CHECKIN_SENDING_TIMEOUT_SECONDS": 3,
    "CHECKIN_REENQUEUE_AFTER_SECONDS": 2,
    "CHECKIN_RETRY_BASE_SECONDS": 1,
    "CHECKIN_MAX_SEND_ATTEMPTS": 4,
}


@pytest.fixture
def mail_to_sink(settings, smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_TIMEOUT = 5
    settings.CLINIC_ALERT_EMAIL = "clinician@example.org"
    settings.SITE_URL = "http://testserver"
    for key, value in FAST.items():
        setattr(settings, key, value)
    return smtp


@pytest.fixture
def broker():
    """The real Redis DB of REDIS_URL, flushed before and after."""
    import redis

    client = redis.Redis.from_url(_redis_url())
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


# ---------------------------------------------------------------- workers
@pytest.fixture
def worker(transactional_db, broker, mail_to_sink):
    """A real Celery worker in this process (threads pool), consuming from the real Redis."""
    from celery.contrib.testing.worker import start_worker

    from clinic.celery import app

    assert not app.conf.task_always_eager, "tests/tasks need REDIS_URL: a real broker, not eager mode"
    with start_worker(
        app, pool="threads", concurrency=4, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ) as w:
        yield w


def database_url(db: dict) -> str:
    """The test database (pytest-django's test_<name>), for a subprocess that must see its committed rows."""
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """`celery -A clinic worker` as a subprocess on the test database (rows must be committed to be seen)."""

    def __init__(self, smtp_port: int, name: str, concurrency: int = 4):
        db = connection.settings_dict
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": database_url(db),
                "REDIS_URL": _redis_url(),
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port),
                "CLINIC_ALERT_EMAIL": "clinician@example.org",
                "SITE_URL": "http://testserver",
                "LOG_LEVEL": "WARNING",
                **{k: str(v) for k, v in FAST.items()},
            }
        )
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "clinic",
                "worker",
                "-P",
                "prefork",
                "-c",
                str(concurrency),
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill(self):
        """SIGKILL the whole worker (main process and pool children), as the OOM killer or a crashed host would."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_processes(transactional_db, broker, mail_to_sink):
    started: list[WorkerProcess] = []

    def start(name: str, concurrency: int = 4) -> WorkerProcess:
        w = WorkerProcess(mail_to_sink.port, name, concurrency)
        started.append(w)
        return w

    yield start
    for w in started:
        w.kill()


# ---------------------------------------------------------------- check-ins made due now
def daytime_zone() -> str:
    """A fixed-offset zone where it is about noon now, so a test never runs into the patient's quiet hours."""
    offset = 12 - timezone.now().hour
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def night_zone() -> str:
    offset = 23 - timezone.now().hour
    offset = offset - 24 if offset > 14 else offset
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def make_due(checkin, *, days_ago_intake: int | None = None):
    """Time travel: the intake was submitted at the check-in's target day in the past, and its window is open."""
    from intake.checkins.models import CheckIn
    from intake.models import Intake
    from intake.triage.checkin_schema import TIME_POINTS

    now = timezone.now()
    days = TIME_POINTS[checkin.time_point]["target_day"] if days_ago_intake is None else days_ago_intake
    Intake.objects.filter(pk=checkin.plan.intake_id).update(submitted_at=now - timedelta(days=days))
    CheckIn.objects.filter(pk=checkin.pk).update(
        send_after=now - timedelta(seconds=1),
        due_at=now - timedelta(seconds=1),
        window_opens_at=now - timedelta(days=2),
        window_closes_at=now + timedelta(days=5),
        expires_at=now + timedelta(days=12),
    )
    checkin.refresh_from_db()
    return checkin


def sweep():
    from intake.checkins import services, tasks

    return services.checkins_sweep(publish=tasks.publish_many)


def sweep_until(predicate, timeout: float = 30.0, what: str = "condition"):
    """Be beat: sweep every 0.2 s until `predicate()` holds."""
    return wait_for(lambda: (sweep(), predicate())[1], timeout=timeout, interval=0.2, what=what)
