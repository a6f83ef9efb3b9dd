"""Export everything held about one patient (their right of access): a zip of patient-<id>.json (every row, every
answer, every summary) and one clinician-summary PDF per intake. Recorded in the audit trail.

    manage.py patient_export 42                 # writes patient-42-export.zip
    manage.py patient_export 42 --out DIR/x.zip
    manage.py patient_export 42 --out -         # the JSON alone, on standard output
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake import privacy
from intake.models import Patient


class Command(BaseCommand):
    help = "Export one patient's data (JSON and summary PDFs, zipped); recorded in the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("patient_id", type=int)
        parser.add_argument("--out", default="", help="zip file to write (default patient-ID-export.zip); - for JSON")

    def handle(self, *args, patient_id: int, out: str, **options):
        patient = Patient.objects.filter(pk=patient_id).first()
        if patient is None:
            raise CommandError(f"no patient with id {patient_id}")
        if out == "-":
            self.stdout.write(privacy.patient_export_json(patient))
            privacy.privacy_audit(action="export", patient_pk=patient.pk, user=None, via="manage.py patient_export",
                           object_repr=f"Patient {patient.pk} (data export)", detail={"format": "json"})
            return
        path = Path(out or f"patient-{patient.pk}-export.zip")
        path.write_bytes(privacy.patient_export(patient=patient, via="manage.py patient_export"))
        self.stderr.write(f"wrote {path}")
