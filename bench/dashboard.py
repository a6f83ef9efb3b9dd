"""Prints the median server time of the clinician worklist and summary pages with 10,000 intakes (issue #5 target:
under 150 ms each).

It creates its own PostgreSQL database (clinic_bench by default), migrates it, seeds it with `seed_demo`'s bulk
seeder, signs a clinician in with the Django test client, times each page (the whole Django stack in process: URL
routing, sessions, permissions, queries, templates, the audit insert), and drops the database at the end.

    .venv/bin/python bench/dashboard.py [--intakes 10000] [--runs 40] [--server postgres://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def admin_connection(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def timed(client, url: str, runs: int, **params) -> tuple[list[float], list[float]]:
    """Wall time (what the user waits for, database included) and this process's CPU time, per request."""
    client.get(url, params)  # warm: templates compiled, caches filled
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def report(name: str, wall: list[float], cpu: list[float], queries: int) -> None:
    ordered = sorted(wall)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name:<38} median {statistics.median(wall):6.1f} ms   p95 {p95:6.1f} ms   "
        f"(Python CPU {statistics.median(cpu):5.1f} ms)   {queries:2d} queries"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--server", default=os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="clinic_bench")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile the worklist page (cProfile, CPU time) and print the N costliest functions")
    args = parser.parse_args()

    with admin_connection(args.server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from intake.clinician.demo import bulk_seed
        from intake.clinician.roles import CLINICIAN
        from intake.clinician.services import staff_user_create
        from intake.models import Intake

        warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: collectstatic not needed here
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        bulk_seed(args.intakes)
        print(f"seeded {Intake.objects.count()} intakes in {time.perf_counter() - start:.1f} s; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        with connection.cursor() as cursor:
            # As autovacuum leaves a table after a bulk load: statistics and the visibility map.
            cursor.execute("VACUUM ANALYZE")

        client = Client()
        client.force_login(staff_user_create(username="bench-clinician", role=CLINICIAN))
        largest = Intake.objects.raw(
            "SELECT id FROM intake_intake WHERE overall_tier = 'ED_NOW' ORDER BY pg_column_size(summary) DESC LIMIT 1"
        )[0]
        pages = [
            ("worklist (awaiting review, page 1)", reverse("clinician:worklist"), {}),
            ("worklist (all, page 100)", reverse("clinician:worklist"), {"status": "all", "page": 100}),
            ("worklist (search by name)", reverse("clinician:worklist"), {"q": "Rossi", "status": "all"}),
            ("worklist (flag filter)", reverse("clinician:worklist"), {"flag": "HA-THUNDER", "status": "all"}),
            ("summary (largest ED_NOW summary)", reverse("clinician:intake_summary", args=[largest.pk]), {}),
            ("explain", reverse("clinician:intake_explain", args=[largest.pk]), {}),
            ("trends", reverse("clinician:patient_trends", args=[largest.patient_id]), {}),
        ]
        for name, url, params in pages:
            wall, cpu = timed(client, url, args.runs, **params)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, params)
            report(name, wall, cpu, len(queries.captured_queries))
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile(time.process_time)
            url, params = pages[1][1], pages[1][2]
            profiler.enable()
            for _ in range(args.runs):
                client.get(url, params)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(args.profile)
            stats.sort_stats("cumulative").print_stats(args.profile)
        connections.close_all()
    finally:
        with admin_connection(args.server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
