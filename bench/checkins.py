"""Prints check-ins delivered per second for N due check-ins end to end — `celery beat` → its sweep → `celery worker`
→ an SMTP sink — and the same worker's throughput for a no-op task on the same broker, with their ratio.

Uses its own PostgreSQL database (created and dropped) and Redis DB (flushed), so it never touches other data:

    .venv/bin/python bench/checkins.py [--n 10000] [--concurrency 4] \
        [--db postgres://postgres@127.0.0.1:5432/clinic_bench_checkins] [--redis redis://127.0.0.1:6379/14]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Sink:
    """Counts accepted messages; nothing else (the sink must not be the bottleneck)."""

    def __init__(self):
        self.count = 0
        self.first = self.last = None
        self.ids: set[bytes] = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        head = envelope.content[: envelope.content.find(b"\r\n\r\n")]
        start = head.find(b"X-Clinic-Checkin: ")
        ident = head[start + 18 : head.find(b"\r\n", start)] if start >= 0 else b""
        with self.lock:
            self.count += 1
            self.ids.add(ident)
            self.first = self.first or now
            self.last = now
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str, url: str) -> None:
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL)


def spawn(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def make_due(n: int) -> None:
    """n consenting patients, each with one 2-week check-in due now, in a zone where it is daytime (quiet hours)."""
    from datetime import timedelta

    from django.utils import timezone

    from intake.checkins.models import CheckIn, CheckInPlan
    from intake.demo import demo_answers
    from intake.models import TIER_RANK, Intake, Patient
    from intake.triage import evaluate

    now = timezone.now()
    offset = 12 - now.hour
    zone = "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
    _first, _last, answers = demo_answers(0)
    summary = evaluate(answers)
    for start in range(0, n, 2000):
        size = min(2000, n - start)
        patients = Patient.objects.bulk_create(
            Patient(first_name=f"B{i}", last_name="Bench", email=f"b{i}@example.org", time_zone=zone)
            for i in range(start, start + size)
        )
        intakes = Intake.objects.bulk_create(
            Intake(
                patient=p,
                answers=answers,
                summary=summary,
                rules_version=summary["rules_version"],
                triage_status="ok",
                overall_tier=summary["overall_tier"],
                tier_rank=TIER_RANK[summary["overall_tier"]],
                submitted_at=now - timedelta(days=14),
                privacy_accepted_at=now,
                checkins_opt_in=True,
                checkins_opt_in_at=now,
            )
            for p in patients
        )
        plans = CheckInPlan.objects.bulk_create(
            CheckInPlan(intake=i, patient=i.patient, time_zone=zone) for i in intakes
        )
        CheckIn.objects.bulk_create(
            CheckIn(
                plan=plan,
                patient=plan.patient,
                time_point="week2",
                target_at=now,
                window_opens_at=now - timedelta(days=2),
                window_closes_at=now + timedelta(days=4),
                expires_at=now + timedelta(days=11),
                due_at=now - timedelta(seconds=1),
                send_after=now - timedelta(seconds=1),
            )
            for plan in plans
        )


def wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/clinic_bench_checkins")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    opts = parser.parse_args()
    if opts.redis.rstrip("/").split("/")[-1] not in {str(n) for n in range(1, 15)}:
        raise SystemExit("use a dedicated Redis DB number (it is flushed), e.g. redis://127.0.0.1:6379/14")

    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port(), server_hostname="sink.bench")
    smtp.start()
    schedule = tempfile.NamedTemporaryFile(prefix="celerybeat-bench-", delete=False).name
    env = dict(
        os.environ,
        DATABASE_URL=opts.db,
        REDIS_URL=opts.redis,
        DJANGO_SETTINGS_MODULE="clinic.settings",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        SITE_URL="http://bench.test",
        CHECKIN_BEAT_SECONDS="1",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    procs: list[subprocess.Popen] = []
    psql(f"DROP DATABASE IF EXISTS {opts.db.rsplit('/', 1)[1]}", opts.db)
    psql(f"CREATE DATABASE {opts.db.rsplit('/', 1)[1]}", opts.db)
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        import redis

        from clinic.celery import app
        from intake.checkins.models import CheckIn, CheckInSchedule

        broker = redis.Redis.from_url(opts.redis)
        broker.flushdb()
        schedule_row = CheckInSchedule.current()
        schedule_row.reminder_after_days = 0
        schedule_row.save()
        started = time.monotonic()
        make_due(opts.n)
        print(f"{opts.n} due check-ins created in {time.monotonic() - started:.1f}s; worker -c {opts.concurrency}")

        worker = spawn(
            [
                "worker",
                "-c",
                str(opts.concurrency),
                "-n",
                "bench@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "WARNING",
            ],
            env,
        )
        procs.append(worker)
        wait(lambda: app.control.ping(timeout=0.5), 60, "the worker")

        # 1. End to end: beat starts, sweeps every second; the clock runs until the last e-mail is accepted.
        t0 = time.monotonic()
        procs.append(spawn(["beat", "-s", schedule, "-l", "WARNING"], env))
        wait(lambda: sink.count >= opts.n, 1800, f"{opts.n} e-mails")
        elapsed = sink.last - t0
        steady = (opts.n - 1) / (sink.last - sink.first) if sink.last > sink.first else float("nan")
        sent = CheckIn.objects.filter(status="sent").count()
        e2e = opts.n / elapsed
        print(
            f"check-ins: {opts.n} delivered in {elapsed:.1f}s from beat start = {e2e:.0f}/s end to end "
            f"({steady:.0f}/s from first to last e-mail); {sent} rows sent, {len(sink.ids)} distinct, "
            f"{sink.count} e-mails"
        )
        stop(procs.pop())  # beat

        # 2. The same worker, the same broker, a task that does nothing.
        from intake.checkins.tasks import noop

        def done() -> int:
            stats = app.control.inspect(timeout=1.0).stats() or {}
            return sum(s.get("total", {}).get("checkins.noop", 0) for s in stats.values())

        app.control.cancel_consumer("celery", reply=True)
        with app.producer_or_acquire() as producer:
            for _ in range(opts.n):
                noop.apply_async(producer=producer)
        t1 = time.monotonic()
        app.control.add_consumer("celery", reply=True)
        wait(lambda: done() >= opts.n, 900, f"{opts.n} no-op tasks")
        noop_rate = opts.n / (time.monotonic() - t1)
        print(f"no-op task: {opts.n} in {opts.n / noop_rate:.1f}s = {noop_rate:.0f}/s on the same worker and broker")
        print(f"ratio check-ins / no-op: {e2e / noop_rate:.2f} (steady state {steady / noop_rate:.2f})")
    finally:
        for proc in reversed(procs):
            stop(proc)
        smtp.stop()
        try:
            import redis

            redis.Redis.from_url(opts.redis).flushdb()
        except Exception as exc:  # noqa: BLE001 - cleanup is best effort, and said so
            print(f"could not flush {opts.redis}: {exc}", file=sys.stderr)
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {opts.db.rsplit('/', 1)[1]}", opts.db)
        for path in (schedule, schedule + ".db", schedule + ".dat", schedule + ".dir", schedule + ".bak"):
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
