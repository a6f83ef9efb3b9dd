"""`manage.py invite EMAIL [--first-name --last-name --days]`: create a patient and print their intake link.

The link is printed once; only the token's hash is stored, so it cannot be shown again (make a new one instead).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from intake import services
from intake.admin import invitation_link


class Command(BaseCommand):
    help = "Create a patient and an expiring, single-use intake link; print the link."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--days", type=int, default=None, help="days the link stays valid (INVITATION_VALID_DAYS)")

    def handle(self, *args, **options):
        try:
            validate_email(options["email"])
        except ValidationError as exc:
            raise CommandError(f"not an email address: {options['email']!r}") from exc
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1")
        invitation, raw = services.invitation_create(
            email=options["email"], first_name=options["first_name"], last_name=options["last_name"],
            days=options["days"],
        )
        self.stdout.write(invitation_link(raw))
        self.stderr.write(f"expires {invitation.expires_at:%Y-%m-%d %H:%M %Z}")
