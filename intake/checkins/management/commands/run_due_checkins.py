"""`manage.py run_due_checkins [--loop] [--every SECONDS]`: run beat's sweep from a shell (or cron).

Without REDIS_URL, tasks run in this process (eager), so this alone delivers the due check-ins, reminders and
clinician alerts; with REDIS_URL it only publishes them for the worker. `manage.py runserver` does this by itself
without REDIS_URL (intake/checkins/embedded.py).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from intake.checkins import conf, embedded


class Command(BaseCommand):
    help = "Send the check-ins, reminders and clinician alerts that are due (once, or every --every seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--every", type=float, default=None, help="seconds between sweeps with --loop")

    def handle(self, *args, **options):
        every = options["every"] or conf.beat_seconds()
        while True:
            counts = embedded.sweep_once()
            self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
            if not options["loop"]:
                return
            time.sleep(every)
