"""CPU per request, in process (Django's test client, production settings, PostgreSQL and Redis on this machine).

    .venv/bin/python bench/inprocess.py [--submits 150] [--repeat 20]

Measures what one request costs the app itself, without gunicorn or a load generator: the minimal view of
bench/load.py (/bench/query/), one intake submission (validate, triage, save, redirect; the V1 example), each wizard
step's GET and POST, the review page, and a worklist page of --intakes intakes. Prints CPU milliseconds per
request and the queries of one submission.
Creates and drops its own database (clinic_inprocess) and Redis keys. Used for the before/after figures of
docs/benchmarks.md (issue #7); bench/load.py gives the end-to-end figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--intakes", type=int, default=10_000, help="intakes on the worklist")
    parser.add_argument("--server", default=os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="clinic_inprocess")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile the submissions and the steps (cProfile, CPU time) and print the N "
                        "costliest functions of each")
    args = parser.parse_args()
    static_root = tempfile.mkdtemp(prefix="clinic-inprocess-static-")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "clinic.settings_production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_HTTPS": "false", "DJANGO_PROXY_SSL_HEADER": "false",
        "DATABASE_URL": f"{args.server}/{args.database}", "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": "clinic-inprocess", "BENCH": "true", "LOG_LEVEL": "WARNING", "STATIC_ROOT": static_root,
        "CHECKIN_EMBEDDED_RUNNER": "false", "RATELIMIT_PAGE_PER_ADDRESS": "1000000000",
        "RATELIMIT_PAGE_PER_LINK": "1000000000", "RATELIMIT_LINK_PER_ADDRESS": "1000000000",
        "RATELIMIT_LINK_PER_LINK": "1000000000",
    })
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    try:
        run(args)
    finally:
        from bench.load import cleanup

        cleanup(args, static_root, key_prefix="clinic-inprocess")
    return 0


def cpu_ms(fn, n: int) -> float:
    # The garbage of what ran before (150 test clients and their responses) is collected first, not charged to fn.
    gc.collect()
    start = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - start) / n * 1000


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from intake import services
    from intake.models import IntakeDraft
    from tests.web.conftest import example, step_data, walk

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    minimal = Client(HTTP_HOST="127.0.0.1")
    minimal.get("/bench/query/")
    print(f"minimal view (/bench/query/): {cpu_ms(lambda: minimal.get('/bench/query/'), 300):.2f} ms CPU")

    answers = example("V1")
    invitation, raw = services.invitation_create(email="walker@example.org", first_name="Walker")
    walker = Client(HTTP_HOST="127.0.0.1")
    walker.get(f"/i/{raw}/")
    walk(walker, answers)
    draft = IntakeDraft.objects.get(invitation=invitation)
    clients = []
    for i in range(args.submits + 2):
        inv, token = services.invitation_create(email=f"p{i}@example.org", first_name="P")
        IntakeDraft.objects.create(invitation=inv, answers=draft.answers, step="review")
        client = Client(HTTP_HOST="127.0.0.1")
        client.get(f"/i/{token}/")
        clients.append(client)
    form = {"privacy": "on", "checkins": "on"}
    assert clients.pop().post("/intake/submit/", form).status_code == 302  # warm-up
    statements = []
    with connection.execute_wrapper(lambda execute, sql, *rest: statements.append(sql) or execute(sql, *rest)):
        assert clients.pop().post("/intake/submit/", form).status_code == 302
    half = len(clients) // 2 if args.profile else len(clients)
    pending = iter(clients[:half])
    submit = cpu_ms(lambda: next(pending).post("/intake/submit/", form), half)
    print(f"intake submission: {submit:.2f} ms CPU, {len(statements)} SQL statements")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on PostgreSQL
        profiler.enable()
        for client in clients[half:]:
            client.post("/intake/submit/", form)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)

    data = step_data(answers)
    from urllib.parse import urlencode

    # As a browser posts a form (and bench/load.py does): urlencoded, not the test client's default multipart.
    body = urlencode({**data, "action": "next"}, doseq=True)

    def post(url):
        return client.post(url, body, content_type="application/x-www-form-urlencoded")
    inv, token = services.invitation_create(email="steps@example.org", first_name="S")
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(f"/i/{token}/")
    url, steps = "/intake/step/about/", []
    while url != "/intake/review/":
        response = post(url)
        assert response.status_code == 302, (url, response.status_code)
        steps.append(url)
        url = response["Location"]
    gets, posts = [], []
    for url in steps:
        gets.append(cpu_ms(lambda url=url: client.get(url), args.repeat))
        posts.append(cpu_ms(lambda url=url: post(url), args.repeat))
        print(f"  step {url.rstrip('/').rsplit('/', 1)[-1]:<15} GET {gets[-1]:6.2f} ms  POST {posts[-1]:6.2f} ms CPU")
    print(f"wizard steps: mean GET {sum(gets) / len(gets):.2f} ms, mean POST {sum(posts) / len(posts):.2f} ms CPU "
          f"({len(steps)} steps; POSTs urlencoded, as a browser sends them)")
    print(f"review page: {cpu_ms(lambda: client.get('/intake/review/'), args.repeat):.2f} ms CPU")
    # The worklist of bench/load.py: 10,000 intakes, a clinician past the second factor, pages of "all".
    from django.conf import settings

    from bench.load import verified_clinician_session
    from intake.clinician.demo import bulk_seed

    bulk_seed(args.intakes)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    clinician = Client(HTTP_HOST="127.0.0.1")
    clinician.cookies[settings.SESSION_COOKIE_NAME] = verified_clinician_session("inprocess-clinician")
    pages = iter(range(1, 10**6))

    def worklist():
        response = clinician.get("/clinic/worklist/", {"status": "all", "page": next(pages) % 400 + 1})
        assert response.status_code == 200, response.status_code

    worklist()
    print(f"worklist page ({args.intakes} intakes, status all, pages 1-400): "
          f"{cpu_ms(worklist, args.repeat * 5):.2f} ms CPU")

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.repeat * 5):
            worklist()
        profiler.disable()
        print("\nworklist pages:")
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for url in steps:
            for _ in range(args.repeat):
                client.get(url)
                post(url)
        profiler.disable()
        print("\nwizard steps (every step's GET and POST):")
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    sys.exit(main())
