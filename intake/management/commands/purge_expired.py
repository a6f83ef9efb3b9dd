"""Retention clean-up, for cron or a daily timer: deletes unfinished drafts older than DRAFT_RETENTION_DAYS and,
only when INTAKE_RETENTION_DAYS > 0, intakes older than that (each recorded in the audit trail).

    manage.py purge_expired
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from intake import privacy


class Command(BaseCommand):
    help = "Delete drafts (and, if configured, intakes) past their retention period."

    def handle(self, *args, **options):
        drafts = privacy.drafts_purge()
        intakes = privacy.intakes_purge()
        self.stdout.write(
            f"deleted {drafts} draft(s) older than {settings.DRAFT_RETENTION_DAYS} days; "
            + (f"{intakes} intake(s) older than {settings.INTAKE_RETENTION_DAYS} days"
               if settings.INTAKE_RETENTION_DAYS > 0 else "intakes are kept (INTAKE_RETENTION_DAYS=0)")
        )
