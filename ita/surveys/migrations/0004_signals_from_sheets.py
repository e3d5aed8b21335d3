"""Drop the per-submission signal rows (hour, answer pattern, straight-lining): a pattern row
could be found from its sheet and its id ordered the sheets. Those signals are now read from
the sheets. The completion-time band counts are kept, but their rows are made anew, every band
of every unit at once, so that their ids no longer record which band was first reached when."""

from typing import Any

from django.db import migrations, models

BANDS = ("<2m", "2-5m", "5-15m", "15-60m", ">60m")  # as collect.DURATION_BUCKETS on this date
TOOLS = ("IIT", "EIT")


def rebuild(apps: Any, schema_editor: Any) -> None:
    SignalCount = apps.get_model("surveys", "SignalCount")
    UnitAssessment = apps.get_model("assessments", "UnitAssessment")
    kept = {
        (ua, tool, bucket): count
        for ua, tool, bucket, count in SignalCount.objects.filter(kind="duration").values_list(
            "unit_assessment_id", "tool", "bucket", "count"
        )
    }
    SignalCount.objects.all().delete()
    rows = [
        SignalCount(
            unit_assessment_id=ua, tool=tool, kind="duration", bucket=band, count=kept.get((ua, tool, band), 0)
        )
        for ua in UnitAssessment.objects.order_by("pk").values_list("pk", flat=True)
        for tool in TOOLS
        for band in BANDS
    ]
    SignalCount.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("surveys", "0003_code_batches"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signalcount",
            name="kind",
            field=models.CharField(choices=[("duration", "ช่วงเวลาที่ใช้ตอบ")], max_length=8),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
