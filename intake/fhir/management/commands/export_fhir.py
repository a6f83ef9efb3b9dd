"""`manage.py export_fhir --patient ID [--output FILE]`: one patient's record as a FHIR R4 Bundle (docs/fhir.md).

The Bundle holds the Patient, and per intake its QuestionnaireResponse, the overall tier, one Observation per score
and one Flag per red flag, then the intake's answered check-ins (QuestionnaireResponse `checkin-<id>`, overall tier,
PGIC and change Observations, one Flag per new red flag). Every resource is checked by the FHIR library before
anything is written. The export is recorded in the audit trail.
"""

from __future__ import annotations

import getpass
import json
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError

from intake.fhir.resources import validated
from intake.fhir.summary import patient_bundle
from intake.models import Patient
from intake.wizard import active_packs

try:
    from intake.clinician.services import audit_record
except ImportError:  # pragma: no cover - the audit service is not installed
    audit_record = None


class Command(BaseCommand):
    help = "Write one patient's intakes, check-ins, scores and flags as a FHIR R4 Bundle (JSON) to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("--patient", required=True, help="the patient's id")
        parser.add_argument("--output", help="write to this file instead of stdout")

    def handle(self, *args, **options):
        raw = str(options["patient"])
        patient = Patient.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if patient is None:
            raise CommandError(f"no patient with id {raw!r}")
        bundle = validated(patient_bundle(patient, active_packs()))
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8") as fh:
                    fh.write(text)
            except OSError as exc:
                raise CommandError(f"cannot write {options['output']}: {exc}") from exc
        else:
            self.stdout.write(text, ending="")
        if audit_record is not None:
            command = f"manage.py export_fhir --patient {patient.pk}"
            request = SimpleNamespace(user=None, META={}, get_full_path=lambda: command)
            detail = {"via": "manage.py export_fhir", "os_user": _os_user(), "entries": len(bundle["entry"])}
            audit_record(request=request, action="export", obj=patient, detail=detail)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return ""
