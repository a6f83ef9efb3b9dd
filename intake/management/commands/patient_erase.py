"""Erase one patient on request: every row that names or describes them (patient, invitations, drafts, intakes,
flags, reviews, check-ins, FHIR identifiers), their name scrubbed from the audit trail and admin history, and the
erasure itself recorded. Cannot be undone: export first if the patient asked for a copy.

    manage.py patient_erase 42 --confirm
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from intake import privacy
from intake.models import Patient


class Command(BaseCommand):
    help = "Erase one patient's data on request (cannot be undone); recorded in the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("patient_id", type=int)
        parser.add_argument("--confirm", action="store_true", help="required: yes, erase this patient for good")

    def handle(self, *args, patient_id: int, confirm: bool, **options):
        patient = Patient.objects.filter(pk=patient_id).first()
        if patient is None:
            raise CommandError(f"no patient with id {patient_id}")
        records = privacy.patient_records(patient)
        if not confirm:
            for model, rows in records.items():
                self.stdout.write(f"  {model._meta.label_lower}: {len(rows)}")
            raise CommandError("nothing erased: add --confirm to erase the rows listed above for good")
        counts = privacy.patient_erase(patient=patient, via="manage.py patient_erase")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count} deleted")
        self.stdout.write(f"patient {patient_id} erased; the audit trail records the erasure")
