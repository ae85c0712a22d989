"""PostgreSQL keeps the search's ``tsvector`` beside ``search_terms`` (a stored generated column,
``search_vector``) with its GIN index, instead of an index on the expression.

Why: a list sorted by time with a search is planned as a walk down the time index that tests each
row; with an expression index each test recomputed ``to_tsvector`` (≈65 µs a row: 497 ms for the
7,651 rows of "hauling warga" at one million reports), with the stored column it reads it
(65 ms, docs/benchmarks.md). The column is PostgreSQL's own: the model does not declare it (SQLite
reads ``search_terms`` with LIKE), inserts and updates leave it to the database.
"""

from django.db import migrations

TABLES = ("reports_report", "reports_incident")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)"
        )
    schema_editor.execute("DROP INDEX IF EXISTS reports_report_search")
    schema_editor.execute("DROP INDEX IF EXISTS reports_incident_search")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    for table, name in zip(TABLES, ("reports_report_search", "reports_incident_search"), strict=True):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('simple', search_terms))"
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_search_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
