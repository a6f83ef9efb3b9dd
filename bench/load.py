"""Load test: gunicorn + PostgreSQL + Redis on this machine, production settings (HTTP allowed on the loopback only).

    .venv/bin/python bench/load.py [--users 50] [--step-users 20] [--duration 60] [--workers 3] [--intakes 10000]

It creates its own database (clinic_load), migrates and seeds it (a worklist of --intakes intakes, clinicians with
confirmed two-factor devices and signed-in, verified sessions, and one prepared patient per submission: an invitation
whose draft is complete up to the review page, with its session), starts gunicorn itself, then runs, one after
the other, each phase for --duration seconds:

1. ceiling   --users clients GET /bench/query/: a minimal Django view making one PostgreSQL query (settings.BENCH),
             served by the same gunicorn and middleware: the most this machine gives any Django page;
2. submit    --users virtual patients each POST the final submit of a prepared draft (validate, triage, save,
             redirect: the real wizard view), then take the next prepared patient;
3. mixed     80 % patients submitting and 20 % clinicians paging the worklist (10 intakes per page ... all pages);
4. wizard    --step-users users: 75 % patients walking the whole wizard from their link (every step page and its
             POST, the review, the submit and the result), 25 % clinicians paging the worklist;
5. paced     the same users, each pausing about --think seconds (uniform 0.5x-1.5x) before each page, as people do.

Phases 1-4 are closed loops without think time: every user sends its next request as soon as the last one is
answered, so "N users" means N requests in flight at every moment (a saturation test, not N people).

Every response is checked (status and redirect target); any other answer is an error and is printed. Prints
p50 / p95 / p99 latency and requests per second per request kind, and the ratio of submissions per second to the
ceiling. The limiter (intake/ratelimit.py) stays on, with limits raised: every virtual user shares 127.0.0.1.
Drops the database, the Redis keys and the static files it made at the end, and stops gunicorn.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"


# ---------------------------------------------------------------- the virtual users' HTTP client
class Browser:
    """One virtual user: a keep-alive connection (re-opened when gunicorn's sync worker closes it) and cookies."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "bench/load.py"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the worker closed an idle keep-alive connection: open a new one, once
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, response.getheader("Location", ""), content


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {detail}")


def timed(stats: Stats, browser: Browser, kind: str, method: str, path: str, form: dict | None = None,
          expect: int = 200, location: str | None = None):
    start = time.perf_counter()
    try:
        status, where, body = browser.request(method, path, form)
    except Exception as exc:  # noqa: BLE001 - a failed request is an error of the run, counted and shown
        stats.add(kind, time.perf_counter() - start, False, f"{type(exc).__name__}: {exc}")
        return None
    elapsed = time.perf_counter() - start
    ok = status == expect and (location is None or urlsplit(where).path == location)
    stats.add(kind, elapsed, ok, f"{method} {path} -> {status} {where} {body[:120]!r}")
    return (status, where, body) if ok else None


def csrf_token() -> str:
    # Django accepts its unmasked 32-character secret as the form token when it equals the cookie's.
    return "".join(random.choices(string.ascii_letters + string.digits, k=32))  # noqa: S311 - not a secret here


# ---------------------------------------------------------------- virtual users
def pause(data: dict, stop: threading.Event) -> None:
    """A person's think time between pages (phase "paced" only): uniform around data["think"] seconds."""
    if data.get("think"):
        stop.wait(random.uniform(0.5, 1.5) * data["think"])  # noqa: S311


class Pool:
    def __init__(self, items: list):
        self.items, self.lock = list(items), threading.Lock()

    def take(self):
        with self.lock:
            return self.items.pop() if self.items else None


def ceiling_user(port, stats, stop, _data):
    browser = Browser(port)
    while not stop.is_set():
        timed(stats, browser, "ceiling: GET /bench/query/", "GET", "/bench/query/")


def submit_user(port, stats, stop, data):
    csrf_name = data["csrf_cookie"]
    while not stop.is_set():
        prepared = data["prepared"].take()
        if prepared is None:
            stats.add("submit: prepared patients ran out", 0.0, False, "raise the pool size")
            return
        browser = Browser(port)
        token = csrf_token()
        browser.cookies = {data["session_cookie"]: prepared, csrf_name: token}
        form = {"csrfmiddlewaretoken": token, "privacy": "on", "checkins": "on"}
        timed(stats, browser, "patient: POST submit (validate, triage, save, redirect)", "POST", "/intake/submit/",
              form, expect=302, location="/intake/result/")


def clinician_user(port, stats, stop, data):
    browser = Browser(port)
    browser.cookies = {data["session_cookie"]: random.choice(data["clinician_sessions"])}  # noqa: S311
    pages = data["worklist_pages"]
    page = random.randrange(pages)  # noqa: S311
    while not stop.is_set():
        page = page % pages + 1
        timed(stats, browser, "clinician: GET worklist page", "GET", f"/clinic/worklist/?status=all&page={page}")
        pause(data, stop)


def walker_user(port, stats, stop, data):
    """A patient from the link to the result: every step GET and POST, review, submit, result."""
    step_form = data["step_form"]
    while not stop.is_set():
        token = data["links"].take()
        if token is None:
            stats.add("wizard: links ran out", 0.0, False, "raise the pool size")
            return
        browser = Browser(port)
        got = timed(stats, browser, "wizard: GET link (start page)", "GET", f"/i/{token}/")
        if got is None:
            continue
        url = "/intake/step/about/"
        for _ in range(40):
            if stop.is_set():
                return
            if url == "/intake/review/":
                break
            slug = url.rstrip("/").rsplit("/", 1)[-1]
            pause(data, stop)
            if timed(stats, browser, f"wizard: GET step {slug}", "GET", url) is None:
                break
            pause(data, stop)
            csrf = browser.cookies.get(data["csrf_cookie"], "")
            got = timed(stats, browser, f"wizard: POST step {slug}", "POST", url,
                        {**step_form, "action": "next", "csrfmiddlewaretoken": csrf}, expect=302)
            if got is None:
                break
            url = urlsplit(got[1]).path
        else:
            continue
        pause(data, stop)
        if url != "/intake/review/" or timed(stats, browser, "wizard: GET review", "GET", url) is None:
            continue
        pause(data, stop)
        csrf = browser.cookies.get(data["csrf_cookie"], "")
        form = {"csrfmiddlewaretoken": csrf, "privacy": "on", "checkins": "on"}
        if timed(stats, browser, "wizard: POST submit", "POST", "/intake/submit/", form, expect=302,
                 location="/intake/result/") is None:
            continue
        timed(stats, browser, "wizard: GET result", "GET", "/intake/result/")
        pause(data, stop)


# ---------------------------------------------------------------- where the machine's time goes
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each process on this machine (Linux /proc), with its kind: gunicorn, postgres,
    redis, this load generator, other; pid 0 holds the cores' idle time. The difference over a phase, divided by
    its requests, is the CPU each request cost each part: what decides the requests per second on a CPU-bound
    machine."""
    found: dict[int, tuple[str, float]] = {}
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        # utime + stime, and cutime + cstime: the CPU of its children that ended (PostgreSQL's backends, gunicorn's
        # workers), so that a process ending between two readings still counts (see cpu_used).
        seconds = sum(int(v) for v in fields[11:15]) / CLK_TCK
        if int(entry) == me:
            kind = "load generator"
        elif "gunicorn" in cmdline:
            kind = "gunicorn"
        elif os.path.basename(cmdline.split("\0", 1)[0]) == "postgres" or cmdline.startswith("postgres:"):
            kind = "postgres"  # the postmaster (/usr/lib/postgresql/NN/bin/postgres), its backends and helpers
        elif "redis-server" in cmdline:
            kind = "redis"
        else:
            kind = "other"
        found[int(entry)] = (kind, seconds)
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        found[0] = ("idle", (values[3] + values[4]) / CLK_TCK)  # idle + iowait, all cores
    except OSError:
        pass
    return found


def cpu_used(start: dict, end: dict) -> dict[str, float]:
    """CPU seconds per kind between two readings. A process that ended in between has passed its whole time to its
    parent's children's time (counted in the parent's difference), so its time before the first reading is taken
    off again; a process that started in between counts in full."""
    totals: dict[str, float] = defaultdict(float)
    for pid, (kind, seconds) in end.items():
        before = start.get(pid)
        totals[kind] += seconds - (before[1] if before and before[0] == kind else 0.0)
    for pid, (kind, seconds) in start.items():
        if pid not in end:
            totals[kind] -= seconds
    return totals


class Window:
    """What the virtual users record into: the warm-up (thrown away), then the measured window, then nothing."""

    def __init__(self):
        self.current = Stats()

    def add(self, *args, **kwargs) -> None:
        self.current.add(*args, **kwargs)


def run_phase(name: str, port: int, mix: list[tuple[int, object]], duration: float, data: dict,
              think: float = 0.0) -> Stats:
    data = {**data, "think": think}
    stop = threading.Event()
    window = Window()
    threads = [threading.Thread(target=user, args=(port, window, stop, data), daemon=True)
               for count, user in mix for _ in range(count)]
    load1 = os.getloadavg()[0]
    for thread in threads:
        thread.start()
    time.sleep(min(5.0, duration / 6))  # warm-up: connections, worker caches; not counted
    stats = window.current = Stats()
    cpu_start = cpu_by_process()
    start = time.perf_counter()
    time.sleep(duration)
    stats.elapsed = time.perf_counter() - start
    stats.cpu = cpu_used(cpu_start, cpu_by_process())
    window.current = Stats()  # requests finishing after the window are not counted
    stop.set()
    for thread in threads:
        thread.join(timeout=40)
    stats.load_before = load1
    stats.users = sum(count for count, _ in mix)
    stats.name = name
    return stats


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))]


def report(stats: Stats) -> dict:
    print(f"\n== {stats.name}: {stats.users} concurrent users, {stats.elapsed:.0f} s "
          f"(load average before: {stats.load_before:.2f})")
    print(f"{'request':<58} {'count':>7} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rows = {}
    for kind in sorted(stats.times):
        ordered = sorted(stats.times[kind])
        row = {
            "count": len(ordered),
            "errors": stats.errors.get(kind, 0),
            "rps": len(ordered) / stats.elapsed,
            "p50": percentile(ordered, 50) * 1000,
            "p95": percentile(ordered, 95) * 1000,
            "p99": percentile(ordered, 99) * 1000,
        }
        rows[kind] = row
        print(f"{kind:<58} {row['count']:>7} {row['errors']:>6} {row['rps']:>8.1f} {row['p50']:>8.1f} "
              f"{row['p95']:>8.1f} {row['p99']:>8.1f}")
    for sample in stats.samples:
        print(f"   error: {sample}")
    requests = sum(row["count"] for row in rows.values())
    if requests and getattr(stats, "cpu", None):
        cpu = stats.cpu
        parts = ", ".join(f"{kind} {1000 * cpu.get(kind, 0.0) / requests:.2f}"
                          for kind in ("gunicorn", "postgres", "redis", "load generator", "other"))
        idle = 100 * cpu.get("idle", 0.0) / (stats.elapsed * (os.cpu_count() or 1))
        print(f"CPU ms per request: {parts}; idle {idle:.0f} % of the cores")
        stats.cpu_per_request = {kind: 1000 * cpu.get(kind, 0.0) / requests for kind in cpu if kind != "idle"}
    return rows


# ---------------------------------------------------------------- set-up and clean-up
def environment(args, static_root: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "clinic.settings_production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_HTTPS": "false",  # loopback only: plain HTTP, cookies without Secure
        "DJANGO_PROXY_SSL_HEADER": "false",
        "DATABASE_URL": f"{args.server}/{args.database}",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": "clinic-load",
        "BENCH": "true",
        "STATIC_ROOT": static_root,
        "REQUIRE_2FA": "true",
        "RATELIMIT_LINK_PER_ADDRESS": "1000000000",
        "RATELIMIT_PAGE_PER_ADDRESS": "1000000000",
        "LOG_LEVEL": "WARNING",
        "CHECKIN_EMBEDDED_RUNNER": "false",
    }


def seed(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from intake import services
    from intake.clinician.demo import bulk_seed
    from intake.models import Intake, IntakeDraft, Invitation, Patient, token_hash
    from tests.web.conftest import example, step_data, walk

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    start = time.perf_counter()
    bulk_seed(args.intakes)

    # Signed-in clinicians who passed their second factor (the worklist is behind REQUIRE_2FA).
    clinician_sessions = [verified_clinician_session(f"load-clinician-{i}") for i in range(max(1, args.users // 5))]

    # One complete draft, made by walking the real wizard, copied to every prepared patient.
    answers = example("V1")
    invitation, raw = services.invitation_create(email="walker@example.org", first_name="Walker")
    client = Client(HTTP_HOST=HOST)
    assert client.get(f"/i/{raw}/").status_code == 200
    walk(client, answers)
    draft = IntakeDraft.objects.get(invitation=invitation)
    assert draft.step == "review", draft.step

    now = time.time()
    expires = timezone.now() + timedelta(days=7)
    patients = Patient.objects.bulk_create(
        [Patient(first_name="Load", last_name=f"Patient{i}", email=f"load{i}@example.org")
         for i in range(args.prepared + args.links)], batch_size=1000)
    raws = [Invitation.new_token() for _ in patients]
    invitations = Invitation.objects.bulk_create(
        [Invitation(patient=p, token_hash=token_hash(r), expires_at=expires)
         for p, r in zip(patients, raws, strict=True)], batch_size=1000)
    prepared = invitations[: args.prepared]
    IntakeDraft.objects.bulk_create(
        [IntakeDraft(invitation=inv, answers=draft.answers, step="review") for inv in prepared], batch_size=1000)
    # The patients' sessions, as `intake:start` leaves them: the invitation's id (bulk-inserted for speed).
    session_expiry = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = [get_random_string(32, VALID_KEY_CHARS) for _ in prepared]
    Session.objects.bulk_create(
        [Session(session_key=key, session_data=SessionStore().encode({"intake_invitation_id": inv.pk}),
                 expire_date=session_expiry) for key, inv in zip(sessions, prepared, strict=True)], batch_size=1000)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table some minutes after a bulk load: statistics, and the visibility map that
        # lets PostgreSQL answer the worklist's ORDER BY from its index alone.
        cursor.execute("VACUUM ANALYZE")
    pages = -(-Intake.objects.count() // settings.WORKLIST_PAGE_SIZE)
    print(f"seeded {Intake.objects.count()} intakes, {len(clinician_sessions)} clinicians, {len(sessions)} prepared "
          f"submissions and {args.links} wizard links in {time.perf_counter() - start:.0f} s "
          f"(prepared in {time.time() - now:.0f} s)")
    data = {
        "clinician_sessions": clinician_sessions,
        "prepared": Pool(sessions),
        "links": Pool(raws[args.prepared:]),
        "step_form": step_data(answers),
        "worklist_pages": min(pages, 400),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    connections.close_all()
    return data


def verified_clinician_session(username: str) -> str:
    """A new clinician, signed in and past the second factor: the key of their session."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from intake.clinician.roles import CLINICIAN
    from intake.clinician.services import staff_user_create

    user = staff_user_create(username=username, role=CLINICIAN)
    device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
                    HASH_SESSION_KEY: user.get_session_auth_hash(), "otp_device_id": device.persistent_id})
    session.create()
    return session.session_key


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--step-users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60)
    # Cores + 1 sync workers, as docker-compose.yml and the Dockerfile run gunicorn on this 2-core machine (3): one more
    # than the cores keeps them busy while a worker waits for a commit; 2 x cores + 1 (5) measured slower here (more
    # switching between workers on 2 cores: worklist p95 142 vs 127 ms, CPU per request 7.9 vs 7.4 ms).
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--intakes", type=int, default=10_000)
    parser.add_argument("--prepared", type=int, default=24_000, help="prepared submissions (one per POST)")
    parser.add_argument("--links", type=int, default=2_000, help="fresh links for the wizard walkers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--phases", default="ceiling,submit,mixed,wizard,paced",
                        help="comma-separated; also 'worklist' and 'walkers' (one kind of user each)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages in the paced phase")
    parser.add_argument("--server", default=os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="clinic_load")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args()

    import psycopg

    static_root = tempfile.mkdtemp(prefix="clinic-load-static-")
    os.environ.update(environment(args, static_root))
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    server = None
    try:
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}")
        data = seed(args)
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, on the loopback
            [str(ROOT / ".venv/bin/gunicorn"), "clinic.wsgi:application", "--bind", f"{HOST}:{args.port}",
             "--workers", str(args.workers), "--timeout", "30", "--log-level", "warning"],
            cwd=ROOT, env=os.environ.copy(), start_new_session=True,
        )
        wait_for(args.port)
        print(f"gunicorn: {args.workers} sync workers on {HOST}:{args.port}, settings clinic.settings_production")
        patients = args.users * 4 // 5
        step_patients = args.step_users * 3 // 4
        plans = {
            "ceiling": ("ceiling: minimal view, one query", [(args.users, ceiling_user)]),
            "submit": ("submit: patients submitting intakes", [(args.users, submit_user)]),
            "mixed": ("mixed: patients submitting, clinicians paging the worklist",
                      [(patients, submit_user), (args.users - patients, clinician_user)]),
            "wizard": ("wizard: patients walking every step, clinicians paging the worklist",
                       [(step_patients, walker_user), (args.step_users - step_patients, clinician_user)]),
            "paced": (f"paced: as wizard, each user pausing ~{args.think:g} s between pages",
                      [(step_patients, walker_user), (args.step_users - step_patients, clinician_user)]),
        }
        # Not in the default run: one kind of user at a time, to see what each costs (CPU ms per request).
        plans["worklist"] = ("worklist: clinicians paging the worklist", [(args.step_users, clinician_user)])
        plans["walkers"] = ("walkers: patients walking every step", [(args.step_users, walker_user)])
        results = {}
        for phase in args.phases.split(","):
            name, mix = plans[phase]
            think = args.think if phase == "paced" else 0.0
            stats = run_phase(name, args.port, mix, args.duration, data, think)
            results[phase] = {"users": stats.users, "seconds": stats.elapsed, "load_before": stats.load_before,
                              "rows": report(stats),
                              "cpu_ms_per_request": getattr(stats, "cpu_per_request", {})}
        summary(results)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
        errors = sum(r["errors"] for phase in results.values() for r in phase["rows"].values())
        print(f"\nerrors: {errors}")
        return 1 if errors else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        cleanup(args, static_root)


def summary(results: dict) -> None:
    ceiling = results.get("ceiling", {}).get("rows", {}).get("ceiling: GET /bench/query/")
    submit = results.get("submit", {}).get("rows", {})
    submit = next(iter(submit.values()), None) if submit else None
    if ceiling and submit:
        print(f"\nintake submissions: {submit['rps']:.1f}/s = {100 * submit['rps'] / ceiling['rps']:.0f} % of the "
              f"ceiling ({ceiling['rps']:.1f}/s); target >= 40 %")
    for phase in ("wizard", "paced"):
        rows = results.get(phase, {}).get("rows", {})
        if rows:
            worst = max(rows.items(), key=lambda item: item[1]["p95"])
            print(f"{phase}: slowest p95 at {results[phase]['users']} users: {worst[0]} {worst[1]['p95']:.1f} ms "
                  "(target < 150 ms)")


def cleanup(args, static_root: str, key_prefix: str = "clinic-load") -> None:
    """Drop the benchmark's database, its Redis keys and its static files (bench/inprocess.py uses it too)."""
    import psycopg
    import redis

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001, S110 - Django may not be set up when seeding failed early
        pass
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    client = redis.Redis.from_url(args.redis)
    keys = list(client.scan_iter(f"{key_prefix}*"))
    if keys:
        client.delete(*keys)
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
