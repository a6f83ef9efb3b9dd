"""Indexes for the worklist on the intake app's tables (issue #5). The intake app's models are not changed: these
are plain indexes that only speed up the clinician selectors, so they live with them."""

from django.db import migrations

UNACKNOWLEDGED = "clinician_flag_unacknowledged"


class Migration(migrations.Migration):
    dependencies = [
        ("clinician", "0002_roles"),
        ("intake", "0002_content_pack"),
    ]

    operations = [
        # The flags still waiting for acknowledgement: few, and read on every worklist page (selectors/worklist.py).
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {UNACKNOWLEDGED} ON intake_flag (intake_id) WHERE acknowledged_at IS NULL",
            f"DROP INDEX IF EXISTS {UNACKNOWLEDGED}",
        ),
    ]
