"""The verification clock: a deadline on each report, and when its lateness was reported.

Reports still waiting for verification get their deadline from their arrival time, so the queue
is complete on the day this is installed. Old reports already late are marked as reported: the
TKD head is not flooded with a notification for every backlog report at once.
"""

from typing import Any

from django.db import migrations, models
from django.utils import timezone


def set_deadlines(apps: Any, schema_editor: Any) -> None:
    from waspada.reports.verification import verification_deadline

    Report = apps.get_model("reports", "Report")
    # The days off as they were at this point of the history (then installation-wide only), not
    # today's table, whose later columns this schema does not have yet.
    DayOff = apps.get_model("response", "DayOff")
    regional = dict(DayOff.objects.values_list("date", "name"))
    now = timezone.now()
    for report in Report.objects.filter(status="baru").only("pk", "alert_level", "received_at").iterator():
        due = verification_deadline(report.alert_level, report.received_at, regional=regional)
        Report.objects.filter(pk=report.pk).update(
            verify_due_at=due, verify_escalated_at=now if due < now else None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        # the working-day calendar reads the regional days off
        ("response", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="verify_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="batas verifikasi"),
        ),
        migrations.AddField(
            model_name="report",
            name="verify_escalated_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="keterlambatan verifikasi dilaporkan"
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["status", "verify_due_at"], name="report_verification_queue"),
        ),
        migrations.RunPython(set_deadlines, migrations.RunPython.noop),
    ]
