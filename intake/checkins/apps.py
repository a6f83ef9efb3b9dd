from __future__ import annotations

import os
import sys

from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "intake.checkins"
    label = "checkins"
    verbose_name = "Follow-up check-ins"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the Celery tasks

        self._register_worklist_source()
        self._maybe_start_embedded_runner()

    @staticmethod
    def _register_worklist_source() -> None:
        # The clinician dashboard combines one source per kind (intake.clinician.selectors.worklist); the check-in
        # source lives here (selectors.CheckInSource). Without the dashboard app there is nothing to register.
        try:
            from intake.clinician.selectors.worklist import register_source
        except ImportError:
            return
        from intake.clinician.selectors.trends import register_trend_source

        from .selectors import CheckInSource, CheckInTrendSource

        register_source(CheckInSource())
        register_trend_source(CheckInTrendSource())

    @staticmethod
    def _maybe_start_embedded_runner() -> None:
        from django.conf import settings

        from . import conf, embedded

        if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or not conf.embedded_runner():
            return
        argv = sys.argv[1:2]
        serving = argv == ["runserver"] and (os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv)
        if serving:
            embedded.start(conf.beat_seconds())
