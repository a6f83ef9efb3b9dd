"""The check-in answers' large JSON columns compressed with lz4 on PostgreSQL (issue #7; intake/toast.py says why)."""

from django.db import migrations

from intake.toast import lz4


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0003_response_unacknowledged"),
    ]

    operations = [
        lz4(
            ("checkins_checkinresponse", "answers"),
            ("checkins_checkinresponse", "summary"),
            ("checkins_checkin", "draft"),
        ),
    ]
