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


class JsonEngineCommand(BaseCommand):
    """One JSON document in (FILE or -), one JSON document out; exit 2 with a named-field error on bad input."""

    requires_system_checks: list = []
    requires_migrations_checks = False
    what = "intake"

    def evaluate(self, document) -> dict:  # pragma: no cover - each command supplies its engine function
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"path to the {self.what} JSON, or - to read standard input")

    def handle(self, *args, **options):
        try:
            text = read_source(options["file"])
        except (OSError, UnicodeDecodeError) as exc:
            err = InvalidInput([FieldError("", "unreadable", f"cannot read {options['file']}: {exc}")])
            emit(sys.stdout, err.as_dict())
            sys.exit(2)
        try:
            summary = self.evaluate(parse_intake_json(text))
        except InvalidInput as err:
            emit(sys.stdout, err.as_dict())
            sys.exit(2)
        emit(sys.stdout, summary)


class Command(JsonEngineCommand):
    help = "Triage one intake JSON file (or - for stdin) and print the clinician summary as JSON."

    def evaluate(self, document) -> dict:
        return evaluate(document)
