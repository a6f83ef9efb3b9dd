"""The large JSON columns compressed with lz4 on PostgreSQL (issue #7; intake/toast.py says why)."""

from django.db import migrations

from intake.toast import lz4


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_intake_unacknowledged"),
    ]

    operations = [
        lz4(("intake_intake", "answers"), ("intake_intake", "summary"), ("intake_intakedraft", "answers")),
    ]
