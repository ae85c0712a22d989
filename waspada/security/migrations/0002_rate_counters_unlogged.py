"""Rate counters skip PostgreSQL's write-ahead log: counting a request never waits for the disk.

An UNLOGGED table is emptied after a crash, which for per-minute counters costs nothing. SQLite
has no such thing and needs none (its commits are local)."""

from django.db import migrations


def _set(logged: bool):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            mode = "LOGGED" if logged else "UNLOGGED"
            schema_editor.execute(f"ALTER TABLE security_ratecounter SET {mode}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("security", "0001_second_factor_throttles_and_rate_counters")]

    operations = [migrations.RunPython(_set(logged=False), _set(logged=True))]
