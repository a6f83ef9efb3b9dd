"""`python manage.py triage FILE`: the engine's contract (contract.md part A).

Valid input → the summary JSON on stdout, exit 0. Invalid input → one JSON error object naming every bad field,
exit 2, never a traceback. A bug → nothing on stdout, exit 1, traceback on stderr.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from intake.triage import evaluate
from intake.triage.errors import FieldError, InvalidInput
from intake.triage.jsonio import parse_intake_json


def read_source(path: str) -> str:
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8")


def emit(stream, obj: dict) -> None:
    stream.write(json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n")
    stream.flush()


class Command(BaseCommand):
    help = "Triage one intake JSON file (or - for stdin) and print the clinician summary as JSON."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the intake JSON, or - to read standard input")

    def handle(self, *args, **options):
        try:
            text = read_source(options["file"])
        except (OSError, UnicodeDecodeError) as exc:
            err = InvalidInput([FieldError("", "unreadable", f"cannot read {options['file']}: {exc}")])
            emit(sys.stdout, err.as_dict())
            sys.exit(2)
        try:
            summary = evaluate(parse_intake_json(text))
        except InvalidInput as err:
            emit(sys.stdout, err.as_dict())
            sys.exit(2)
        emit(sys.stdout, summary)
