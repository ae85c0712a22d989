"""The forgiving search's column (reports/search.py) on reports and incidents, filled for the rows
already there, and on PostgreSQL its GIN index (``to_tsvector('simple', search_terms)``, the
expression ``search.search`` queries). SQLite reads the column with LIKE, without an index."""

from django.db import migrations, models

INDEXES = (
    "CREATE INDEX IF NOT EXISTS reports_report_search ON reports_report "
    "USING gin (to_tsvector('simple', search_terms))",
    "CREATE INDEX IF NOT EXISTS reports_incident_search ON reports_incident "
    "USING gin (to_tsvector('simple', search_terms))",
)


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from waspada.reports.search import terms

    Report = apps.get_model("reports", "Report")
    Incident = apps.get_model("reports", "Incident")
    for model, fields in ((Report, ("title", "what")), (Incident, ("title",))):
        batch = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=2000):
            row.search_terms = terms(*(getattr(row, name) for name in fields))
            batch.append(row)
            if len(batch) >= 2000:
                model.objects.bulk_update(batch, ["search_terms"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["search_terms"])


def create_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        # situation/0002's index of the former search (title || what, nothing stemmed): no query
        # reads it any more, and every report written paid for it
        schema_editor.execute("DROP INDEX IF EXISTS situation_report_fts")
        for sql in INDEXES:
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ("reports_report_search", "reports_incident_search"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_casualties_known_or_unknown"),
        ("situation", "0002_indexes_for_lists_and_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="search_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="incident",
            name="search_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
