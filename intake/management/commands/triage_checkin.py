"""`python manage.py triage_checkin FILE`: the follow-up contract (docs/checkin-contract.md part A).

FILE (or - for stdin) holds one JSON object: the baseline intake, its summary's rules_version, its date and the
check-ins so far. Valid input → the follow-up summary of the latest answered check-in on stdout, exit 0. Invalid
input → one JSON error object naming every bad field, exit 2 (the triage contract's part D). A bug → exit 1.
"""

from __future__ import annotations

from intake.management.commands.triage import JsonEngineCommand
from intake.triage.change import evaluate_checkins


class Command(JsonEngineCommand):
    help = "Evaluate the check-ins of one intake (JSON file, or - for stdin) and print the follow-up summary."
    what = "follow-up"

    def evaluate(self, document) -> dict:
        return evaluate_checkins(document)
