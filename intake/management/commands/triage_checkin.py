"""`python manage.py triage_checkin FILE`: the follow-up contract (docs/checkin-contract.md part A).

FILE (or - for stdin) holds one JSON object: the baseline intake, its summary's rules_version, its date and the
check-ins so far. Valid input → the follow-up summary of the latest answered check-in on stdout, exit 0. Invalid
input → one JSON error object naming every bad field, exit 2 (the triage contract's part D). A bug → exit 1.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from intake.management.commands.triage import emit, read_source
from intake.triage.change import evaluate_checkins
from intake.triage.errors import FieldError, InvalidInput
from intake.triage.jsonio import parse_intake_json


class Command(BaseCommand):
    help = "Evaluate the check-ins of one intake (JSON file, or - for stdin) and print the follow-up summary."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the follow-up JSON, or - to read standard input")

    def handle(self, *args, **options):
        try:
            text = read_source(options["file"])
        except (OSError, UnicodeDecodeError) as exc:
            err = InvalidInput([FieldError("", "unreadable", f"cannot read {options['file']}: {exc}")])
            emit(sys.stdout, err.as_dict())
            sys.exit(2)
        try:
            summary = evaluate_checkins(parse_intake_json(text))
        except InvalidInput as err:
            emit(sys.stdout, err.as_dict())
            sys.exit(2)
        emit(sys.stdout, summary)
