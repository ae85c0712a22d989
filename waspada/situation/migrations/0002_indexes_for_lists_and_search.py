"""Indexes on reports_report for the situation lists (keyset order) and narrative search.

They live here, beside the queries that need them: the keyset pagination orders by
(reported_at, id) descending; the PostgreSQL full-text search uses the same expression as
``filters.SEARCH_SQL``, so its GIN index serves it. SQLite gets the ordering index only.
"""

from django.db import migrations

FTS = (
    "CREATE INDEX IF NOT EXISTS situation_report_fts ON reports_report USING gin "
    "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(what, '')))"
)
ORDER = "CREATE INDEX IF NOT EXISTS situation_report_recent ON reports_report (reported_at DESC, id DESC)"
INCIDENT_ORDER = "CREATE INDEX IF NOT EXISTS situation_incident_recent ON reports_incident (occurred_at DESC, id DESC)"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(ORDER)
    schema_editor.execute(INCIDENT_ORDER)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FTS)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ("situation_report_recent", "situation_incident_recent", "situation_report_fts"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("situation", "0001_overrides_and_saved_searches"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
