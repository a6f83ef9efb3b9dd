"""Intake.unacknowledged: the worklist's "unacknowledged first", stored and indexed (issue #7).

Filled for existing intakes from their flags: a failed summary, or any flag awaiting acknowledgement.
"""

from django.db import migrations, models
from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When


def fill(apps, schema_editor):
    Intake = apps.get_model("intake", "Intake")
    Flag = apps.get_model("intake", "Flag")
    pending = Flag.objects.filter(intake=OuterRef("pk"), acknowledged_at__isnull=True)
    Intake.objects.update(
        unacknowledged=Case(
            When(triage_status="failed", then=Value(True)), default=Exists(pending), output_field=BooleanField()
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_content_pack"),
    ]

    operations = [
        migrations.AddField(
            model_name="intake",
            name="unacknowledged",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="intake",
            index=models.Index(
                fields=["-tier_rank", "-unacknowledged", "submitted_at", "id"], name="intake_worklist_order"
            ),
        ),
    ]
