"""`manage.py seed_demo [--if-empty] [--intakes N]`: demo patients with submitted intakes, and one fresh link.

Intakes go through services.intake_submit, exactly as the wizard submits them (validated, saved, triaged).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from intake import services
from intake.admin import invitation_link
from intake.demo import demo_answers
from intake.models import Patient


class Command(BaseCommand):
    help = "Create demo patients with submitted intakes and print one fresh intake link."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any patient exists")
        parser.add_argument("--intakes", type=int, default=8, help="number of submitted demo intakes (default 8)")

    def handle(self, *args, **options):
        if options["if_empty"] and Patient.objects.exists():
            self.stderr.write("demo data not loaded: the database already has patients")
            return
        with transaction.atomic():
            for i in range(max(0, options["intakes"])):
                first, last, answers = demo_answers(i)
                email = f"{first}.{last}{i}@example.org".lower()
                invitation, _raw = services.invitation_create(email=email, first_name=first, last_name=last)
                intake = services.intake_submit(
                    patient=invitation.patient, answers=answers, privacy_accepted=True, checkins_opt_in=i % 2 == 0,
                    invitation=invitation,
                )
                self.stderr.write(f"intake {intake.pk}: {first} {last}, {intake.overall_tier or intake.triage_status}")
            _invitation, raw = services.invitation_create(email="demo.patient@example.org", first_name="Demo",
                                                          last_name="Patient")
        self.stdout.write(f"Open this intake link to try the patient wizard: {invitation_link(raw)}")
