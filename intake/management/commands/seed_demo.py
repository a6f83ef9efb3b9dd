"""`manage.py seed_demo [--if-empty] [--intakes N] [--staff-password P]`: demo patients with submitted intakes,
and one fresh link.

The first intakes (one per worked example in intake/demo.py) go through services.intake_submit, exactly as the
wizard submits them (validated, saved, triaged). Beyond those, intakes are made in bulk by the clinician app's
seeder (intake/clinician/demo.py: varied answers, the real engine, bulk_create), fast enough for 10,000 intakes.
With --staff-password, demo staff accounts are made for each role: clinician, frontdesk, practiceadmin.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from intake import services
from intake.admin import invitation_link
from intake.demo import PEOPLE, demo_answers
from intake.models import Patient


class Command(BaseCommand):
    help = "Create demo patients with submitted intakes and print one fresh intake link."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any patient exists")
        parser.add_argument("--intakes", type=int, default=8, help="number of submitted demo intakes (default 8)")
        parser.add_argument("--staff-password", default="", help="also create demo staff users with this password")

    def handle(self, *args, **options):
        if options["if_empty"] and Patient.objects.exists():
            self.stderr.write("demo data not loaded: the database already has patients")
            return
        from intake.clinician.demo import bulk_seed
        from intake.clinician.services import staff_demo_users

        total = max(0, options["intakes"])
        with transaction.atomic():
            for i in range(min(total, len(PEOPLE))):
                first, last, answers = demo_answers(i)
                email = f"{first}.{last}{i}@example.org".lower()
                invitation, _raw = services.invitation_create(email=email, first_name=first, last_name=last)
                intake = services.intake_submit(
                    patient=invitation.patient, answers=answers, privacy_accepted=True, checkins_opt_in=i % 2 == 0,
                    invitation=invitation,
                )
                self.stderr.write(f"intake {intake.pk}: {first} {last}, {intake.overall_tier or intake.triage_status}")
            counts = bulk_seed(total - len(PEOPLE), start_index=len(PEOPLE))
            if counts:
                self.stderr.write(f"{sum(counts.values())} more intakes: " + ", ".join(
                    f"{tier or 'failed'} {n}" for tier, n in sorted(counts.items())))
            if options["staff_password"]:
                for user in staff_demo_users(password=options["staff_password"]):
                    self.stderr.write(f"staff user {user.username} ({', '.join(g.name for g in user.groups.all())})")
            _invitation, raw = services.invitation_create(email="demo.patient@example.org", first_name="Demo",
                                                          last_name="Patient")
        self.stdout.write(f"Open this intake link to try the patient wizard: {invitation_link(raw)}")
