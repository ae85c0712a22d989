"""Database triggers that refuse UPDATE and DELETE on audit entries (PostgreSQL and SQLite)."""

from django.db import migrations


def install(apps, schema_editor):
    from waspada.audit import guards

    guards.install(schema_editor.connection)


def remove(apps, schema_editor):
    from waspada.audit import guards

    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
